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
// Allows everything; replace with a policy of your own for production.
backend.add(
  import('@backstage/plugin-permission-backend-module-allow-all-policy'),
);

// Events carry signals and catalog events between backend instances.
backend.add(import('@backstage/plugin-events-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

backend.add(import('@internal/plugin-runner-backend'));

backend.start();
