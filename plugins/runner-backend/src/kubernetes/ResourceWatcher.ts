import type { ClusterApi, KubeObject, WatchEvent } from './ClusterApi';
import { KubernetesApiError } from './KubernetesApiError';
import { ObjectCache } from './ObjectCache';

/*
 * Keeps an ObjectCache true for one resource of one cluster, the way
 * client-go's reflector does: list, then watch from the list's
 * resourceVersion with bookmarks (so a resumed watch starts from a recent
 * version), resume the watch after it ends, list again when the API server
 * says the version is too old (410 Gone), and retry with exponential backoff
 * (and jitter) while the cluster is unreachable. close() aborts the watch
 * and any pending retry, leaving no handles.
 *
 * A watch asks the server to end it after `watchTimeoutSeconds`, and one
 * that sends nothing (no event, no bookmark) for longer than that plus a
 * grace is taken for dead and replaced: a stalled connection (a hung proxy,
 * a half-dead NAT entry) keeps TCP keepalives answered, so without this the
 * cache would silently stop changing.
 */

export interface WatchedResource {
  apiVersion: string;
  kind: string;
  /** Resource name in URLs, e.g. `httproutes`. */
  plural: string;
}

export type WatcherState =
  | 'starting'
  | 'synced'
  | 'not-installed'
  | 'error'
  | 'closed';

export type CacheChange = {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
};

export interface ResourceWatcherOptions {
  api: () => ClusterApi;
  resource: WatchedResource;
  labelSelector?: string;
  /** Label whose value the cache indexes (the owning entity). */
  indexLabel?: string;
  /** Applied to every object before it is cached, e.g. to drop Secret values. */
  transform?: (object: KubeObject) => KubeObject;
  onChange?: (change: CacheChange) => void;
  onError?: (error: Error) => void;
  backoff?: { initialMs?: number; maxMs?: number };
  /** How long to wait for a watch to be established. Default 10 s. */
  connectTimeoutMs?: number;
  /** The server ends each watch after this long (`timeoutSeconds`). Default 300. */
  watchTimeoutSeconds?: number;
  /** A watch silent for this long is replaced. Default `watchTimeoutSeconds` + 30 s. */
  idleTimeoutMs?: number;
}

function pathOf(resource: WatchedResource): string {
  const base = resource.apiVersion.includes('/')
    ? `/apis/${resource.apiVersion}`
    : `/api/${resource.apiVersion}`;
  return `${base}/${resource.plural}`;
}

type WatchOutcome = {
  gone: boolean;
  resourceVersion: string;
  error?: Error;
  received: number;
};

export class ResourceWatcher {
  readonly cache: ObjectCache;
  #state: WatcherState = 'starting';
  #lastError: string | undefined;
  #closed = false;
  #controller: AbortController | undefined;
  #sleeping: { timer: NodeJS.Timeout; wake: () => void } | undefined;
  #running: Promise<void> | undefined;
  readonly #syncedWaiters = new Set<() => void>();
  /** Lists done so far (the first, and one per 410 Gone). */
  listCount = 0;

  constructor(private readonly options: ResourceWatcherOptions) {
    this.cache = new ObjectCache(options.indexLabel);
  }

  get state(): WatcherState {
    return this.#state;
  }

  get lastError(): string | undefined {
    return this.#lastError;
  }

  start(): void {
    this.#running ??= this.#run();
  }

  /** Resolves once the first list is in the cache; false after the timeout. */
  waitForSync(timeoutMs: number): Promise<boolean> {
    if (this.#state === 'synced') return Promise.resolve(true);
    return new Promise(resolve => {
      const wait: { timer?: NodeJS.Timeout } = {};
      const done = () => {
        clearTimeout(wait.timer);
        this.#syncedWaiters.delete(done);
        resolve(this.#state === 'synced');
      };
      wait.timer = setTimeout(done, timeoutMs);
      this.#syncedWaiters.add(done);
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#state = 'closed';
    this.#controller?.abort();
    if (this.#sleeping) {
      clearTimeout(this.#sleeping.timer);
      this.#sleeping.wake();
    }
    [...this.#syncedWaiters].forEach(done => done());
    await this.#running;
  }

  async #run(): Promise<void> {
    let resourceVersion: string | undefined;
    let attempt = 0;
    while (!this.#closed) {
      try {
        if (resourceVersion === undefined) {
          resourceVersion = await this.#list();
          attempt = 0;
          continue;
        }
        const outcome = await this.#watch(resourceVersion);
        resourceVersion = outcome.gone ? undefined : outcome.resourceVersion;
        if (outcome.error) throw outcome.error;
        if (outcome.received > 0) attempt = 0;
        // A watch that ends without news (idle timeout, proxy) is resumed after a pause that grows.
        if (!outcome.gone && outcome.received === 0)
          await this.#sleep(this.#delay(attempt++));
      } catch (error) {
        if (this.#closed) break;
        const notInstalled =
          error instanceof KubernetesApiError && error.code === 404;
        this.#state = notInstalled ? 'not-installed' : 'error';
        this.#lastError = (error as Error).message;
        this.options.onError?.(error as Error);
        await this.#sleep(this.#delay(attempt++));
      }
    }
  }

  async #list(): Promise<string> {
    const { apiVersion, kind } = this.options.resource;
    const list = await this.options.api().list(apiVersion, kind, {
      labelSelector: this.options.labelSelector,
    });
    if (this.#closed) return list.resourceVersion;
    this.listCount++;
    const changes = this.cache.replaceAll(
      list.items.map(o => this.#transform(o)),
    );
    this.#state = 'synced';
    this.#lastError = undefined;
    [...this.#syncedWaiters].forEach(done => done());
    changes.forEach(change => this.options.onChange?.(change));
    return list.resourceVersion;
  }

  #watch(from: string): Promise<WatchOutcome> {
    return new Promise<WatchOutcome>(resolve => {
      const outcome: WatchOutcome = {
        gone: false,
        resourceVersion: from,
        received: 0,
      };
      let settled = false;
      const connect: { timer?: NodeJS.Timeout } = {};
      const idle: { timer?: NodeJS.Timeout } = {};
      const finish = (error?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(connect.timer);
        clearTimeout(idle.timer);
        resolve({ ...outcome, ...(error && !outcome.gone ? { error } : {}) });
      };
      const watchTimeoutSeconds = this.options.watchTimeoutSeconds ?? 300;
      const idleMs =
        this.options.idleTimeoutMs ?? watchTimeoutSeconds * 1000 + 30_000;
      const armIdle = () => {
        clearTimeout(idle.timer);
        idle.timer = setTimeout(() => {
          // Settle first: aborting calls onDone (without an error) at once.
          finish(
            new Error(
              `the watch of ${this.options.resource.kind} sent nothing for ${idleMs} ms; reconnecting`,
            ),
          );
          this.#controller?.abort();
        }, idleMs);
      };
      connect.timer = setTimeout(
        () => finish(new Error('the watch was not established in time')),
        this.options.connectTimeoutMs ?? 10_000,
      );
      const onEvent = (event: WatchEvent) => {
        clearTimeout(connect.timer);
        if (!settled) armIdle();
        if (event.type === 'ERROR') {
          outcome.gone = event.object?.code === 410;
          finish(new Error(event.object?.message ?? 'watch error'));
          this.#controller?.abort();
          return;
        }
        const rv = event.object?.metadata?.resourceVersion;
        if (rv) outcome.resourceVersion = rv;
        // Resumed after an outage and the API server still had our version:
        // the cache is current again (a 410 would have come as ERROR instead).
        if (this.#state === 'error' && this.listCount > 0) {
          this.#state = 'synced';
          this.#lastError = undefined;
        }
        if (event.type === 'BOOKMARK') return;
        outcome.received++;
        this.#apply(event);
      };
      this.options
        .api()
        .watch(
          pathOf(this.options.resource),
          {
            resourceVersion: from,
            allowWatchBookmarks: 'true',
            timeoutSeconds: String(watchTimeoutSeconds),
            ...(this.options.labelSelector
              ? { labelSelector: this.options.labelSelector }
              : {}),
          },
          onEvent,
          error => finish(this.#explained(error)),
        )
        .then(controller => {
          clearTimeout(connect.timer);
          this.#controller = controller;
          // Closed, or given up on, while connecting.
          if (this.#closed || settled) controller.abort();
          else armIdle();
        })
        .catch(error => finish(error));
    });
  }

  /**
   * client-node's Watch drops the body of a refused watch, so a 403 would
   * only say "HTTP 403": name the verb and resource the API server refused,
   * as its own Status message would.
   */
  #explained(error: Error | undefined): Error | undefined {
    if (!(error instanceof KubernetesApiError) || error.code !== 403)
      return error;
    if (error.reason) return error;
    const { apiVersion, plural } = this.options.resource;
    const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
    return new KubernetesApiError({
      message: `the API server refused to watch ${plural}${
        group ? `.${group}` : ''
      } (HTTP 403): the runner's identity cannot watch resource "${plural}" in API group "${group}" at the cluster scope`,
      kind: 'status',
      code: 403,
      reason: 'Forbidden',
    });
  }

  #apply(event: WatchEvent) {
    const object = this.#transform(event.object as KubeObject);
    const applied =
      event.type === 'DELETED'
        ? this.cache.remove(object)
        : this.cache.upsert(object);
    if (applied) {
      this.options.onChange?.({
        type: event.type as CacheChange['type'],
        object,
      });
    }
  }

  #transform(object: KubeObject): KubeObject {
    const withKind = {
      ...object,
      apiVersion: this.options.resource.apiVersion,
      kind: this.options.resource.kind,
    };
    return this.options.transform ? this.options.transform(withKind) : withKind;
  }

  #delay(attempt: number): number {
    const initial = this.options.backoff?.initialMs ?? 500;
    const max = this.options.backoff?.maxMs ?? 30_000;
    const exponential = Math.min(max, initial * 2 ** Math.min(attempt, 16));
    // Jitter keeps many watchers of a recovering cluster from retrying in lockstep.
    return exponential / 2 + Math.random() * (exponential / 2);
  }

  #sleep(ms: number): Promise<void> {
    if (this.#closed) return Promise.resolve();
    return new Promise(resolve => {
      const wake = () => {
        this.#sleeping = undefined;
        resolve();
      };
      this.#sleeping = { timer: setTimeout(wake, ms), wake };
    });
  }
}
