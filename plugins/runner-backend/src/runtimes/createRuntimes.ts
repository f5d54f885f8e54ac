import type { LoggerService } from '@backstage/backend-plugin-api';
import type { RunnerRuntime } from '@internal/plugin-runner-node';
import type { RuntimeSettings } from '../config/runtimeChoice';
import type { ClusterConfig } from '../config/RunnerConfig';
import { pushClientFor } from '../docker/pushClient';
import type { DockerRuntime } from '../docker/types';
import { kubeConfigFor } from '../kubernetes/ClusterClient';
import { dockerPrepare } from './docker/dockerPrepare';
import { DockerEnginePusher, KubernetesRuntime } from './kubernetes';

/*
 * The runtimes besides the Docker engine, from config: Kubernetes when a
 * cluster of runner.kubernetes.clusters has namespaces and a registry
 * (readRuntimeSettings checked both). Docker builds the images either way.
 */
export function createRuntimes(options: {
  settings: RuntimeSettings;
  clusters: ClusterConfig[];
  docker: Pick<DockerRuntime, 'findImage' | 'build'>;
  dockerEndpoint: string;
  logger: LoggerService;
}): { runtimes: Map<string, RunnerRuntime>; close(): Promise<void> } {
  const runtimes = new Map<string, RunnerRuntime>();
  const targets = options.settings.clusters.flatMap(cluster => {
    const connection = options.clusters.find(c => c.name === cluster.name);
    if (!connection || !cluster.registry || cluster.namespaces.length === 0) {
      return [];
    }
    return [
      {
        name: cluster.name,
        kubeConfig: kubeConfigFor(connection),
        timeoutMs: connection.connectionTimeoutMs,
        namespaces: cluster.namespaces,
        registry: cluster.registry,
      },
    ];
  });
  let kubernetes: KubernetesRuntime | undefined;
  if (targets.length > 0) {
    kubernetes = new KubernetesRuntime({
      clusters: targets,
      defaultCluster: targets.some(
        t => t.name === options.settings.defaultCluster,
      )
        ? options.settings.defaultCluster
        : undefined,
      builder: dockerPrepare(options.docker),
      pusher: new DockerEnginePusher(pushClientFor(options.dockerEndpoint)),
      logger: options.logger,
    });
    runtimes.set(kubernetes.id, kubernetes);
  }
  return {
    runtimes,
    close: async () => {
      await kubernetes?.close();
    },
  };
}
