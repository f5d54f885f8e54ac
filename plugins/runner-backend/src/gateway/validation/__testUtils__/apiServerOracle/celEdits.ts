import type { CrdSchema } from '../../CrdRegistry';
import { cloneJson, isPlainObject } from '../../schemaWalk';
import { setEdit as set, type Edit, type Segment } from './edits';
import { enumOf, plausibleValue } from './synthesize';

/*
 * Mutations aimed at CEL rules, which the OpenAPI keywords do not describe:
 * the rule text says which fields and values matter. Each helper reads the
 * rules of one schema node and proposes edits a rule of that kind is likely
 * to refuse (or, for union branches, a valid base to walk further).
 */

type Rule = { rule: string };

const rulesOf = (s: CrdSchema): Rule[] => s['x-kubernetes-validations'] ?? [];

const normalized = (text: string) =>
  text.toLowerCase().replace(/[^a-z0-9]/g, '');

const STRING_LITERAL = /'((?:[^'\\]|\\.){1,40})'|"((?:[^"\\]|\\.){1,40})"/g;

function literalsOf(rules: Rule[]): string[] {
  const out = new Set<string>();
  for (const { rule } of rules) {
    for (const m of rule.matchAll(STRING_LITERAL)) out.add(m[1] ?? m[2]);
  }
  return [...out];
}

/** `self.a.b` references of a rule, as field names from the node. */
function referencedPaths(rule: string): string[][] {
  const out: string[][] = [];
  for (const m of rule.matchAll(/\bself((?:\.[A-Za-z_]\w*)+)/g)) {
    out.push(m[1].slice(1).split('.'));
  }
  return out;
}

/** The object a segment path ends in (its last segment is a field of it). */
export function parentAt(
  object: Record<string, unknown>,
  segments: Segment[],
): Record<string, any> {
  let node: any = object;
  for (const segment of segments.slice(0, -1)) {
    node[segment] ??= {};
    node = node[segment];
  }
  return node;
}

function schemaAt(s: CrdSchema, names: string[]): CrdSchema | undefined {
  let node: CrdSchema | undefined = s;
  for (const name of names) node = node?.properties?.[name];
  return node;
}

/**
 * Discriminated unions (`type: CORS` with a `cors` field): each branch set
 * up as it should be (its type, its field, the other branches' fields
 * removed) and walked further; and each type with another branch's field.
 */
export function unionEdits(s: CrdSchema, at: Segment[]): Edit[] {
  const properties: Record<string, CrdSchema> = s.properties ?? {};
  const edits: Edit[] = [];
  for (const [discriminator, schema] of Object.entries(properties)) {
    const allowed = enumOf(schema);
    if (!allowed) continue;
    const branches = new Map<string, string>();
    for (const value of allowed.map(String)) {
      const member = Object.keys(properties).find(
        name =>
          name !== discriminator &&
          normalized(name).startsWith(normalized(value)) &&
          normalized(value) !== '',
      );
      if (member) branches.set(value, member);
    }
    if (branches.size < 2) continue;
    const setBranch = (value: string, member: string) => (o: any) => {
      const node = parentAt(o, [...at, discriminator]);
      node[discriminator] = value;
      for (const other of branches.values()) {
        if (other !== member) delete node[other];
      }
      node[member] ??= plausibleValue(properties[member]);
    };
    for (const [value, member] of branches) {
      edits.push({
        kind: 'switch-union',
        // The member's path: that is what the walk explores next.
        segments: [...at, member],
        variant: value,
        explore: true,
        apply: setBranch(value, member),
      });
      const [wrong] = [...branches.keys()].filter(k => k !== value);
      edits.push({
        kind: 'wrong-branch',
        segments: [...at, discriminator],
        variant: `${wrong} with ${member}`,
        apply: o => {
          setBranch(value, member)(o);
          parentAt(o, [...at, discriminator])[discriminator] = wrong;
        },
      });
    }
  }
  return edits;
}

/**
 * For an object's own rules: each literal of a rule written into each of its
 * string fields (`!self.value.contains('/../')`), the fields one rule names
 * set together (`only one of a or b`, `has(self.x) implies …`), and of two
 * named fields of one type, the first made larger than the second
 * (`numerator <= denominator`, `timeout < interval`).
 */
export function celTargetedEdits(
  s: CrdSchema,
  v: Record<string, unknown>,
  at: Segment[],
): Edit[] {
  const rules = rulesOf(s);
  if (rules.length === 0) return [];
  const properties: Record<string, CrdSchema> = s.properties ?? {};
  const edits: Edit[] = [];
  const literals = literalsOf(rules);
  for (const [name, child] of Object.entries(properties)) {
    if (child.type !== 'string' || enumOf(child)) continue;
    for (const literal of literals) {
      edits.push(set('cel-literal', [...at, name], literal, literal));
      edits.push(
        set('cel-literal', [...at, name], `/x${literal}`, `/x${literal}`),
      );
    }
  }
  for (const { rule } of rules) {
    const paths = referencedPaths(rule).filter(p => schemaAt(s, p));
    const distinct = [...new Map(paths.map(p => [p.join('.'), p])).values()];
    if (distinct.length < 2) continue;
    // Every field the rule names, present, with each literal in the enums that allow it.
    const enumChoices = literals.filter(l =>
      distinct.some(p => enumOf(schemaAt(s, p))?.includes(l)),
    );
    for (const literal of ['', ...enumChoices]) {
      edits.push({
        kind: 'rule-witness',
        segments: [...at, ...distinct[0]],
        variant: `${distinct.map(p => p.join('.')).join('+')}${
          literal ? `=${literal}` : ''
        }`,
        apply: o => {
          for (const p of distinct) {
            const node = parentAt(o, [...at, ...p]);
            const leaf = p[p.length - 1];
            const schema = schemaAt(s, p)!;
            if (literal && enumOf(schema)?.includes(literal)) {
              node[leaf] = literal;
            } else node[leaf] ??= plausibleValue(schema);
          }
        },
      });
    }
    const top = distinct.filter(p => p.length === 1).map(p => p[0]);
    for (const a of top) {
      for (const b of top) {
        const [va, vb] = [v[a], v[b]];
        if (a === b || typeof va !== typeof vb || va === undefined) continue;
        if (typeof vb === 'number') {
          edits.push(set('cel-compare', [...at, a], vb + 1, `${a}>${b}`));
        } else if (typeof vb === 'string' && va !== vb) {
          edits.push({
            kind: 'cel-compare',
            segments: [...at, a],
            variant: `${a}<->${b}`,
            apply: o => {
              const node = parentAt(o, [...at, a]);
              [node[a], node[b]] = [vb, va];
            },
          });
        }
      }
    }
  }
  return edits;
}

/**
 * For a list's own rules (`CORS filter cannot be repeated`, `sectionName
 * must be unique when …`, `'*' alongside other origins`): each item
 * repeated as it is, each literal of the rules appended, and an item with
 * each optional field appended (`fqdn addresses cannot be mixed …`).
 */
export function arrayRuleEdits(
  s: CrdSchema,
  v: unknown[],
  at: Segment[],
): Edit[] {
  const rules = rulesOf(s);
  if (rules.length === 0 || !s.items) return [];
  const edits: Edit[] = [];
  v.forEach((item, i) => {
    const tag =
      isPlainObject(item) && typeof item.type === 'string'
        ? item.type
        : String(i);
    edits.push(set('repeat-item', at, [...v, cloneJson(item)], tag));
  });
  if (s.items.type === 'string') {
    for (const literal of literalsOf(rules)) {
      edits.push(set('cel-literal', at, [...v, literal], literal));
    }
  }
  const required = new Set<string>(s.items.required ?? []);
  for (const [name, child] of Object.entries<CrdSchema>(
    s.items.properties ?? {},
  )) {
    if (required.has(name)) continue;
    const item = plausibleValue(s.items) as Record<string, unknown>;
    item[name] = plausibleValue(child);
    edits.push(set('append-variant', at, [...v, item], name));
  }
  return edits;
}

/** Values that sit where CEL's functions and Go's parsers may differ from JavaScript's. */
const FUNCTION_PROBES: Record<string, string[]> = {
  duration: ['1h1h', '0ms', '99999h', '1ms1s1m1h', '59m60s', '1m90s', '00001s'],
  isIP: ['::ffff:1.2.3.4', '01.2.3.4', '1.2.3', '::', 'fe80::1%eth0'],
  lowerAscii: ['AUTHORIZATION', 'Authorization', 'AUTHORİZATION', 'ß'],
  upperAscii: ['get', 'Get', 'ǆ', 'ß'],
  'format.dns1123Label': ['a'.repeat(63), 'a'.repeat(64), 'A', '1a', '-a'],
};

/** `fn(self.a.b)` or `self.a.b.fn(` in a rule: the field paths each function reads. */
function functionArguments(
  rule: string,
): Array<{ fn: string; path: string[] }> {
  const out: Array<{ fn: string; path: string[] }> = [];
  const field = '\\bself((?:\\.[A-Za-z_]\\w*)*)';
  for (const fn of Object.keys(FUNCTION_PROBES)) {
    const name = fn.replace('.', '\\.');
    for (const m of rule.matchAll(new RegExp(`${name}\\(${field}\\)`, 'g'))) {
      out.push({ fn, path: m[1].split('.').filter(Boolean) });
    }
    for (const m of rule.matchAll(new RegExp(`${field}\\.${name}\\(`, 'g'))) {
      out.push({ fn, path: m[1].split('.').filter(Boolean) });
    }
  }
  return out;
}

/**
 * For each string field a rule hands to duration(), isIP(), lowerAscii(),
 * upperAscii() or format.dns1123Label() (the node itself for `duration(self)`),
 * values at the edges of what that function accepts.
 */
export function functionProbeEdits(s: CrdSchema, at: Segment[]): Edit[] {
  const edits: Edit[] = [];
  for (const { rule } of rulesOf(s)) {
    for (const { fn, path } of functionArguments(rule)) {
      const target = schemaAt(s, path);
      if (target?.type !== 'string' || enumOf(target)) continue;
      for (const probe of FUNCTION_PROBES[fn]) {
        edits.push(
          set('cel-function', [...at, ...path], probe, `${fn}:${probe}`),
        );
      }
    }
  }
  return edits;
}
