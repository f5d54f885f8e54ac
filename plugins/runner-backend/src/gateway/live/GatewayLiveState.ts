import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  GATEWAY_OWNERSHIP,
  type GatewayEntityStatusSummary,
  type GatewayObjectRef,
} from '@internal/plugin-runner-common';
import type { KubeObject } from '../../kubernetes/ClusterApi';
import type { ClusterClient } from '../../kubernetes/ClusterClient';
import type { ClusterSet } from '../../kubernetes/ClusterSet';
import {
  ResourceWatcher,
  type CacheChange,
} from '../../kubernetes/ResourceWatcher';
import { redactObject, type KubernetesObject } from '../bundle';
import { MANAGED_KINDS } from '../managedKinds';
import { entityLabelValue, isOwnedBy } from '../ownership';
import { entitySummary, ownerOf } from './statusSummary';

/*
 * The live state of every cluster: one watch-backed cache per cluster and
 * managed kind. Entity lists and status summaries are served from it, and
 * every change is reported to `onChange(entityRef, summary)` (the lead
 * connects that to signals, and NotAccepted to alerts).
 *
 * Secrets are cached with their values removed (key names only), and only
 * the plugin's own (by label). HTTPRoutes are cached whatever their labels,
 * because the AI Gateway generates one per AIGatewayRoute and its
 * `status.parents` says whether Envoy Gateway attached it.
 */

export interface GatewayLiveStateOptions {
  clusters: ClusterSet;
  logger: LoggerService;
  onChange?: (entityRef: string, summary: GatewayEntityStatusSummary) => void;
  /**
   * An entity's object is gone from the cluster (deleted by anyone, or found
   * missing by a re-list): what it raised (a NotAccepted alert) should go
   * too. Summaries cannot say this: a deleted object is simply not in them.
   */
  onDeleted?: (entityRef: string, object: GatewayObjectRef) => void;
  backoff?: { initialMs?: number; maxMs?: number };
}

const MANAGED_SELECTOR = `${GATEWAY_OWNERSHIP.managedByLabel}=${GATEWAY_OWNERSHIP.managedByValue}`;

export class GatewayLiveState {
  readonly #watchers = new Map<string, Map<string, ResourceWatcher>>();
  readonly #pending = new Set<string>();
  #flush: NodeJS.Immediate | undefined;
  #closed = false;

  constructor(private readonly options: GatewayLiveStateOptions) {}

  /** Starts a watcher per cluster and kind; idempotent. */
  start(): void {
    if (this.#closed) return;
    for (const cluster of this.options.clusters.list()) {
      if (!this.#watchers.has(cluster.name) && !cluster.configError) {
        this.#watchers.set(cluster.name, this.#watch(cluster));
      }
    }
  }

  #watch(cluster: ClusterClient): Map<string, ResourceWatcher> {
    const byKind = new Map<string, ResourceWatcher>();
    // One line per cluster outage, not one per kind and retry.
    const outage = { reported: false };
    const onError = (kind: string, error: Error) => {
      if (outage.reported) return;
      outage.reported = true;
      this.options.logger.warn(
        `Gateway watch of cluster ${cluster.name} (${kind}): ${error.message}; retrying with backoff`,
      );
    };
    for (const kind of MANAGED_KINDS) {
      const watcher = new ResourceWatcher({
        api: () => cluster.api(),
        resource: kind,
        labelSelector: kind.kind === 'HTTPRoute' ? undefined : MANAGED_SELECTOR,
        indexLabel: GATEWAY_OWNERSHIP.entityLabel,
        transform:
          kind.kind === 'Secret'
            ? o => redactObject(o) as KubeObject
            : undefined,
        backoff: this.options.backoff,
        onChange: change => {
          outage.reported = false;
          this.#changed(cluster.name, change);
        },
        onError: error => onError(kind.kind, error),
      });
      byKind.set(kind.kind, watcher);
      watcher.start();
    }
    return byKind;
  }

  /** Stops every watch and timer. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#flush) clearImmediate(this.#flush);
    this.#pending.clear();
    await Promise.all(
      [...this.#watchers.values()].flatMap(byKind =>
        [...byKind.values()].map(w => w.close()),
      ),
    );
    this.#watchers.clear();
  }

  /** True when every kind of the cluster is listed (or known not to be installed). */
  isSynced(cluster: string): boolean {
    const byKind = this.#watchers.get(cluster);
    return (
      !!byKind &&
      [...byKind.values()].every(
        w => w.state === 'synced' || w.state === 'not-installed',
      )
    );
  }

  async waitForSync(cluster: string, timeoutMs: number): Promise<boolean> {
    const byKind = this.#watchers.get(cluster);
    if (!byKind) return false;
    await Promise.all([...byKind.values()].map(w => w.waitForSync(timeoutMs)));
    return this.isSynced(cluster);
  }

  /** The entity's objects in the cluster (ownership checked), or undefined when the cache is not synced. */
  objectsOf(
    cluster: string,
    entityRef: string,
  ): KubernetesObject[] | undefined {
    if (!this.isSynced(cluster)) return undefined;
    const label = entityLabelValue(entityRef);
    const byKind = this.#watchers.get(cluster)!;
    return MANAGED_KINDS.flatMap(kind =>
      byKind.get(kind.kind)!.cache.byIndex(label),
    ).filter(o =>
      isOwnedBy(o.metadata as KubernetesObject['metadata'], entityRef),
    ) as KubernetesObject[];
  }

  /** The HTTPRoute the AI Gateway generated from an AIGatewayRoute (same namespace and name, owned by it). */
  generatedRoute(
    cluster: string,
    route: KubernetesObject,
  ): KubernetesObject | undefined {
    const cache = this.#watchers.get(cluster)?.get('HTTPRoute')?.cache;
    const candidate = cache?.get(route.metadata.namespace, route.metadata.name);
    const owners: any[] = candidate?.metadata.ownerReferences ?? [];
    return owners.some(
      o => o.kind === 'AIGatewayRoute' && o.name === route.metadata.name,
    )
      ? (candidate as KubernetesObject)
      : undefined;
  }

  summary(cluster: string, entityRef: string): GatewayEntityStatusSummary {
    return entitySummary(
      entityRef,
      cluster,
      this.objectsOf(cluster, entityRef) ?? [],
      route => this.generatedRoute(cluster, route),
    );
  }

  /** Puts the plugin's own write in the cache at once, so a read right after it sees it. */
  observe(cluster: string, object: KubernetesObject): void {
    const cache = this.#watchers.get(cluster)?.get(object.kind)?.cache;
    const cached = object.kind === 'Secret' ? redactObject(object) : object;
    if (cache?.upsert(cached as KubeObject))
      this.#changed(cluster, {
        type: 'MODIFIED',
        object: cached as KubeObject,
      });
  }

  forget(cluster: string, object: KubernetesObject): void {
    const cache = this.#watchers.get(cluster)?.get(object.kind)?.cache;
    if (cache?.remove(object as KubeObject))
      this.#changed(cluster, { type: 'DELETED', object: object as KubeObject });
  }

  #deleted(entityRef: string, object: KubeObject) {
    try {
      this.options.onDeleted?.(entityRef, {
        apiVersion: object.apiVersion,
        kind: object.kind,
        namespace: object.metadata.namespace,
        name: object.metadata.name,
      });
    } catch (error) {
      this.options.logger.warn(
        `Gateway onDeleted for ${entityRef} failed: ${
          (error as Error).message
        }`,
      );
    }
  }

  #changed(cluster: string, change: CacheChange) {
    if (this.#closed) return;
    let entityRef = ownerOf(change.object as KubernetesObject);
    if (!entityRef && change.object.kind === 'HTTPRoute') {
      // A generated HTTPRoute: its AIGatewayRoute names the entity.
      const owner = (change.object.metadata.ownerReferences ?? []).find(
        (o: any) => o.kind === 'AIGatewayRoute',
      );
      const route = owner
        ? this.#watchers
            .get(cluster)
            ?.get('AIGatewayRoute')
            ?.cache.get(change.object.metadata.namespace, owner.name)
        : undefined;
      entityRef = route ? ownerOf(route as KubernetesObject) : undefined;
    }
    if (!entityRef) return;
    if (change.type === 'DELETED') this.#deleted(entityRef, change.object);
    if (!this.options.onChange) return;
    // Coalesced: a re-list or a bundle apply reports each entity once.
    this.#pending.add(`${cluster}\n${entityRef}`);
    this.#flush ??= setImmediate(() => {
      this.#flush = undefined;
      const pending = [...this.#pending];
      this.#pending.clear();
      for (const key of pending) {
        const [name, ref] = key.split('\n');
        try {
          this.options.onChange?.(ref, this.summary(name, ref));
        } catch (error) {
          this.options.logger.warn(
            `Gateway onChange for ${ref} failed: ${(error as Error).message}`,
          );
        }
      }
    });
  }
}
