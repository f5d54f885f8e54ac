import type { V1PolicyRule } from '@kubernetes/client-node';
import type { ClusterConfig } from '../../config/RunnerConfig';
import { clusterRoleRules } from '../../kubernetes/__testUtils__/rbacDoc';
import {
  clusterConfigWithToken,
  createTestNamespace,
  serviceAccountWithRules,
} from '../../kubernetes/__testUtils__/testCluster';

/*
 * The plugin in a test runs as docs/kubernetes-rbac.md says it should: the
 * rules come from that page's YAML, so the page and the tests cannot drift.
 * Each test file gets its own gateway namespace and service account; the
 * cluster-wide read role gets a unique name and is deleted afterwards.
 */

export interface DocRbac {
  /** ClusterRole backstage-runner-gateway-read: cluster-wide watches and CRD reads. */
  read: V1PolicyRule[];
  /** ClusterRole backstage-runner-gateway-write: bound in each gateway namespace. */
  write: V1PolicyRule[];
}

export function docRbac(): DocRbac {
  return {
    read: clusterRoleRules('backstage-runner-gateway-read'),
    write: clusterRoleRules('backstage-runner-gateway-write'),
  };
}

/** The doc's rules with one verb taken away from one resource. */
export function withoutVerb(
  rules: V1PolicyRule[],
  resource: string,
  verb: string,
): V1PolicyRule[] {
  return rules.flatMap(rule => {
    if (!rule.resources?.includes(resource)) return [rule];
    const others = rule.resources.filter(r => r !== resource);
    return [
      ...(others.length ? [{ ...rule, resources: others }] : []),
      {
        ...rule,
        resources: [resource],
        verbs: rule.verbs.filter(v => v !== verb),
      },
    ];
  });
}

export interface GatewayTestCluster {
  /** The gateway namespace of this test file's entities. */
  namespace: string;
  /** A `runner.kubernetes.clusters[]` entry for the service account. */
  cluster(name: string, overrides?: Partial<ClusterConfig>): ClusterConfig;
  remove(): Promise<void>;
}

/** A namespace and a service account bound to the doc's roles (or the rules given). */
export async function gatewayTestCluster(
  prefix: string,
  rbac: DocRbac = docRbac(),
): Promise<GatewayTestCluster> {
  const ns = await createTestNamespace(prefix);
  const sa = await serviceAccountWithRules({
    namespace: ns.name,
    clusterRules: rbac.read,
    rules: rbac.write,
  });
  return {
    namespace: ns.name,
    cluster: (name, overrides = {}) => ({
      ...clusterConfigWithToken(sa.token, name),
      ...overrides,
    }),
    remove: async () => {
      await sa.remove();
      await ns.remove();
    },
  };
}
