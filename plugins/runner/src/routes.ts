import { createRouteRef } from '@backstage/core-plugin-api';

// Legacy frontend system only: a routable extension needs a mount point, and
// the legacy app checks that it was mounted (EntityLayout.Route does that).
export const entityRunnerContentRouteRef = createRouteRef({
  id: 'runner:entity-runner-content',
});

export const entityGatewayContentRouteRef = createRouteRef({
  id: 'runner:entity-gateway-content',
});

export const entityAlertsContentRouteRef = createRouteRef({
  id: 'runner:entity-alerts-content',
});
