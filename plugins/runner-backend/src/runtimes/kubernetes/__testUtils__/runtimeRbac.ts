import type { V1PolicyRule } from '@kubernetes/client-node';
import { clusterRoleRules } from '../../../kubernetes/__testUtils__/rbacDoc';

/** The runtime's RBAC as docs/kubernetes-rbac.md gives it: the tests bind exactly these rules. */
export interface RuntimeRbac {
  /** ClusterRole backstage-runner-runtime: bound in each namespace components run in. */
  namespaced: V1PolicyRule[];
  /** ClusterRole backstage-runner-runtime-node-stats: bound cluster-wide. */
  nodeStats: V1PolicyRule[];
}

export function runtimeRbac(): RuntimeRbac {
  return {
    namespaced: clusterRoleRules('backstage-runner-runtime'),
    nodeStats: clusterRoleRules('backstage-runner-runtime-node-stats'),
  };
}
