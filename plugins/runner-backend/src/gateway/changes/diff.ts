import type {
  GatewayFieldChange,
  GatewayObjectDiff,
} from '@internal/plugin-runner-common';
import { isSecret, objectRef, type KubernetesObject } from '../bundle';
import { refKey, withoutServerFields } from '../live/liveObjects';

/*
 * Per-field differences between what a change proposes and what is live.
 * Secrets compare key names only: a key that is sent shows as replaced
 * ("set" → "set") whether or not the value differs, because telling a
 * caller that a guessed value equals the stored one would reveal it.
 * Keys kept from the live Secret (an edit that sends no credentials) show
 * as unchanged.
 */

function isPlain(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    isPlain(v)
      ? Object.fromEntries(
          Object.entries(v).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

/** `spec.rules`, `metadata.labels[runner.backstage.io/bundle]`: the API server's field path style. */
function child(path: string, key: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
    return path ? `${path}.${key}` : key;
  return `${path}[${key}]`;
}

function walk(
  path: string,
  before: unknown,
  after: unknown,
  out: GatewayFieldChange[],
) {
  if (canonical(before) === canonical(after)) return;
  if (before === undefined) {
    out.push({ path, op: 'add', after });
    return;
  }
  if (after === undefined) {
    out.push({ path, op: 'remove', before });
    return;
  }
  if (isPlain(before) && isPlain(after)) {
    const keys = [
      ...new Set([...Object.keys(before), ...Object.keys(after)]),
    ].sort();
    for (const key of keys)
      walk(child(path, key), before[key], after[key], out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      walk(`${path}[${i}]`, before[i], after[i], out);
    }
    return;
  }
  out.push({ path, op: 'replace', before, after });
}

function secretKeys(secret: KubernetesObject | undefined): string[] {
  if (!secret) return [];
  const keys = new Set<string>();
  for (const field of ['data', 'stringData']) {
    const entries = (secret as Record<string, unknown>)[field];
    if (isPlain(entries)) Object.keys(entries).forEach(k => keys.add(k));
  }
  return [...keys].sort();
}

function withoutValues(secret: KubernetesObject): KubernetesObject {
  const {
    data: _d,
    stringData: _s,
    ...rest
  } = secret as KubernetesObject & { data?: unknown; stringData?: unknown };
  return rest as KubernetesObject;
}

function secretChanges(
  proposed: KubernetesObject,
  live: KubernetesObject | undefined,
  kept: boolean,
): GatewayFieldChange[] {
  const changes: GatewayFieldChange[] = [];
  walk(
    '',
    live ? withoutValues(withoutServerFields(live)) : undefined,
    withoutValues(withoutServerFields(proposed)),
    changes,
  );
  const before = new Set(secretKeys(live));
  const after = secretKeys(proposed);
  for (const key of after) {
    if (!before.has(key))
      changes.push({ path: `data[${key}]`, op: 'add', after: 'set' });
    else if (!kept)
      changes.push({
        path: `data[${key}]`,
        op: 'replace',
        before: 'set',
        after: 'set',
      });
  }
  for (const key of before) {
    if (!after.includes(key))
      changes.push({ path: `data[${key}]`, op: 'remove', before: 'set' });
  }
  return changes;
}

export interface DiffOptions {
  /** Brings a proposed object into the form the API server stores (pruning, defaults). */
  normalize?: (object: KubernetesObject) => KubernetesObject;
  /** `Secret/name` of Secrets whose values are kept from the live Secret. */
  keptSecrets?: Set<string>;
}

/**
 * What applying `proposed` would do to `live` (the bundle's live objects):
 * create, update (with the changed fields) or delete each object.
 */
export function diffObjects(
  proposed: KubernetesObject[],
  live: KubernetesObject[],
  options: DiffOptions = {},
): GatewayObjectDiff[] {
  const liveByKey = new Map(live.map(o => [refKey(o), o]));
  const result: GatewayObjectDiff[] = [];
  for (const object of proposed) {
    const current = liveByKey.get(refKey(object));
    liveByKey.delete(refKey(object));
    const changes = isSecret(object)
      ? secretChanges(
          object,
          current,
          options.keptSecrets?.has(refKey(object)) ?? false,
        )
      : (() => {
          const out: GatewayFieldChange[] = [];
          const normalized = options.normalize
            ? options.normalize(object)
            : object;
          walk(
            '',
            current ? withoutServerFields(current) : undefined,
            withoutServerFields(normalized),
            out,
          );
          return out;
        })();
    let action: GatewayObjectDiff['action'] = 'create';
    if (current) action = changes.length > 0 ? 'update' : 'unchanged';
    // A created object is one change of the whole object; listing its fields would repeat it.
    result.push({
      object: objectRef(object),
      action,
      changes:
        action === 'create'
          ? changes.filter(c => isSecret(object) && c.path.startsWith('data['))
          : changes,
    });
  }
  for (const gone of liveByKey.values()) {
    result.push({ object: objectRef(gone), action: 'delete', changes: [] });
  }
  return result;
}
