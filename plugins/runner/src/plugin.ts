import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { RunnerClient, runnerApiRef } from './api';
import {
  entityAlertsContentRouteRef,
  entityGatewayContentRouteRef,
  entityRunnerContentRouteRef,
} from './routes';

/**
 * The Runner plugin for the legacy frontend system. Apps on the new frontend
 * system use the default export of `@internal/plugin-runner/alpha` instead.
 *
 * @public
 */
export const runnerPlugin = createPlugin({
  id: 'runner',
  apis: [
    createApiFactory({
      api: runnerApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new RunnerClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    entityRunnerContent: entityRunnerContentRouteRef,
    entityGatewayContent: entityGatewayContentRouteRef,
    entityAlertsContent: entityAlertsContentRouteRef,
  },
});

/**
 * The Runner entity tab, for `EntityLayout.Route` in a legacy entity page.
 * Guard it with `isRunnerAvailable`.
 *
 * @public
 */
export const EntityRunnerContent = runnerPlugin.provide(
  createRoutableExtension({
    name: 'EntityRunnerContent',
    component: () =>
      import('./components/RunnerContent').then(m => m.RunnerContent),
    mountPoint: entityRunnerContentRouteRef,
  }),
);

/**
 * The Gateway entity tab, for `EntityLayout.Route` in a legacy entity page.
 * Guard it with `isGatewayAvailable`.
 *
 * @public
 */
export const EntityGatewayContent = runnerPlugin.provide(
  createRoutableExtension({
    name: 'EntityGatewayContent',
    component: () =>
      import('./components/GatewayContent').then(m => m.GatewayContent),
    mountPoint: entityGatewayContentRouteRef,
  }),
);

/**
 * The Alerts entity tab, for `EntityLayout.Route` in a legacy entity page.
 * Guard it with `isAlertsAvailable`.
 *
 * @public
 */
export const EntityAlertsContent = runnerPlugin.provide(
  createRoutableExtension({
    name: 'EntityAlertsContent',
    component: () =>
      import('./components/AlertsContent').then(m => m.AlertsContent),
    mountPoint: entityAlertsContentRouteRef,
  }),
);
