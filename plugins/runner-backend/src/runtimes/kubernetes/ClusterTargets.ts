import type { LoggerService } from '@backstage/backend-plugin-api';
import type { KubeConfig } from '@kubernetes/client-node';
import {
  runtimeError,
  type RuntimePlacement,
} from '@internal/plugin-runner-node';
import { RegistryClient, type RegistryConfig } from './registry/RegistryClient';
import { KubeHttp } from './wire/KubeHttp';
import { NamespaceWatch } from './wire/NamespaceWatch';
import { apiFailure } from './wire/apiFailure';
import { MANAGED_SELECTOR } from './workload/names';

/*
 * The clusters the runtime may run on, each with its API client, registry,
 * allowed namespaces and one set of informers per namespace in use (started
 * on first use, shared by every instance there).
 */

export interface KubernetesClusterTarget {
  /** `runner.kubernetes.clusters[].name`. */
  name: string;
  kubeConfig: KubeConfig;
  /** Per API call. Default 10 s. */
  timeoutMs?: number;
  /** Namespaces components may run in; the first is the default. */
  namespaces: string[];
  registry: RegistryConfig;
}

export interface ResolvedTarget {
  cluster: string;
  namespace: string;
  http: KubeHttp;
  registry: RegistryClient;
}

interface Target {
  config: KubernetesClusterTarget;
  http: KubeHttp;
  registry: RegistryClient;
  watches: Map<string, Promise<NamespaceWatch>>;
}

export class ClusterTargets {
  readonly #targets = new Map<string, Target>();
  readonly #default: string;

  constructor(
    clusters: KubernetesClusterTarget[],
    private readonly options: {
      defaultCluster?: string;
      logger: LoggerService;
    },
  ) {
    if (clusters.length === 0) {
      throw new Error('the Kubernetes runtime needs at least one cluster');
    }
    for (const config of clusters) {
      if (config.name.includes('/') || config.namespaces.length === 0) {
        throw new Error(
          `cluster '${config.name}' needs a name without '/' and at least one namespace`,
        );
      }
      const timeoutMs = config.timeoutMs ?? 10_000;
      this.#targets.set(config.name, {
        config,
        http: new KubeHttp(config.kubeConfig, { timeoutMs }),
        registry: new RegistryClient(config.registry, {
          cluster: config.name,
          timeoutMs,
        }),
        watches: new Map(),
      });
    }
    this.#default = options.defaultCluster ?? clusters[0].name;
  }

  /** Every configured cluster and namespace. */
  placements(): Array<{ cluster: string; namespace: string }> {
    return [...this.#targets.values()].flatMap(t =>
      t.config.namespaces.map(namespace => ({
        cluster: t.config.name,
        namespace,
      })),
    );
  }

  /** The cluster and namespace a placement names; an unknown one is a config error naming the key. */
  resolve(
    placement: RuntimePlacement | undefined,
    entityName = '<name>',
  ): ResolvedTarget {
    const name = placement?.cluster ?? this.#default;
    const target = this.#targets.get(name);
    if (!target) {
      throw runtimeError('CONFIG_INVALID', `unknown cluster '${name}'`, {
        userMessage: `The component names cluster '${name}', which is not configured.`,
        remediation: `Set \`runner.components.${entityName}.cluster\` to one of ${[
          ...this.#targets.keys(),
        ].join(', ')}, or add it under \`runner.kubernetes.clusters\`.`,
      });
    }
    const namespace = placement?.namespace ?? target.config.namespaces[0];
    if (!target.config.namespaces.includes(namespace)) {
      throw runtimeError(
        'CONFIG_INVALID',
        `namespace '${namespace}' is not allowed on cluster '${name}'`,
        {
          userMessage: `The component asks for namespace '${namespace}', which cluster '${name}' does not allow.`,
          remediation: `Set \`runner.components.${entityName}.namespace\` to one of ${target.config.namespaces.join(
            ', ',
          )}, or add '${namespace}' to \`runner.kubernetes.clusters[].namespaces\` of '${name}' (and bind the runner's Role there).`,
        },
      );
    }
    return {
      cluster: name,
      namespace,
      http: target.http,
      registry: target.registry,
    };
  }

  /** The namespace's informers, synced; started on first use. */
  async watch(cluster: string, namespace: string): Promise<NamespaceWatch> {
    const target = this.#targets.get(cluster);
    if (!target) throw new Error(`unknown cluster '${cluster}'`);
    let started = target.watches.get(namespace);
    if (!started) {
      const watch = new NamespaceWatch({
        kubeConfig: target.config.kubeConfig,
        url: target.http.server,
        timeoutMs: target.config.timeoutMs ?? 10_000,
        namespace,
        labelSelector: MANAGED_SELECTOR,
        onError: error =>
          this.options.logger.debug(
            `informer in ${cluster}/${namespace}: ${error.message}`,
          ),
      });
      started = watch
        .start((target.config.timeoutMs ?? 10_000) * 2)
        .then(() => watch)
        .catch(async error => {
          target.watches.delete(namespace);
          await watch.close();
          throw apiFailure(error, {
            cluster,
            namespace,
            action:
              'list and watch Deployments, ReplicaSets, Pods, Jobs and Events',
          });
        });
      target.watches.set(namespace, started);
    }
    return started;
  }

  async close(): Promise<void> {
    for (const target of this.#targets.values()) {
      const watches = [...target.watches.values()];
      target.watches.clear();
      await Promise.all(
        watches.map(w => w.then(x => x.close()).catch(() => undefined)),
      );
      target.http.close();
    }
  }
}
