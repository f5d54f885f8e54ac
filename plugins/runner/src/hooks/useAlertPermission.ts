import { usePermission } from '@backstage/plugin-permission-react';
import { runnerAlertUpdatePermission } from '@internal/plugin-runner-common';
import { permissionGuard, type ActionGuard } from './useInstancePermissions';

/**
 * Whether the user may acknowledge the entity's alerts, and if not, why.
 * The backend checks again on every acknowledgement.
 */
export function useAlertPermission(
  entityRef: string,
  entityName: string,
): ActionGuard {
  const result = usePermission({
    permission: runnerAlertUpdatePermission,
    resourceRef: entityRef,
  });
  return permissionGuard(
    result,
    `acknowledge alerts of ${entityName}`,
    runnerAlertUpdatePermission.name,
  );
}
