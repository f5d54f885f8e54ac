import type { CrdSchema } from '../../CrdRegistry';
import { childPath } from '../../fieldPath';
import { cloneJson, isPlainObject } from '../../schemaWalk';
import {
  arrayRuleEdits,
  celTargetedEdits,
  functionProbeEdits,
  unionEdits,
} from './celEdits';
import { metadataEdits, secretEdits } from './coreEdits';
import {
  deleteAt,
  pathOf,
  setEdit as set,
  shapeOf,
  type Edit,
  type Segment,
} from './edits';
import {
  FORMAT_EDGES,
  distinctItem,
  enumOf,
  formatBreaker,
  patternBreaker,
  plausibleValue,
  stringOfLength,
} from './synthesize';

/*
 * Generated mutations of valid objects, for comparing the validator with the
 * API server: walking each object with its CRD schema, every constraint the
 * walk meets gets a case that violates it (drop a required field, an enum
 * value that is not one, a string that breaks the pattern, one character
 * over maxLength, one under minimum, a value of another type, a duplicate
 * list key, …) and a case at its boundary. Optional fields the object leaves
 * out are added with a plausible value, and the added subtree is walked in
 * turn, so constraints of fields no template uses are reached too; adding
 * and dropping fields and switching enum values is also what breaks most CEL
 * rules ("exactly one of", "type X needs field x").
 *
 * One case per (kind, schema path, mutation): where several objects offer the
 * same one, a seeded choice picks which, so the set is the same on every run.
 */

export interface OracleBase {
  /** e.g. `template openai (api key)` or `fixture aigatewayroutes/basic.yaml`. */
  id: string;
  object: Record<string, unknown>;
  /** The CRD schema; undefined for a core Secret. */
  schema?: CrdSchema;
  /** Carried along to the mutations (e.g. the bundle the object is in). */
  bundle?: unknown;
}

export interface Mutation {
  base: OracleBase;
  /** What was done, e.g. `drop-required`. */
  kind: string;
  /** Field path of the change, as the API server writes paths. */
  path: string;
  /** The dedup key: kind of object, schema path, mutation. */
  key: string;
  object: Record<string, unknown>;
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WRONG_TYPE: Record<string, unknown> = {
  string: 12345,
  integer: 'twelve',
  number: 'twelve',
  boolean: 'true',
  object: 'not an object',
  array: { not: 'a list' },
};

function stringEdits(s: CrdSchema, v: unknown, at: Segment[]): Edit[] {
  const edits: Edit[] = [];
  const current = typeof v === 'string' ? v : '';
  const allowed = enumOf(s);
  if (allowed) {
    edits.push(set('not-in-enum', at, 'NotAnAllowedValue'));
    for (const other of allowed.filter((e: unknown) => e !== v)) {
      edits.push(set('other-enum', at, other, String(other)));
    }
    return edits;
  }
  if (typeof s.pattern === 'string') {
    const breaker = patternBreaker(s);
    if (breaker !== undefined) edits.push(set('break-pattern', at, breaker));
    // Where RE2 and JavaScript regexps part: line ends, non-ASCII, case.
    if (current !== '') {
      for (const [variant, value] of [
        ['+LF', `${current}\n`],
        ['+CR', `${current}\r`],
        ['+é', `${current}é`],
        ['upper', current.toUpperCase()],
      ]) {
        if (value === current) continue;
        edits.push({
          ...set('pattern-edge', at, value, variant),
          shape: `pattern ${s.pattern}`,
        });
      }
    }
  }
  const badFormat = formatBreaker(s);
  if (badFormat !== undefined) edits.push(set('break-format', at, badFormat));
  for (const edge of FORMAT_EDGES[s.format as string] ?? []) {
    edits.push({
      ...set('format-edge', at, edge, edge),
      shape: `format ${s.format}`,
    });
  }
  if (typeof s.maxLength === 'number') {
    edits.push(
      set('too-long', at, stringOfLength(current, s.maxLength + 1, 'a')),
      set('at-max-length', at, stringOfLength(current, s.maxLength, 'a')),
    );
    // maxLength counts characters, not bytes.
    if (typeof s.pattern !== 'string' && s.maxLength <= 4096) {
      edits.push(set('at-max-length-multibyte', at, 'é'.repeat(s.maxLength)));
    }
  }
  if (typeof s.minLength === 'number' && s.minLength > 0) {
    edits.push(
      set('too-short', at, stringOfLength(current, s.minLength - 1, 'a')),
    );
  } else if (current !== '') {
    edits.push(set('empty-string', at, ''));
  }
  return edits;
}

function numberEdits(s: CrdSchema, v: unknown, at: Segment[]): Edit[] {
  const edits: Edit[] = [];
  const exMin = s.exclusiveMinimum === true;
  const exMax = s.exclusiveMaximum === true;
  if (typeof s.minimum === 'number') {
    edits.push(
      set('below-minimum', at, exMin ? s.minimum : s.minimum - 1),
      set('at-minimum', at, exMin ? s.minimum + 1 : s.minimum),
    );
  } else {
    edits.push(set('negative', at, -1));
  }
  if (typeof s.maximum === 'number') {
    edits.push(
      set('above-maximum', at, exMax ? s.maximum : s.maximum + 1),
      set('at-maximum', at, exMax ? s.maximum - 1 : s.maximum),
    );
  }
  if (s.type === 'integer') {
    edits.push(set('fractional', at, (typeof v === 'number' ? v : 1) + 0.5));
    edits.push(set('beyond-int64', at, 2 ** 64));
  }
  return edits;
}

function objectEdits(s: CrdSchema, v: Record<string, unknown>, at: Segment[]) {
  const edits: Edit[] = [];
  const required = new Set<string>(s.required ?? []);
  for (const [name, child] of Object.entries<CrdSchema>(s.properties ?? {})) {
    const segments = [...at, name];
    if (v[name] !== undefined) {
      edits.push({
        kind: required.has(name) ? 'drop-required' : 'drop-optional',
        segments,
        variant: name,
        apply: o => deleteAt(o, segments),
      });
      if (child.nullable !== true) {
        edits.push({ ...set('null', segments, null), shape: shapeOf(child) });
      }
    } else {
      edits.push({
        ...set('add-optional', segments, plausibleValue(child), name),
        explore: true,
      });
    }
  }
  edits.push(...unionEdits(s, at));
  if (s.properties && !s['x-kubernetes-preserve-unknown-fields']) {
    edits.push(set('unknown-field', [...at, 'oracleUnknownField'], 1));
  }
  if (isPlainObject(s.additionalProperties)) {
    const keys = Object.keys(v);
    const value = plausibleValue(s.additionalProperties);
    edits.push({
      ...set('add-map-entry', [...at, 'oracle-key'], value),
      explore: true,
    });
    edits.push(set('bad-map-key', [...at, 'bad key/with:chars'], value));
    if (typeof s.maxProperties === 'number') {
      const big = { ...v };
      for (let i = keys.length; i <= s.maxProperties; i++) {
        big[`oracle-key-${i}`] = value;
      }
      edits.push(set('too-many-properties', at, big));
    }
    if (keys.length > 0) edits.push(set('empty-map', at, {}));
  }
  return edits;
}

function arrayEdits(s: CrdSchema, v: unknown[], at: Segment[]): Edit[] {
  const edits: Edit[] = [];
  const grow = (length: number) =>
    Array.from({ length }, (_, i) =>
      distinctItem(s, v[i % Math.max(1, v.length)], i),
    );
  if (typeof s.minItems === 'number' && s.minItems > 0) {
    edits.push(set('too-few-items', at, v.slice(0, s.minItems - 1)));
  } else if (v.length > 0) {
    edits.push(set('empty-list', at, []));
  }
  if (v.length > 0 && typeof s.maxItems === 'number' && s.maxItems <= 256) {
    edits.push(
      set('too-many-items', at, grow(s.maxItems + 1)),
      set('at-max-items', at, grow(s.maxItems)),
    );
  }
  const listType = s['x-kubernetes-list-type'];
  if (v.length > 0 && (listType === 'map' || listType === 'set')) {
    edits.push(set('duplicate-key', at, [...v, v[0]]));
  }
  if (v.length > 0) {
    edits.push({
      ...set('null-item', at, [...v, null]),
      shape: shapeOf(s.items),
    });
    edits.push(set('second-item', at, [...v, distinctItem(s, v[0], v.length)]));
  }
  return edits;
}

const BY_SHAPE = new Set([
  'wrong-type',
  'fractional',
  'beyond-int64',
  'negative',
  'unknown-field',
  'at-max-length-multibyte',
]);

/** The edits the walk proposes for one node (value `v` under schema `s`). */
/*
 * One case per distinct constraint, not per field, for the checks whose
 * outcome depends only on the constraint (maxLength 253 and this pattern,
 * minimum 0): unless a CEL rule on the node or its parent reads the field,
 * another field with the same constraint tests nothing new.
 */
const BY_CONSTRAINT = new Set([
  'too-long',
  'at-max-length',
  'too-short',
  'empty-string',
  'break-pattern',
  'below-minimum',
  'at-minimum',
  'above-maximum',
  'at-maximum',
  'not-in-enum',
]);

function constraintOf(s: CrdSchema): string {
  const { type, format, pattern, enum: allowed, minLength, maxLength } = s;
  const { minimum, maximum, exclusiveMinimum, exclusiveMaximum } = s;
  return JSON.stringify([
    type,
    format,
    pattern,
    allowed ?? enumOf(s),
    minLength,
    maxLength,
    minimum,
    maximum,
    exclusiveMinimum,
    exclusiveMaximum,
  ]);
}

function nodeEdits(
  s: CrdSchema,
  v: unknown,
  at: Segment[],
  parentHasRules = false,
): Edit[] {
  const edits: Edit[] = [];
  const type = s['x-kubernetes-int-or-string'] ? 'int-or-string' : s.type;
  if (type === 'int-or-string') {
    edits.push(set('wrong-type', at, true));
  } else if (type && WRONG_TYPE[type] !== undefined) {
    edits.push(set('wrong-type', at, WRONG_TYPE[type]));
  }
  if (type === 'string') edits.push(...stringEdits(s, v, at));
  if (type === 'integer' || type === 'number') {
    edits.push(...numberEdits(s, v, at));
  }
  if (isPlainObject(v)) edits.push(...objectEdits(s, v, at));
  if (Array.isArray(v)) edits.push(...arrayEdits(s, v, at));
  for (const edit of edits) {
    if (BY_SHAPE.has(edit.kind)) edit.shape ??= shapeOf(s);
    const readByRules =
      parentHasRules || (s['x-kubernetes-validations'] ?? []).length > 0;
    if (BY_CONSTRAINT.has(edit.kind) && !readByRules) {
      edit.shape ??= `constraint ${constraintOf(s)}`;
    }
  }
  return edits;
}

interface Visit {
  edit: Edit;
  schemaPath: string;
}

/** Every edit for every node of `value` at or below `focus`. */
function walk(
  schema: CrdSchema,
  value: unknown,
  focus: Segment[],
  out: Visit[],
  at: Segment[] = [],
  schemaPath = '',
  parentHasRules = false,
): void {
  const inFocus =
    at.length >= focus.length && focus.every((s, i) => s === at[i]);
  const onFocusPath =
    inFocus || at.every((s, i) => focus[i] === undefined || s === focus[i]);
  if (!onFocusPath) return;
  const hasRules = (schema['x-kubernetes-validations'] ?? []).length > 0;
  // A list's or object's own CEL rules see the whole subtree, so they are
  // aimed at again whenever something below them was added.
  const aimed: Edit[] = [];
  if (Array.isArray(value)) aimed.push(...arrayRuleEdits(schema, value, at));
  if (isPlainObject(value)) aimed.push(...celTargetedEdits(schema, value, at));
  if (value !== undefined && at.length > 0) {
    aimed.push(...functionProbeEdits(schema, at));
  }
  for (const edit of aimed) out.push({ edit, schemaPath });
  if (inFocus && at.length > 0) {
    for (const edit of nodeEdits(schema, value, at, parentHasRules)) {
      out.push({ edit, schemaPath });
    }
  } else if (inFocus) {
    // The root: only its spec-level fields, never apiVersion/kind/metadata.
    const { apiVersion, kind, metadata, ...rest } = schema.properties ?? {};
    const edits = isPlainObject(value)
      ? objectEdits({ ...schema, properties: rest }, value, at)
      : [];
    for (const edit of edits.filter(e => e.kind !== 'unknown-field')) {
      // A create never writes status (see ObjectValidator): try it, do not explore it.
      if (edit.segments[0] === 'status') edit.explore = false;
      out.push({ edit, schemaPath: pathOf(edit.segments) });
    }
    if (schema.properties?.status) {
      out.push({
        edit: set('wrong-type', ['status'], 'not an object'),
        schemaPath: 'status',
      });
    }
  }
  if (Array.isArray(value) && schema.items) {
    value.forEach((item, i) =>
      walk(
        schema.items,
        item,
        focus,
        out,
        [...at, i],
        `${schemaPath}[*]`,
        hasRules,
      ),
    );
  } else if (isPlainObject(value)) {
    for (const [name, child] of Object.entries(value)) {
      if (at.length === 0 && ['apiVersion', 'kind', 'metadata'].includes(name))
        continue;
      const property = schema.properties?.[name];
      const next = property ?? schema.additionalProperties;
      if (!isPlainObject(next)) continue;
      const childSchemaPath = property
        ? childPath(schemaPath, name)
        : `${schemaPath}[*]`;
      walk(next, child, focus, out, [...at, name], childSchemaPath, hasRules);
    }
  }
}

interface Chosen {
  visit: Visit;
  base: OracleBase;
  seen: number;
  /** Size of the base (JSON characters). */
  size: number;
}

export interface GeneratedMutations {
  mutations: Mutation[];
  /** Candidates before de-duplication. */
  candidates: number;
}

const MAX_ROUNDS = 12;

/**
 * All mutations of `bases`, de-duplicated by (kind, schema path, mutation)
 * with a `seed`ed choice among equals; same input and seed, same output.
 */
export function generateMutations(
  bases: OracleBase[],
  seed: number,
): GeneratedMutations {
  const random = seededRandom(seed);
  const chosen = new Map<string, Chosen>();
  let candidates = 0;
  let round: Array<{ base: OracleBase; focus: Segment[] }> = bases.map(
    base => ({ base, focus: [] }),
  );
  const mutations: Mutation[] = [];
  for (let r = 0; r < MAX_ROUNDS && round.length > 0; r++) {
    const fresh = new Map<string, Chosen>();
    for (const { base, focus } of round) {
      const kind = String(base.object.kind);
      const size = JSON.stringify(base.object).length;
      const visits: Visit[] = [];
      if (base.schema) walk(base.schema, base.object, focus, visits);
      if (focus.length === 0) {
        visits.push(
          ...metadataEdits().map(edit => ({
            edit,
            schemaPath: pathOf(edit.segments),
          })),
        );
        if (!base.schema) {
          visits.push(
            ...secretEdits().map(edit => ({
              edit,
              schemaPath: edit.kind,
            })),
          );
        }
      }
      for (const visit of visits) {
        candidates++;
        const { edit } = visit;
        const key = `${kind}|${
          edit.shape === undefined ? visit.schemaPath : `shape ${edit.shape}`
        }|${edit.kind}${edit.variant ? `=${edit.variant}` : ''}`;
        if (chosen.has(key)) continue;
        // Among equal cases the smaller bases win (a 128-match HTTPRoute
        // costs both sides more and tests the same); the seed picks among
        // bases of about the same size.
        const entry = fresh.get(key);
        if (!entry || size * 2 < entry.size) {
          fresh.set(key, { visit, base, seen: 1, size });
        } else if (size <= entry.size * 2) {
          entry.seen++;
          if (random() * entry.seen < 1) {
            entry.visit = visit;
            entry.base = base;
            entry.size = Math.min(entry.size, size);
          }
        }
      }
    }
    round = [];
    for (const [key, entry] of fresh) {
      chosen.set(key, entry);
      const object = cloneJson(entry.base.object);
      entry.visit.edit.apply(object);
      // An edit that changes nothing (a value already at its limit) is no case.
      if (JSON.stringify(object) === JSON.stringify(entry.base.object)) {
        continue;
      }
      mutations.push({
        base: entry.base,
        kind: entry.visit.edit.kind,
        path: pathOf(entry.visit.edit.segments),
        key,
        object,
      });
      if (entry.visit.edit.explore) {
        round.push({
          base: { ...entry.base, object },
          focus: entry.visit.edit.segments,
        });
      }
    }
  }
  return { mutations, candidates };
}
