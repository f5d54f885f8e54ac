import { childPath, indexPath } from '../../fieldPath';
import { cloneJson } from '../../schemaWalk';

/** One change to an object, at a path of keys and list indexes. */

export type Segment = string | number;

export interface Edit {
  kind: string;
  segments: Segment[];
  /** Extra words for the dedup key (e.g. which enum value). */
  variant?: string;
  apply(object: Record<string, unknown>): void;
  /** The edit added a subtree worth walking (an optional field filled in). */
  explore?: boolean;
  /**
   * For edits that test the type machinery rather than one field's
   * constraint (a value of another type, a null, an unknown field): the
   * schema shape they are one case per, instead of one per field.
   */
  shape?: string;
}

/** What the type checks of a schema node depend on. */
export function shapeOf(s: { [keyword: string]: any } | undefined): string {
  if (!s) return 'none';
  return JSON.stringify([
    s.type,
    s.format,
    s.nullable,
    s['x-kubernetes-int-or-string'],
    s['x-kubernetes-preserve-unknown-fields'],
    s['x-kubernetes-embedded-resource'],
  ]);
}

/** `spec.rules[0].name`, as the API server writes field paths. */
export function pathOf(segments: Segment[]): string {
  let path = '';
  for (const s of segments) {
    path = typeof s === 'number' ? indexPath(path, s) : childPath(path, s);
  }
  return path;
}

function parentOf(
  object: Record<string, unknown>,
  segments: Segment[],
): Record<string | number, unknown> {
  let node: any = object;
  for (const s of segments.slice(0, -1)) {
    node[s] ??= {};
    node = node[s];
  }
  return node;
}

export function setAt(
  object: Record<string, unknown>,
  segments: Segment[],
  value: unknown,
): void {
  parentOf(object, segments)[segments[segments.length - 1]] = value;
}

export function deleteAt(
  object: Record<string, unknown>,
  segments: Segment[],
): void {
  const parent = parentOf(object, segments);
  const last = segments[segments.length - 1];
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else delete parent[last];
}

/** An edit that sets the value at `segments` (a copy of `value`). */
export function setEdit(
  kind: string,
  segments: Segment[],
  value: unknown,
  variant?: string,
): Edit {
  return {
    kind,
    segments,
    variant,
    apply: o => setAt(o, segments, cloneJson(value)),
  };
}
