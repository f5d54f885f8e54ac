import type { CrdSchema } from '../CrdRegistry';
import { isPlainObject } from '../schemaWalk';

/*
 * How the API server presents an object to CEL (k8s.io/apiserver/pkg/cel):
 * integers are CEL ints (BigInt in cel-js), `number` is double, declared
 * properties whose names are not CEL identifiers are escaped
 * (`namespace` -> `__namespace__`, `x-y` -> `x__dash__y`), map keys are
 * not, date-time strings are timestamps and `byte` strings are bytes, and of
 * the root's metadata only `name` and `generateName` are visible.
 */

const CEL_RESERVED = new Set([
  'true',
  'false',
  'null',
  'in',
  'as',
  'break',
  'const',
  'continue',
  'else',
  'for',
  'function',
  'if',
  'import',
  'let',
  'loop',
  'package',
  'namespace',
  'return',
  'var',
  'void',
  'while',
]);

const IDENTIFIER = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Kubernetes' property-name escaping; undefined when the name cannot be used in CEL. */
export function escapeCelPropertyName(name: string): string | undefined {
  if (CEL_RESERVED.has(name)) return `__${name}__`;
  const escaped = name
    .replace(/__/g, '__underscores__')
    .replace(/\./g, '__dot__')
    .replace(/-/g, '__dash__')
    .replace(/\//g, '__slash__');
  return IDENTIFIER.test(escaped) ? escaped : undefined;
}

function untypedToCel(value: unknown): unknown {
  if (typeof value === 'number' && Number.isInteger(value))
    return BigInt(value);
  if (Array.isArray(value)) return value.map(untypedToCel);
  if (isPlainObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, untypedToCel(v)]),
    );
  }
  return value;
}

function bytesOf(value: string): Uint8Array | string {
  const bytes = Buffer.from(value, 'base64');
  return bytes.toString('base64').replace(/=+$/, '') ===
    value.replace(/=+$/, '')
    ? new Uint8Array(bytes)
    : value;
}

/** Converts a JSON value into the value CEL sees, following its schema. */
export function toCelValue(
  schema: CrdSchema | undefined,
  value: unknown,
  isRoot = false,
): unknown {
  if (value === null || value === undefined || !schema) {
    return untypedToCel(value);
  }
  if (schema['x-kubernetes-int-or-string'] === true) {
    return typeof value === 'number' ? BigInt(Math.trunc(value)) : value;
  }
  switch (schema.type) {
    case 'integer':
      return typeof value === 'number' ? BigInt(Math.trunc(value)) : value;
    case 'number':
      return value;
    case 'string':
      if (typeof value !== 'string') return value;
      if (schema.format === 'date-time') {
        const date = new Date(value);
        return Number.isNaN(date.getTime()) ? value : date;
      }
      if (schema.format === 'byte') return bytesOf(value);
      return value;
    case 'array':
      return Array.isArray(value)
        ? value.map(item => toCelValue(schema.items, item))
        : value;
    default:
      break;
  }
  if (!isPlainObject(value)) return untypedToCel(value);
  const out: Record<string, unknown> = {};
  const properties: Record<string, CrdSchema> = schema.properties ?? {};
  const embedded = isRoot || schema['x-kubernetes-embedded-resource'] === true;
  for (const [name, child] of Object.entries(value)) {
    if (embedded && name === 'metadata' && isPlainObject(child)) {
      out.metadata = Object.fromEntries(
        ['name', 'generateName']
          .filter(k => child[k] !== undefined)
          .map(k => [k, child[k]]),
      );
      continue;
    }
    if (properties[name]) {
      const escaped = escapeCelPropertyName(name);
      if (escaped) out[escaped] = toCelValue(properties[name], child);
    } else if (isPlainObject(schema.additionalProperties)) {
      out[name] = toCelValue(schema.additionalProperties, child);
    } else {
      // Fields kept by x-kubernetes-preserve-unknown-fields, or apiVersion/kind.
      out[name] = untypedToCel(child);
    }
  }
  return out;
}
