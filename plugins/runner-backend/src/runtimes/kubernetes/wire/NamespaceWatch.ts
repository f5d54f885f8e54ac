import type { KubeConfig } from '@kubernetes/client-node';
import {
  ClusterApi,
  type KubeObject,
  type ListResult,
  type WatchEvent,
} from '../../../kubernetes/ClusterApi';
import {
  ResourceWatcher,
  type WatchedResource,
} from '../../../kubernetes/ResourceWatcher';
import { LABELS } from '../workload/names';

/*
 * Informers for one namespace: Deployments, ReplicaSets, Pods and Jobs of
 * this installation (by label), and the namespace's Warning-worthy Events.
 * The shared ResourceWatcher does the reflector's work (list, watch with
 * bookmarks, 410 Gone, backoff); this class scopes it to a namespace, which
 * is all a namespace-scoped Role may list, and tells listeners what changed.
 */

export const WATCHED = {
  Deployment: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    plural: 'deployments',
  },
  ReplicaSet: {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    plural: 'replicasets',
  },
  Pod: { apiVersion: 'v1', kind: 'Pod', plural: 'pods' },
  Job: { apiVersion: 'batch/v1', kind: 'Job', plural: 'jobs' },
  Event: { apiVersion: 'v1', kind: 'Event', plural: 'events' },
} satisfies Record<string, WatchedResource>;

export type WatchedKind = keyof typeof WATCHED;

/** ClusterApi's list and watch, confined to one namespace. */
class NamespacedApi extends ClusterApi {
  constructor(
    kubeConfig: KubeConfig,
    options: { url: string; timeoutMs: number },
    private readonly namespace: string,
  ) {
    super(kubeConfig, options);
  }

  override list(
    apiVersion: string,
    kind: string,
    options: { namespace?: string; labelSelector?: string } = {},
  ): Promise<ListResult> {
    return super.list(apiVersion, kind, {
      ...options,
      namespace: this.namespace,
    });
  }

  override watch(
    path: string,
    query: Record<string, string>,
    onEvent: (event: WatchEvent) => void,
    onDone: (error?: Error) => void,
  ): Promise<AbortController> {
    // `/apis/apps/v1/deployments` → `/apis/apps/v1/namespaces/<ns>/deployments`
    const scoped = path.replace(
      /\/([^/]+)$/,
      `/namespaces/${encodeURIComponent(this.namespace)}/$1`,
    );
    return super.watch(scoped, query, onEvent, onDone);
  }
}

/** Events keep only what the runtime reads: what, why, and about whom. */
function slimEvent(object: KubeObject): KubeObject {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata: {
      name: object.metadata.name,
      namespace: object.metadata.namespace,
      resourceVersion: object.metadata.resourceVersion,
    },
    type: object.type,
    reason: object.reason,
    message: object.message,
    count: object.count,
    involvedObject: {
      kind: object.involvedObject?.kind,
      name: object.involvedObject?.name,
      uid: object.involvedObject?.uid,
    },
    lastTimestamp: object.lastTimestamp ?? object.eventTime,
  };
}

export interface NamespaceWatchOptions {
  kubeConfig: KubeConfig;
  url: string;
  timeoutMs: number;
  namespace: string;
  /** Selects this installation's objects. */
  labelSelector: string;
  onError?: (error: Error) => void;
}

export class NamespaceWatch {
  readonly namespace: string;
  readonly #watchers: Record<WatchedKind, ResourceWatcher>;
  readonly #listeners = new Set<
    (kind: WatchedKind, object: KubeObject) => void
  >();
  /** The last error of each informer, to say why one does not sync. */
  readonly #errors = new Map<WatchedKind, Error>();
  /** Called with an error no retry fixes (401, 403), so start() fails at once. */
  #refused?: (error: Error) => void;

  constructor(options: NamespaceWatchOptions) {
    this.namespace = options.namespace;
    const api = new NamespacedApi(
      options.kubeConfig,
      { url: options.url, timeoutMs: options.timeoutMs },
      options.namespace,
    );
    const watcher = (kind: WatchedKind) =>
      new ResourceWatcher({
        api: () => api,
        resource: WATCHED[kind],
        // Events carry no labels: all of the namespace's, slimmed.
        labelSelector: kind === 'Event' ? undefined : options.labelSelector,
        indexLabel: kind === 'Event' ? undefined : LABELS.instanceId,
        transform: kind === 'Event' ? slimEvent : undefined,
        onChange: change => this.#notify(kind, change.object),
        onError: error => {
          this.#errors.set(kind, error);
          const code = (error as { code?: unknown }).code;
          if (code === 401 || code === 403) this.#refused?.(error);
          options.onError?.(error);
        },
        // Short watches: a cut connection is noticed and resumed quickly.
        watchTimeoutSeconds: 240,
        backoff: { initialMs: 200, maxMs: 10_000 },
      });
    this.#watchers = {
      Deployment: watcher('Deployment'),
      ReplicaSet: watcher('ReplicaSet'),
      Pod: watcher('Pod'),
      Job: watcher('Job'),
      Event: watcher('Event'),
    };
  }

  /** Starts every informer; resolves once all have listed, rejects with the first one's error otherwise. */
  async start(timeoutMs: number): Promise<void> {
    const watchers = Object.values(this.#watchers);
    watchers.forEach(w => w.start());
    const refused = new Promise<never>((_, reject) => {
      this.#refused = reject;
    });
    const synced = await Promise.race([
      Promise.all(watchers.map(w => w.waitForSync(timeoutMs))),
      refused,
    ]).finally(() => {
      this.#refused = undefined;
    });
    const kinds = Object.keys(this.#watchers) as WatchedKind[];
    const failed = kinds.find((_, i) => !synced[i]);
    if (failed) {
      throw (
        this.#errors.get(failed) ??
        new Error(
          `the ${failed} informer of namespace ${this.namespace} did not sync within ${timeoutMs} ms`,
        )
      );
    }
  }

  /** The cached objects of one instance. */
  of(kind: Exclude<WatchedKind, 'Event'>, instanceId: string): KubeObject[] {
    return this.#watchers[kind].cache.byIndex(instanceId);
  }

  /** Every cached object of a kind (Events: the namespace's). */
  all(kind: WatchedKind): KubeObject[] {
    return this.#watchers[kind].cache.list();
  }

  /** Calls `listener` after every change; returns the unsubscribe. */
  onChange(
    listener: (kind: WatchedKind, object: KubeObject) => void,
  ): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Resolves true once `condition` holds (checked now and after every
   * change), false after `timeoutMs`: waiting on the cluster without polling.
   */
  waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
    if (condition()) return Promise.resolve(true);
    return new Promise(resolve => {
      const timer = setTimeout(() => finish(false), timeoutMs);
      const unsubscribe = this.onChange(() => {
        if (condition()) finish(true);
      });
      function finish(result: boolean) {
        clearTimeout(timer);
        unsubscribe();
        resolve(result);
      }
    });
  }

  async close(): Promise<void> {
    this.#listeners.clear();
    await Promise.all(Object.values(this.#watchers).map(w => w.close()));
  }

  #notify(kind: WatchedKind, object: KubeObject) {
    for (const listener of [...this.#listeners]) {
      try {
        listener(kind, object);
      } catch {
        // A listener's bug must not stop the informer.
      }
    }
  }
}
