import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import {
  CoreV1Api,
  KubeConfig,
  RbacAuthorizationV1Api,
  type V1PolicyRule,
} from '@kubernetes/client-node';
import type { ClusterConfig } from '../../config/RunnerConfig';

/*
 * The real Kubernetes the tests run against: scripts/lib/kubernetes.sh starts
 * one (etcd, kube-apiserver, controllers, a kubelet on containerd) and
 * scripts/test.sh exports RUNNER_TEST_KUBECONFIG; a cluster of your own
 * (kind, k3d, minikube) works the same way. A test file run by hand finds the
 * local cluster's env file. Without a cluster, Kubernetes suites fail —
 * unless test.sh said it may skip them (RUNNER_TEST_KUBERNETES=skip, never
 * under CI).
 */

const LOCAL_ENV_FILE = '/run/backstage-runner/cluster/cluster.env';

export interface TestClusterEnv {
  kubeconfigPath: string;
  /** etcd's client URL when the cluster is the local one (for compaction faults). */
  etcdUrl?: string;
  /** The registry on 127.0.0.1 the node pulls from, when the cluster is the local one. */
  registry?: string;
  /** The folder with the local cluster's component pid files. */
  pidsDir?: string;
  /** kubectl of the local cluster; its folder holds kube-apiserver and etcd too. */
  kubectl?: string;
}

function readEnvFile(file: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const match = /^export ([A-Z_]+)=(.*)$/.exec(line.trim());
    if (match) values[match[1]] = match[2];
  }
  return values;
}

export function testClusterEnv(): TestClusterEnv | undefined {
  let env: Record<string, string | undefined> = process.env;
  if (!env.RUNNER_TEST_KUBECONFIG && fs.existsSync(LOCAL_ENV_FILE)) {
    env = { ...readEnvFile(LOCAL_ENV_FILE), ...env };
  }
  if (!env.RUNNER_TEST_KUBECONFIG) return undefined;
  return {
    kubeconfigPath: env.RUNNER_TEST_KUBECONFIG,
    etcdUrl: env.RUNNER_TEST_ETCD_URL,
    registry: env.RUNNER_TEST_REGISTRY,
    pidsDir: env.RUNNER_TEST_CLUSTER_PIDS,
    kubectl: env.RUNNER_TEST_KUBECTL,
  };
}

/** `describe` for suites that need the cluster; see the note above for when it may skip. */
export function describeWithCluster(name: string, fn: () => void): void {
  if (testClusterEnv()) {
    // eslint-disable-next-line jest/valid-describe-callback, jest/valid-title
    describe(name, fn);
    return;
  }
  if (process.env.RUNNER_TEST_KUBERNETES === 'skip') {
    // eslint-disable-next-line jest/no-disabled-tests, jest/valid-describe-callback
    describe.skip(`${name} (no Kubernetes: scripts/test.sh said so)`, fn);
    return;
  }
  throw new Error(
    `${name} needs a Kubernetes cluster: run scripts/cluster.sh start (or set RUNNER_TEST_KUBECONFIG)`,
  );
}

/** The cluster's admin credentials, as client-node loads them. */
export function adminKubeConfig(): KubeConfig {
  const env = testClusterEnv();
  if (!env) throw new Error('no test cluster (RUNNER_TEST_KUBECONFIG)');
  const kc = new KubeConfig();
  kc.loadFromFile(env.kubeconfigPath);
  return kc;
}

/** The API server's URL and CA (PEM), for a `serviceAccount` ClusterConfig. */
export function apiServer(): { url: string; caData: string } {
  const cluster = adminKubeConfig().getCurrentCluster()!;
  const caData = cluster.caData
    ? Buffer.from(cluster.caData, 'base64').toString('utf8')
    : fs.readFileSync(cluster.caFile!, 'utf8');
  return { url: cluster.server, caData };
}

/** A name no other test run uses, valid as a namespace or object name. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** Creates a namespace for one test file; call the result to delete it. */
export async function createTestNamespace(
  prefix: string,
  labels: Record<string, string> = {},
): Promise<{ name: string; remove: () => Promise<void> }> {
  const core = adminKubeConfig().makeApiClient(CoreV1Api);
  const name = uniqueName(prefix);
  await core.createNamespace({
    body: {
      metadata: { name, labels: { 'runner-test': 'true', ...labels } },
    },
  });
  return {
    name,
    remove: async () => {
      await core.deleteNamespace({ name }).catch(() => undefined);
    },
  };
}

/**
 * A service account bound to exactly the given rules — `rules` in a Role in
 * each of `namespaces` (default: its own), `clusterRules` in a ClusterRole
 * bound cluster-wide — and a token for it: how the plugin is meant to run,
 * instead of as cluster-admin. `remove()` deletes the cluster-scoped parts
 * (the namespaced ones go with their namespace).
 */
export async function serviceAccountWithRules(options: {
  namespace: string;
  name?: string;
  rules?: V1PolicyRule[];
  clusterRules?: V1PolicyRule[];
  namespaces?: string[];
}): Promise<{ token: string; name: string; remove: () => Promise<void> }> {
  const kc = adminKubeConfig();
  const core = kc.makeApiClient(CoreV1Api);
  const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
  const name = options.name ?? uniqueName('runner');
  await core.createNamespacedServiceAccount({
    namespace: options.namespace,
    body: { metadata: { name } },
  });
  const subject = {
    kind: 'ServiceAccount',
    name,
    namespace: options.namespace,
  };
  const roleRef = (kind: string) => ({
    apiGroup: 'rbac.authorization.k8s.io',
    kind,
    name,
  });
  if (options.clusterRules) {
    await rbac.createClusterRole({
      body: { metadata: { name }, rules: options.clusterRules },
    });
    await rbac.createClusterRoleBinding({
      body: {
        metadata: { name },
        roleRef: roleRef('ClusterRole'),
        subjects: [subject],
      },
    });
  }
  if (options.rules) {
    for (const namespace of options.namespaces ?? [options.namespace]) {
      await rbac.createNamespacedRole({
        namespace,
        body: { metadata: { name }, rules: options.rules },
      });
      await rbac.createNamespacedRoleBinding({
        namespace,
        body: {
          metadata: { name },
          roleRef: roleRef('Role'),
          subjects: [subject],
        },
      });
    }
  }
  const request = await core.createNamespacedServiceAccountToken({
    namespace: options.namespace,
    name,
    body: { spec: { audiences: [], expirationSeconds: 3600 } },
  });
  return {
    token: request.status!.token,
    name,
    remove: async () => {
      if (!options.clusterRules) return;
      await rbac.deleteClusterRoleBinding({ name }).catch(() => undefined);
      await rbac.deleteClusterRole({ name }).catch(() => undefined);
    },
  };
}

/** A `runner.kubernetes.clusters[]` entry for a token on the test cluster. */
export function clusterConfigWithToken(
  token: string,
  name = 'test',
): ClusterConfig {
  const { url, caData } = apiServer();
  return {
    name,
    url,
    auth: { type: 'serviceAccount', token },
    caData,
    skipTLSVerify: false,
    connectionTimeoutMs: 10_000,
  };
}
