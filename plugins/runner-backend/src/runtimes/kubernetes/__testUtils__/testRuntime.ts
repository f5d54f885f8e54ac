import { randomUUID } from 'node:crypto';
import { mockServices } from '@backstage/backend-test-utils';
import type { LaunchSpec } from '@internal/plugin-runner-node';
import { kubeConfigFor } from '../../../kubernetes/ClusterClient';
import {
  clusterConfigWithToken,
  createTestNamespace,
  serviceAccountWithRules,
  testClusterEnv,
} from '../../../kubernetes/__testUtils__/testCluster';
import {
  KubernetesRuntime,
  type KubernetesRuntimeOptions,
} from '../KubernetesRuntime';
import { DockerEnginePusher } from '../registry/DockerEnginePusher';
import { docker, testBuilder } from './imageBuilder';
import { runtimeRbac } from './runtimeRbac';

/*
 * A KubernetesRuntime as it runs in production, against the test cluster:
 * a namespace of its own, a service account bound to exactly the doc's
 * RBAC, the cluster's registry, the real Docker engine for builds and pushes.
 */

export interface TestRuntime {
  runtime: KubernetesRuntime;
  namespace: string;
  installationId: string;
  /** Stops the runtime's informers, deletes the namespace and the cluster-wide binding. */
  close(): Promise<void>;
}

export async function testRuntime(
  prefix: string,
  options: {
    extraNamespaces?: string[];
  } & Partial<KubernetesRuntimeOptions> = {},
): Promise<TestRuntime> {
  const env = testClusterEnv()!;
  const ns = await createTestNamespace(prefix);
  const rbac = runtimeRbac();
  const sa = await serviceAccountWithRules({
    namespace: ns.name,
    rules: rbac.namespaced,
    clusterRules: rbac.nodeStats,
  });
  const runtime = new KubernetesRuntime({
    clusters: [
      {
        name: 'test',
        kubeConfig: kubeConfigFor(clusterConfigWithToken(sa.token, 'test')),
        namespaces: [ns.name, ...(options.extraNamespaces ?? [])],
        registry: { host: env.registry ?? '127.0.0.1:5001' },
      },
    ],
    builder: testBuilder,
    pusher: new DockerEnginePusher(docker),
    logger: mockServices.logger.mock(),
    // Pods of two parallel suites share two cores in CI: give deletions room.
    settleMs: 60_000,
    ...options,
  });
  return {
    runtime,
    namespace: ns.name,
    installationId: `test-${prefix}`,
    close: async () => {
      await runtime.close();
      await sa.remove();
      await ns.remove();
    },
  };
}

/** A launch spec with small limits: two cores are shared by every test. */
export function specFor(
  entityName: string,
  installationId: string,
  overrides: Partial<LaunchSpec> = {},
): LaunchSpec {
  return {
    instanceId: randomUUID(),
    entityRef: `component:default/${entityName}`,
    entityName,
    installationId,
    configHash: 'test',
    env: {},
    secretEnv: {},
    ports: [],
    resources: {
      memoryBytes: 32 * 1024 * 1024,
      nanoCpus: 100_000_000,
      pidsLimit: 64,
    },
    readOnlyRootFilesystem: false,
    stopTimeoutSeconds: 5,
    ...overrides,
  };
}
