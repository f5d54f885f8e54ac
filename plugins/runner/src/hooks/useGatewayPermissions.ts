import { usePermission } from '@backstage/plugin-permission-react';
import {
  runnerGatewayCreatePermission,
  runnerGatewayDeletePermission,
  runnerGatewayUpdatePermission,
} from '@internal/plugin-runner-common';
import { permissionGuard, type ActionGuard } from './useInstancePermissions';

export interface GatewayPermissions {
  create: ActionGuard;
  update: ActionGuard;
  delete: ActionGuard;
  /** Import creates and updates, so it needs both. */
  import: ActionGuard;
}

/**
 * The gateway permissions of the current user on one entity, in words. The
 * backend checks them again on every change.
 */
export function useGatewayPermissions(
  entityRef: string,
  entityName: string,
): GatewayPermissions {
  const create = permissionGuard(
    usePermission({
      permission: runnerGatewayCreatePermission,
      resourceRef: entityRef,
    }),
    `create gateway resources of ${entityName}`,
    runnerGatewayCreatePermission.name,
  );
  const update = permissionGuard(
    usePermission({
      permission: runnerGatewayUpdatePermission,
      resourceRef: entityRef,
    }),
    `change gateway resources of ${entityName}`,
    runnerGatewayUpdatePermission.name,
  );
  const remove = permissionGuard(
    usePermission({
      permission: runnerGatewayDeletePermission,
      resourceRef: entityRef,
    }),
    `delete gateway resources of ${entityName}`,
    runnerGatewayDeletePermission.name,
  );
  return {
    create,
    update,
    delete: remove,
    import: !create.allowed ? create : update,
  };
}
