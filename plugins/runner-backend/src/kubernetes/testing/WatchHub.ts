import type http from 'node:http';
import { matchesLabels, type LabelRequirement } from '../labelSelector';
import type { ObjectStore, StoredEvent, StoredObject } from './ObjectStore';
import { apiVersionOf, typeKey, type ResourceType } from './resourceTypes';
import { statusErrors } from './status';

/*
 * Watches as the API server streams them: one JSON object per line, `ADDED`
 * / `MODIFIED` / `DELETED` / `BOOKMARK`, resumed from a resourceVersion out
 * of the store's event window, or a single `ERROR` event carrying a 410
 * Expired Status when that resourceVersion has left the window. Objects that
 * start or stop matching a selector arrive as ADDED / DELETED, as from the
 * API server's watch cache.
 */

export interface WatchRequest {
  type: ResourceType;
  version: string;
  namespace?: string;
  selector: LabelRequirement[];
  /** `fieldSelector=metadata.name=<name>`. */
  name?: string;
  /** Absent or "0": start with ADDED events for everything that exists. */
  resourceVersion?: string;
  allowBookmarks: boolean;
  timeoutSeconds?: number;
}

interface OpenWatch {
  res: http.ServerResponse;
  request: WatchRequest;
  close(): void;
}

export class WatchHub {
  readonly #open = new Set<OpenWatch>();

  constructor(
    private readonly store: ObjectStore,
    private readonly options: { bookmarkIntervalMs: number },
  ) {}

  get openCount(): number {
    return this.#open.size;
  }

  serve(res: http.ServerResponse, request: WatchRequest): void {
    const { store } = this;
    const key = typeKey(request.type);
    const requested = request.resourceVersion;
    let backlog: Array<{ type: string; object: StoredObject }>;
    let lastSent: number;
    if (!requested || requested === '0') {
      backlog = store
        .list(key, request.namespace)
        .filter(o => this.#matches(request, o))
        .map(object => ({ type: 'ADDED', object }));
      lastSent = store.resourceVersion;
    } else {
      const since = Number(requested);
      if (!Number.isInteger(since) || since < 0) {
        const error = statusErrors.badRequest(
          `invalid resource version "${requested}"`,
        );
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify(error.status));
        return;
      }
      const events = store.eventsSince(since);
      res.writeHead(200, {
        'content-type': 'application/json',
        'transfer-encoding': 'chunked',
      });
      if (events === 'gone') {
        const gone = statusErrors.gone(requested, store.oldestWatchable);
        res.end(`${JSON.stringify({ type: 'ERROR', object: gone.status })}\n`);
        return;
      }
      backlog = events.flatMap(e => this.#translate(request, e) ?? []);
      lastSent = Math.max(since, ...events.map(e => e.rv));
    }
    if (!res.headersSent) {
      res.writeHead(200, {
        'content-type': 'application/json',
        'transfer-encoding': 'chunked',
      });
    }
    const send = (event: { type: string; object: StoredObject }) =>
      res.write(
        `${JSON.stringify({
          type: event.type,
          object: {
            ...event.object,
            apiVersion: apiVersionOf(request.type.group, request.version),
          },
        })}\n`,
      );
    backlog.forEach(send);

    const timers: NodeJS.Timeout[] = [];
    let unsubscribe = () => {};
    const open: OpenWatch = {
      res,
      request,
      close: () => {
        if (!this.#open.delete(open)) return;
        unsubscribe();
        timers.forEach(t => clearTimeout(t));
        res.end();
      },
    };
    unsubscribe = store.subscribe(event => {
      if (event.rv <= lastSent) return;
      lastSent = event.rv;
      const translated = this.#translate(request, event);
      if (translated) send(translated);
    });
    if (request.allowBookmarks) {
      timers.push(
        setInterval(
          () => this.#bookmark(open),
          this.options.bookmarkIntervalMs,
        ),
      );
    }
    if (request.timeoutSeconds) {
      timers.push(
        setTimeout(() => open.close(), request.timeoutSeconds * 1000),
      );
    }
    this.#open.add(open);
    res.on('close', () => open.close());
  }

  /** Sends a BOOKMARK with the current resourceVersion on every watch that asked for bookmarks. */
  sendBookmarks(): void {
    for (const open of this.#open) {
      if (open.request.allowBookmarks) this.#bookmark(open);
    }
  }

  /** Ends every open watch, as an API server restart or a load balancer timeout would. */
  closeAll(): void {
    for (const open of [...this.#open]) open.close();
  }

  #bookmark(open: OpenWatch) {
    const { type, version } = open.request;
    open.res.write(
      `${JSON.stringify({
        type: 'BOOKMARK',
        object: {
          kind: type.kind,
          apiVersion: apiVersionOf(type.group, version),
          metadata: { resourceVersion: String(this.store.resourceVersion) },
        },
      })}\n`,
    );
  }

  #matches(request: WatchRequest, object: StoredObject | undefined): boolean {
    if (!object) return false;
    if (request.namespace && object.metadata.namespace !== request.namespace)
      return false;
    if (request.name && object.metadata.name !== request.name) return false;
    return matchesLabels(request.selector, object.metadata.labels);
  }

  #translate(
    request: WatchRequest,
    event: StoredEvent,
  ): { type: string; object: StoredObject } | undefined {
    if (event.typeKey !== typeKey(request.type)) return undefined;
    const now = this.#matches(request, event.object);
    if (event.type !== 'MODIFIED') {
      return now ? { type: event.type, object: event.object } : undefined;
    }
    const before = this.#matches(request, event.previous);
    if (now && before) return { type: 'MODIFIED', object: event.object };
    if (now) return { type: 'ADDED', object: event.object };
    if (before) return { type: 'DELETED', object: event.object };
    return undefined;
  }
}
