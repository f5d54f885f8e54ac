/*
 * The Backstage backend that hosts the runner plugin, with what browsing the
 * catalog needs: catalog, guest sign-in for local use, permissions,
 * notifications and signals.
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

backend.add(import('@backstage/plugin-auth-backend'));
// Guest sign-in for local use; see https://backstage.io/docs/auth/guest/provider
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));

backend.add(import('@backstage/plugin-permission-backend'));
// Owners may start, change and delete what the runner does for their
// entities; everyone may read. See src/permissionPolicy.ts.
backend.add(import('./permissionPolicy'));

// Events carry signals and catalog events between backend instances.
backend.add(import('@backstage/plugin-events-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

backend.add(import('@internal/plugin-runner-backend'));

// The actions of the plugins in backend.actions.pluginSources (app-config.yaml)
// as MCP tools at /api/mcp-actions/v1; see docs/mcp.md.
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.start();
