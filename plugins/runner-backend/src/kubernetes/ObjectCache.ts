import type { KubeObject } from './ClusterApi';
import { matchesLabels, type LabelRequirement } from './labelSelector';

/*
 * The objects of one resource in one cluster, as the last list and the watch
 * since then say they are, indexed by one label (the owning entity) so an
 * entity's objects are found without scanning the rest.
 *
 * Writes made by the plugin itself are put in straight away ("write
 * through") so a read right after a write sees it. Watch events may arrive
 * after that with an older state; resourceVersions are opaque to clients in
 * principle, but every API server in practice issues increasing integers
 * (etcd revisions), so when both sides are integers the newer one wins.
 */

function keyOf(object: KubeObject): string {
  return `${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}

function rvOf(object: KubeObject | undefined): number | undefined {
  const rv = Number(object?.metadata?.resourceVersion);
  return Number.isSafeInteger(rv) ? rv : undefined;
}

/** Whether `incoming` is not older than `existing` (unknown order counts as newer). */
function notOlder(
  incoming: KubeObject,
  existing: KubeObject | number | undefined,
): boolean {
  const next = rvOf(incoming);
  const current = typeof existing === 'number' ? existing : rvOf(existing);
  return next === undefined || current === undefined || next >= current;
}

export class ObjectCache {
  readonly #objects = new Map<string, KubeObject>();
  readonly #index = new Map<string, Set<string>>();
  /** resourceVersion at which an object was deleted, so a late older event does not bring it back. */
  readonly #deletedAt = new Map<string, number>();

  constructor(private readonly indexLabel?: string) {}

  get size(): number {
    return this.#objects.size;
  }

  /** Replaces everything with a fresh list; returns what changed, for change notifications. */
  replaceAll(
    items: KubeObject[],
  ): Array<{ type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KubeObject }> {
    const changes: Array<{
      type: 'ADDED' | 'MODIFIED' | 'DELETED';
      object: KubeObject;
    }> = [];
    const fresh = new Map(items.map(o => [keyOf(o), o]));
    for (const [key, old] of this.#objects) {
      if (!fresh.has(key)) changes.push({ type: 'DELETED', object: old });
    }
    for (const [key, object] of fresh) {
      const old = this.#objects.get(key);
      if (!old) changes.push({ type: 'ADDED', object });
      else if (
        old.metadata.resourceVersion !== object.metadata.resourceVersion
      ) {
        changes.push({ type: 'MODIFIED', object });
      }
    }
    this.#objects.clear();
    this.#index.clear();
    this.#deletedAt.clear();
    for (const object of items) this.#put(object);
    return changes;
  }

  /** Adds or replaces; false (and nothing changes) when the cache already holds a newer state. */
  upsert(object: KubeObject): boolean {
    const key = keyOf(object);
    const deletedAt = this.#deletedAt.get(key);
    if (deletedAt !== undefined) {
      const rv = rvOf(object);
      if (rv !== undefined && rv <= deletedAt) return false;
      this.#deletedAt.delete(key);
    }
    if (!notOlder(object, this.#objects.get(key))) return false;
    this.#drop(key);
    this.#put(object);
    return true;
  }

  /** Removes; false when the cache holds a newer state than the deleted one. */
  remove(object: KubeObject): boolean {
    const key = keyOf(object);
    const existing = this.#objects.get(key);
    if (existing && !notOlder(object, existing)) return false;
    const rv = rvOf(object);
    if (rv !== undefined) this.#deletedAt.set(key, rv);
    return this.#drop(key);
  }

  get(namespace: string | undefined, name: string): KubeObject | undefined {
    return this.#objects.get(`${namespace ?? ''}/${name}`);
  }

  /** Objects carrying `indexLabel=value` (the index), optionally further filtered. */
  byIndex(
    value: string,
    selector: LabelRequirement[] = [],
    namespace?: string,
  ): KubeObject[] {
    const keys = this.#index.get(value) ?? new Set<string>();
    return [...keys]
      .map(key => this.#objects.get(key)!)
      .filter(
        o => namespace === undefined || o.metadata.namespace === namespace,
      )
      .filter(o => matchesLabels(selector, o.metadata.labels));
  }

  list(selector: LabelRequirement[] = [], namespace?: string): KubeObject[] {
    return [...this.#objects.values()]
      .filter(
        o => namespace === undefined || o.metadata.namespace === namespace,
      )
      .filter(o => matchesLabels(selector, o.metadata.labels));
  }

  #put(object: KubeObject) {
    const key = keyOf(object);
    this.#objects.set(key, object);
    const value = this.indexLabel
      ? object.metadata.labels?.[this.indexLabel]
      : undefined;
    if (value !== undefined) {
      let keys = this.#index.get(value);
      if (!keys) this.#index.set(value, (keys = new Set()));
      keys.add(key);
    }
  }

  #drop(key: string): boolean {
    const existing = this.#objects.get(key);
    if (!existing) return false;
    this.#objects.delete(key);
    const value = this.indexLabel
      ? existing.metadata.labels?.[this.indexLabel]
      : undefined;
    if (value !== undefined) {
      const keys = this.#index.get(value);
      keys?.delete(key);
      if (keys?.size === 0) this.#index.delete(value);
    }
    return true;
  }
}
