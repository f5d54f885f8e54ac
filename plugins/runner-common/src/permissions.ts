import { createPermission } from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';

/*
 * Every runner permission is a resource permission on the catalog entity that
 * owns the instance, gateway resource or alert, so that a policy can allow an
 * entity's owners and deny everyone else with the catalog's own rules.
 */

function entityPermission(
  name: string,
  action?: 'create' | 'update' | 'delete',
) {
  return createPermission({
    name,
    attributes: action ? { action } : {},
    resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
  });
}

/** @public */
export const runnerInstanceReadPermission = entityPermission(
  'runner.instance.read',
);
/** @public */
export const runnerInstanceCreatePermission = entityPermission(
  'runner.instance.create',
  'create',
);
/** @public */
export const runnerInstanceUpdatePermission = entityPermission(
  'runner.instance.update',
  'update',
);
/** @public */
export const runnerInstanceDeletePermission = entityPermission(
  'runner.instance.delete',
  'delete',
);

/** @public */
export const runnerGatewayReadPermission = entityPermission(
  'runner.gateway.read',
);
/** @public */
export const runnerGatewayCreatePermission = entityPermission(
  'runner.gateway.create',
  'create',
);
/** @public */
export const runnerGatewayUpdatePermission = entityPermission(
  'runner.gateway.update',
  'update',
);
/** @public */
export const runnerGatewayDeletePermission = entityPermission(
  'runner.gateway.delete',
  'delete',
);

/** Read alerts and the categorized error history. @public */
export const runnerAlertReadPermission = entityPermission('runner.alert.read');
/** Acknowledge alerts. @public */
export const runnerAlertUpdatePermission = entityPermission(
  'runner.alert.update',
  'update',
);

/** Every permission the runner plugins define. @public */
export const runnerPermissions = [
  runnerInstanceReadPermission,
  runnerInstanceCreatePermission,
  runnerInstanceUpdatePermission,
  runnerInstanceDeletePermission,
  runnerGatewayReadPermission,
  runnerGatewayCreatePermission,
  runnerGatewayUpdatePermission,
  runnerGatewayDeletePermission,
  runnerAlertReadPermission,
  runnerAlertUpdatePermission,
];
