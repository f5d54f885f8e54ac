import type { CrdSchema } from '../../CrdRegistry';
import { re2Test } from '../../re2';

/*
 * Values for the mutation generator: a plausible value for a schema node
 * (to add an optional field the base object leaves out) and strings that
 * break a pattern or format. "Plausible" is a best effort from a fixed list
 * of candidates; whether the result is valid is for the API server to say,
 * so a wrong guess is still a fair test case.
 */

const STRING_CANDIDATES = [
  'a',
  'example',
  'example.com',
  'example.com/name',
  '10s',
  'x-header',
  'https://example.com',
  'https://example.com/path',
  '/path',
  'a/b',
  '1',
  '100m',
  '192.168.1.1',
  '10.0.0.0/8',
  'Hostname',
  'System',
  'US',
  '*',
  'connection.id',
  'db.mmdb',
  'a'.repeat(64),
];

/** Strings that break most patterns, in the order they are tried. */
const PATTERN_BREAKERS = [
  'Not Valid!',
  '-',
  '',
  ' ',
  '..',
  'a\nb',
  '\u0000',
  '*.*',
  'UPPER',
  '1s1',
  '/',
  'x',
];

const FORMAT_VALUES: Record<string, { valid: string; invalid: string }> = {
  byte: { valid: 'YQ==', invalid: 'not base64!' },
  'date-time': { valid: '2024-01-01T00:00:00Z', invalid: '2024-13-45 25:61' },
  date: { valid: '2024-01-01', invalid: '2024-02-30' },
  uri: { valid: 'https://example.com', invalid: 'not a uri' },
  hostname: { valid: 'example.com', invalid: '-bad-.example..com' },
  ipv4: { valid: '192.168.1.1', invalid: '999.1.1.1' },
  ipv6: { valid: '::1', invalid: ':::1' },
  cidr: { valid: '10.0.0.0/8', invalid: '10.0.0.0/33' },
  uuid: {
    valid: '11111111-2222-3333-4444-555555555555',
    invalid: 'not-a-uuid',
  },
};

/** The allowed values of a node: its `enum`, or one an allOf branch sets (Envoy Gateway writes both). */
export function enumOf(schema: CrdSchema | undefined): unknown[] | undefined {
  if (!schema) return undefined;
  if (Array.isArray(schema.enum)) return schema.enum;
  for (const branch of schema.allOf ?? []) {
    if (Array.isArray(branch?.enum)) return branch.enum;
  }
  return undefined;
}

function fitsLength(schema: CrdSchema, value: string): boolean {
  const length = [...value].length;
  return (
    (schema.minLength === undefined || length >= schema.minLength) &&
    (schema.maxLength === undefined || length <= schema.maxLength)
  );
}

function matches(schema: CrdSchema, value: string): boolean {
  if (typeof schema.pattern !== 'string') return true;
  try {
    return re2Test(schema.pattern, value);
  } catch {
    return false;
  }
}

/** A string the node's pattern, length and format allow, if one of the candidates is. */
export function plausibleString(schema: CrdSchema): string {
  const allowed = enumOf(schema);
  if (allowed && allowed.length > 0) return String(allowed[0]);
  const format = FORMAT_VALUES[schema.format as string];
  const candidates = format
    ? [format.valid, ...STRING_CANDIDATES]
    : STRING_CANDIDATES;
  return (
    candidates.find(c => fitsLength(schema, c) && matches(schema, c)) ??
    'a'.repeat(Math.max(1, schema.minLength ?? 1))
  );
}

/** A string that fails the node's pattern (and fits its length when possible). */
export function patternBreaker(schema: CrdSchema): string | undefined {
  const failing = PATTERN_BREAKERS.filter(c => !matches(schema, c));
  return failing.find(c => fitsLength(schema, c)) ?? failing[0];
}

export function formatBreaker(schema: CrdSchema): string | undefined {
  return FORMAT_VALUES[schema.format as string]?.invalid;
}

/** `length` characters (runes) made of `char` after `value`'s own characters, cut to length. */
export function stringOfLength(
  value: string,
  length: number,
  char: string,
): string {
  const chars = [...value].slice(0, length);
  while (chars.length < length) chars.push(char);
  return chars.join('');
}

function plausibleNumber(schema: CrdSchema): number {
  let value = 1;
  if (typeof schema.minimum === 'number') {
    value = schema.minimum + (schema.exclusiveMinimum === true ? 1 : 0);
  }
  if (typeof schema.maximum === 'number' && value > schema.maximum) {
    value = schema.maximum - (schema.exclusiveMaximum === true ? 1 : 0);
  }
  return value;
}

/**
 * A value for `schema`: enum's first, the default, or the simplest value of
 * its type with every required field filled in (to `depth` levels).
 */
export function plausibleValue(schema: CrdSchema, depth = 6): unknown {
  if (schema.default !== undefined) return schema.default;
  const allowed = enumOf(schema);
  if (allowed && allowed.length > 0) return allowed[0];
  if (schema['x-kubernetes-int-or-string'] === true) return 1;
  switch (schema.type) {
    case 'string':
      return plausibleString(schema);
    case 'integer':
    case 'number':
      return plausibleNumber(schema);
    case 'boolean':
      return true;
    case 'array': {
      if (depth <= 0 || !schema.items) return [];
      const count = Math.max(1, schema.minItems ?? 1);
      return Array.from({ length: count }, (_, i) =>
        distinctItem(schema, plausibleValue(schema.items, depth - 1), i),
      );
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      if (depth <= 0) return out;
      for (const name of schema.required ?? []) {
        const child = schema.properties?.[name];
        if (child) out[name] = plausibleValue(child, depth - 1);
      }
      return out;
    }
    default:
      return schema['x-kubernetes-preserve-unknown-fields'] ? {} : 'a';
  }
}

/**
 * A copy of a list item that differs from the others in its list-map keys
 * (suffix or offset by `i`), so a list can grow without duplicate keys.
 */
export function distinctItem(
  listSchema: CrdSchema,
  item: unknown,
  i: number,
): unknown {
  if (i === 0) return item;
  const keys: string[] = listSchema['x-kubernetes-list-map-keys'] ?? [];
  if (typeof item === 'string') return `${item}${i}`;
  if (typeof item === 'number') return item + i;
  if (!item || typeof item !== 'object' || Array.isArray(item)) return item;
  const copy: Record<string, unknown> = JSON.parse(JSON.stringify(item));
  const varied = keys.length > 0 ? keys : ['name'];
  for (const key of varied) {
    const value = copy[key];
    if (typeof value === 'string') copy[key] = `${value}${i}`;
    else if (typeof value === 'number') copy[key] = value + i;
  }
  return copy;
}

/** Values at the edges of each format the API server checks, valid and not. */
export const FORMAT_EDGES: Record<string, string[]> = {
  'date-time': [
    '2024-01-01T00:00:00.123456789+05:30',
    '2024-01-01t00:00:00z',
    '2024-01-01 00:00:00Z',
    '2024-12-31T23:59:60Z',
    '2024-02-29T00:00:00Z',
    '2023-02-29T00:00:00Z',
    '2024-01-01T00:00:00',
    '2024-01-01T00:00:00+0530',
    '2024-01-01T00:00:00Ztrash',
    '2024-01-01T00:00:00,5Z',
    '2024-01-01T24:00:00Z',
    '2024-01-01T00:00:00+99:99',
    '2024-01-01T00:00:00.Z',
    '2024-1-01T00:00:00Z',
  ],
  byte: ['', 'YQ', 'YQ=', 'Y Q==', 'YQ==\n', 'Y\r\nQ==', '_-8=', 'YQ==YQ=='],
  uri: [
    '/relative',
    'mailto:a@example.com',
    'https://',
    'x:',
    '//example.com',
    '/a b',
    'https://exa mple.com/',
    'https://example.com:80a/',
    'https://[::1',
    'https://u%zz@example.com/',
    '/%zz',
    'https://example.com/%e9#frag',
    'a',
    '*',
    'https://例え.jp/',
    'http://ex%41mple.com',
    'https://example.com/\u007f',
    '1http://example.com',
  ],
  hostname: ['a', 'a.b', 'ä.example.com', 'a_b.example.com', 'example.com.'],
};
