import { cloneJson } from '../../gateway/validation/schemaWalk';

/*
 * The test API server's "etcd": objects per resource, one cluster-wide
 * monotonic resourceVersion, and a bounded window of past events so that a
 * watch can resume from a resourceVersion, or learn (410 Gone) that it is
 * too old.
 */

export type StoredObject = Record<string, any> & {
  metadata: Record<string, any> & { name: string; namespace?: string };
};

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoredEvent {
  rv: number;
  type: EventType;
  typeKey: string;
  object: StoredObject;
  /** The object before a MODIFIED event, so filtered watches can turn it into ADDED/DELETED. */
  previous?: StoredObject;
}

function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

// Not structuredClone: under jest it makes objects of another realm (see cloneJson).
function clone<T>(value: T): T {
  return cloneJson(value);
}

export class ObjectStore {
  #rv: number;
  readonly #objects = new Map<string, Map<string, StoredObject>>();
  #history: StoredEvent[] = [];
  /** Events with rv ≤ this were dropped from the window. */
  #compactedThrough: number;
  readonly #historyWindow: number;
  readonly #listeners = new Set<(event: StoredEvent) => void>();

  constructor(options: {
    historyWindow: number;
    initialResourceVersion?: number;
  }) {
    this.#historyWindow = options.historyWindow;
    this.#rv = options.initialResourceVersion ?? 1000;
    this.#compactedThrough = this.#rv;
  }

  get resourceVersion(): number {
    return this.#rv;
  }

  /** The oldest resourceVersion a watch can still start from. */
  get oldestWatchable(): number {
    return this.#compactedThrough;
  }

  get(
    typeKey: string,
    namespace: string | undefined,
    name: string,
  ): StoredObject | undefined {
    const found = this.#objects.get(typeKey)?.get(objectKey(namespace, name));
    return found ? clone(found) : undefined;
  }

  /** Objects of a resource, optionally in one namespace, ordered by namespace and name like etcd keys. */
  list(typeKey: string, namespace?: string): StoredObject[] {
    const all = [...(this.#objects.get(typeKey)?.entries() ?? [])]
      .filter(
        ([, o]) =>
          namespace === undefined || o.metadata.namespace === namespace,
      )
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([, o]) => clone(o));
    return all;
  }

  /** Stores the object under a new resourceVersion and publishes the event. */
  write(typeKey: string, object: StoredObject): StoredObject {
    const rv = ++this.#rv;
    const stored = clone(object);
    stored.metadata.resourceVersion = String(rv);
    const bucket = this.#bucket(typeKey);
    const key = objectKey(stored.metadata.namespace, stored.metadata.name);
    const previous = bucket.get(key);
    bucket.set(key, stored);
    this.#publish({
      rv,
      type: previous ? 'MODIFIED' : 'ADDED',
      typeKey,
      object: clone(stored),
      ...(previous ? { previous: clone(previous) } : {}),
    });
    return clone(stored);
  }

  /** Removes the object; the DELETED event carries it with a new resourceVersion, as etcd does. */
  remove(
    typeKey: string,
    namespace: string | undefined,
    name: string,
  ): StoredObject | undefined {
    const bucket = this.#bucket(typeKey);
    const key = objectKey(namespace, name);
    const existing = bucket.get(key);
    if (!existing) return undefined;
    bucket.delete(key);
    const rv = ++this.#rv;
    const deleted = clone(existing);
    deleted.metadata.resourceVersion = String(rv);
    this.#publish({ rv, type: 'DELETED', typeKey, object: clone(deleted) });
    return deleted;
  }

  /** Events after `rv`, or 'gone' when some of them already left the window. */
  eventsSince(rv: number): StoredEvent[] | 'gone' {
    if (rv < this.#compactedThrough) return 'gone';
    return this.#history.filter(e => e.rv > rv).map(e => clone(e));
  }

  /** Forgets every past event, so that any earlier resourceVersion is too old to watch from. */
  compact(): void {
    this.#history = [];
    this.#compactedThrough = this.#rv;
  }

  subscribe(listener: (event: StoredEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #bucket(typeKey: string): Map<string, StoredObject> {
    let bucket = this.#objects.get(typeKey);
    if (!bucket) {
      bucket = new Map();
      this.#objects.set(typeKey, bucket);
    }
    return bucket;
  }

  #publish(event: StoredEvent) {
    this.#history.push(event);
    while (this.#history.length > this.#historyWindow) {
      const dropped = this.#history.shift()!;
      this.#compactedThrough = dropped.rv;
    }
    for (const listener of this.#listeners) listener(clone(event));
  }
}
