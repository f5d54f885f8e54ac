import { KubeConfig, VersionApi } from '@kubernetes/client-node';
import type { KubernetesClusterHealth } from '@internal/plugin-runner-common';
import type { ClusterConfig } from '../config/RunnerConfig';

/** Builds the client-node KubeConfig for one configured cluster. */
export function kubeConfigFor(cluster: ClusterConfig): KubeConfig {
  const kc = new KubeConfig();
  switch (cluster.auth.type) {
    case 'serviceAccount':
      kc.loadFromOptions({
        clusters: [
          {
            name: cluster.name,
            server: cluster.url!,
            // kubeconfig carries CA data base64-encoded; app-config takes PEM.
            caData: cluster.caData
              ? Buffer.from(cluster.caData).toString('base64')
              : undefined,
            caFile: cluster.caFile,
            skipTLSVerify: cluster.skipTLSVerify,
          },
        ],
        users: [{ name: cluster.name, token: cluster.auth.token }],
        contexts: [
          { name: cluster.name, cluster: cluster.name, user: cluster.name },
        ],
        currentContext: cluster.name,
      });
      break;
    case 'kubeconfig':
      if (cluster.auth.kubeconfigPath) {
        kc.loadFromFile(cluster.auth.kubeconfigPath);
      } else {
        kc.loadFromDefault();
      }
      if (cluster.auth.context) {
        kc.setCurrentContext(cluster.auth.context);
      }
      break;
    case 'inCluster':
      kc.loadFromCluster();
      break;
    default:
      throw new Error('unknown cluster auth type');
  }
  return kc;
}

function describeClusterError(
  error: unknown,
  url: string,
  timeoutMs: number,
): string {
  // client-node's ApiException carries the HTTP status as a numeric `code`;
  // network failures carry an errno string, sometimes on `cause`.
  const err = error as {
    code?: unknown;
    cause?: { code?: unknown };
    message?: string;
    name?: string;
  };
  const code = err?.cause?.code ?? err?.code;
  if (code === 'ECONNREFUSED') {
    return `connection refused at ${url}; the API server is not listening there`;
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return `the host of ${url} does not resolve`;
  }
  if (code === 401 || code === 403) {
    return `the API server at ${url} refused the credentials (HTTP ${code}); check the token or kubeconfig user`;
  }
  if (
    typeof code === 'string' &&
    /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)
  ) {
    return `TLS verification of ${url} failed (${code}); set caData or caFile for this cluster`;
  }
  if (err?.name === 'TimeoutError' || /timed? ?out/i.test(err?.message ?? '')) {
    return `the API server at ${url} did not answer within ${timeoutMs} ms`;
  }
  return `cannot reach the API server at ${url}: ${
    err?.message ?? String(error)
  }`;
}

/**
 * One configured cluster. Nothing outside `kubernetes/` and `gateway/`
 * imports client-node.
 */
export class ClusterClient {
  readonly name: string;
  readonly url: string;
  private readonly kubeConfig?: KubeConfig;
  private readonly configError?: string;
  private readonly timeoutMs: number;

  constructor(cluster: ClusterConfig) {
    this.name = cluster.name;
    this.timeoutMs = cluster.connectionTimeoutMs;
    let kubeConfig: KubeConfig | undefined;
    let configError: string | undefined;
    try {
      kubeConfig = kubeConfigFor(cluster);
    } catch (error) {
      // A broken kubeconfig must not take the other clusters (or the backend) down.
      configError = `cannot load the credentials of cluster '${
        cluster.name
      }': ${(error as Error).message}`;
    }
    this.kubeConfig = kubeConfig;
    this.configError = configError;
    this.url =
      cluster.url ?? kubeConfig?.getCurrentCluster()?.server ?? '(unknown)';
  }

  async health(): Promise<KubernetesClusterHealth> {
    const base = { name: this.name, url: this.url };
    if (!this.kubeConfig) {
      return { ...base, reachable: false, reason: this.configError };
    }
    const api = this.kubeConfig.makeApiClient(VersionApi);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new Error('timed out');
        error.name = 'TimeoutError';
        reject(error);
      }, this.timeoutMs);
    });
    try {
      const version = await Promise.race([api.getCode(), timeout]);
      return { ...base, reachable: true, version: version.gitVersion };
    } catch (error) {
      return {
        ...base,
        reachable: false,
        reason: describeClusterError(error, this.url, this.timeoutMs),
      };
    } finally {
      clearTimeout(timer);
    }
  }
}
