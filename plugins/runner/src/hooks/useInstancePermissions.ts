import { usePermission } from '@backstage/plugin-permission-react';
import {
  runnerInstanceCreatePermission,
  runnerInstanceDeletePermission,
  runnerInstanceUpdatePermission,
} from '@internal/plugin-runner-common';

/** Whether the user may take an action, and if not, why, in words. */
export interface ActionGuard {
  allowed: boolean;
  reason?: string;
}

export interface InstancePermissions {
  create: ActionGuard;
  update: ActionGuard;
  delete: ActionGuard;
}

/**
 * A usePermission answer in words: allowed, or why not (still checking,
 * the check failed, or denied naming the permission).
 */
export function permissionGuard(
  result: { loading: boolean; allowed: boolean; error?: Error },
  action: string,
  permissionName: string,
): ActionGuard {
  // usePermission revalidates in the background and keeps the last answer,
  // so "loading" only shows on the very first check.
  if (result.loading && !result.allowed) {
    return { allowed: false, reason: 'Checking your permissions…' };
  }
  if (result.error) {
    return {
      allowed: false,
      reason: `Could not check whether you may ${action}: ${result.error.message}`,
    };
  }
  if (!result.allowed) {
    return {
      allowed: false,
      reason: `You may not ${action} (permission ${permissionName}).`,
    };
  }
  return { allowed: true };
}

/**
 * The instance permissions of the current user on one entity. The backend
 * checks them again on every call; the UI checks them to say up front why a
 * button does nothing rather than to protect anything.
 */
export function useInstancePermissions(
  entityRef: string,
  entityName: string,
): InstancePermissions {
  const create = usePermission({
    permission: runnerInstanceCreatePermission,
    resourceRef: entityRef,
  });
  const update = usePermission({
    permission: runnerInstanceUpdatePermission,
    resourceRef: entityRef,
  });
  const remove = usePermission({
    permission: runnerInstanceDeletePermission,
    resourceRef: entityRef,
  });
  return {
    create: permissionGuard(
      create,
      `start instances of ${entityName}`,
      runnerInstanceCreatePermission.name,
    ),
    update: permissionGuard(
      update,
      `stop or restart instances of ${entityName}`,
      runnerInstanceUpdatePermission.name,
    ),
    delete: permissionGuard(
      remove,
      `remove instances of ${entityName}`,
      runnerInstanceDeletePermission.name,
    ),
  };
}
