import { KubeConfig } from '@kubernetes/client-node';
import type { KubernetesClusterHealth } from '@internal/plugin-runner-common';
import type { ClusterConfig } from '../config/RunnerConfig';
import { ClusterApi } from './ClusterApi';
import { KubernetesApiError } from './KubernetesApiError';

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

/**
 * One configured cluster. Nothing outside `kubernetes/` and `gateway/`
 * imports client-node.
 */
export class ClusterClient {
  readonly name: string;
  readonly url: string;
  readonly timeoutMs: number;
  readonly #api?: ClusterApi;
  /** Why the cluster's credentials could not be loaded, when they could not. */
  readonly configError?: string;

  constructor(cluster: ClusterConfig) {
    this.name = cluster.name;
    this.timeoutMs = cluster.connectionTimeoutMs;
    let api: ClusterApi | undefined;
    let url = cluster.url;
    try {
      const kubeConfig = kubeConfigFor(cluster);
      url = url ?? kubeConfig.getCurrentCluster()?.server;
      api = new ClusterApi(kubeConfig, {
        url: url ?? '(unknown)',
        timeoutMs: this.timeoutMs,
      });
    } catch (error) {
      // A broken kubeconfig must not take the other clusters (or the backend) down.
      this.configError = `cannot load the credentials of cluster '${
        cluster.name
      }': ${(error as Error).message}`;
    }
    this.#api = api;
    this.url = url ?? '(unknown)';
  }

  /** The cluster's API; a KubernetesApiError (kind `config`) when its credentials could not be loaded. */
  api(): ClusterApi {
    if (!this.#api) {
      throw new KubernetesApiError({
        message: this.configError ?? `cluster '${this.name}' is not usable`,
        kind: 'config',
      });
    }
    return this.#api;
  }

  async health(): Promise<KubernetesClusterHealth> {
    const base = { name: this.name, url: this.url };
    try {
      const version = await this.api().version();
      return { ...base, reachable: true, version };
    } catch (error) {
      return {
        ...base,
        reachable: false,
        reason: (error as Error).message,
      };
    }
  }
}
