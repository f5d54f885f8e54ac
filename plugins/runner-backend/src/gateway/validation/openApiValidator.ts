import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { GatewayFinding } from '@internal/plugin-runner-common';
import type { CrdSchema } from './CrdRegistry';
import { fieldError } from './fieldErrors';
import { childPath, indexPath, keyPath } from './fieldPath';
import { KUBERNETES_FORMATS } from './formats';
import { compileRe2 } from './re2';
import { isPlainObject } from './schemaWalk';

/*
 * The OpenAPI v3 part of CRD validation, done with ajv. A CRD schema is
 * OpenAPI 3.0 with Kubernetes extensions, so it is converted first
 * (int-or-string, nullable, boolean exclusive bounds, only the formats the
 * API server checks), and ajv's errors are rendered the way the API server
 * renders kube-openapi's, e.g. `spec.rules: Too many: 16: must have at most 15 items`.
 */

const COPIED_KEYWORDS = [
  'enum',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'required',
] as const;

/*
 * The API server decodes a JSON number into int64 when it is a whole number
 * that fits, else into float64, which is not an integer however it is
 * written (2^64 is `must be of type integer: "number"` there).
 */
const INT64 = 'x-runner-int64';
const fitsInt64 = (value: number) => value >= -(2 ** 63) && value < 2 ** 63;

function isIntOrStringAnyOf(anyOf: unknown): boolean {
  return (
    Array.isArray(anyOf) &&
    anyOf.length === 2 &&
    anyOf.every(
      branch =>
        isPlainObject(branch) &&
        Object.keys(branch).length === 1 &&
        (branch.type === 'integer' || branch.type === 'string'),
    )
  );
}

/** Converts one node of a CRD schema into a JSON Schema ajv understands. */
export function toAjvSchema(node: CrdSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const intOrString = node['x-kubernetes-int-or-string'] === true;
  const types: string[] = [];
  if (intOrString) types.push('integer', 'string');
  else if (node.type) types.push(node.type);
  if (types.length > 0) {
    if (node.nullable === true) types.push('null');
    out.type = types.length === 1 ? types[0] : types;
  }
  if (types.includes('integer')) out[INT64] = true;
  for (const keyword of COPIED_KEYWORDS) {
    if (node[keyword] !== undefined) out[keyword] = node[keyword];
  }
  if (node.enum && node.nullable === true) out.enum = [...node.enum, null];
  // OpenAPI 3.0 writes exclusive bounds as booleans next to minimum/maximum.
  if (node.exclusiveMinimum === true && node.minimum !== undefined) {
    out.exclusiveMinimum = node.minimum;
    delete out.minimum;
  }
  if (node.exclusiveMaximum === true && node.maximum !== undefined) {
    out.exclusiveMaximum = node.maximum;
    delete out.maximum;
  }
  if (typeof node.format === 'string' && KUBERNETES_FORMATS[node.format]) {
    out.format = node.format;
  }
  if (node.properties) {
    out.properties = Object.fromEntries(
      Object.entries(node.properties as Record<string, CrdSchema>).map(
        ([name, child]) => [name, toAjvSchema(child)],
      ),
    );
  }
  if (isPlainObject(node.additionalProperties)) {
    out.additionalProperties = toAjvSchema(node.additionalProperties);
  }
  if (isPlainObject(node.items)) out.items = toAjvSchema(node.items);
  for (const composite of ['allOf', 'anyOf', 'oneOf'] as const) {
    const branches = node[composite];
    if (!Array.isArray(branches)) continue;
    if (composite === 'anyOf' && intOrString && isIntOrStringAnyOf(branches)) {
      continue;
    }
    out[composite] = branches.map(toAjvSchema);
  }
  if (isPlainObject(node.not)) out.not = toAjvSchema(node.not);
  return out;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') {
    return Number.isInteger(value) && fitsInt64(value) ? 'integer' : 'number';
  }
  return typeof value;
}

/** Turns ajv's JSON pointer into a field path, telling map keys from fields. */
function pointerToPath(
  pointer: string,
  data: unknown,
  schema: CrdSchema,
): string {
  let path = '';
  let value = data;
  let node: CrdSchema | undefined = schema;
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(value)) {
      path = indexPath(path, Number(segment));
      value = value[Number(segment)];
      node = node?.items;
    } else {
      const isField = Boolean(node?.properties?.[segment]) || !node;
      path = isField ? childPath(path, segment) : keyPath(path, segment);
      value = isPlainObject(value) ? value[segment] : undefined;
      node = node?.properties?.[segment] ?? node?.additionalProperties;
    }
  }
  return path;
}

// Errors inside a failed anyOf/oneOf/not branch are not errors of the object.
const BRANCH_ERROR = /\/(anyOf|oneOf)\/\d+\/|\/not\//;

function renderError(
  error: ErrorObject,
  data: unknown,
  schema: CrdSchema,
): GatewayFinding {
  const path = pointerToPath(error.instancePath, data, schema);
  const value = error.data;
  const params = error.params as Record<string, any>;
  const inBody = `${path} in body`;
  switch (error.keyword) {
    case 'required':
      return fieldError.required(
        childPath(path, params.missingProperty),
        'schema',
      );
    case 'enum':
      return fieldError.notSupported(
        path,
        value,
        params.allowedValues,
        'schema',
      );
    case 'maxLength':
      return fieldError.tooLong(path, params.limit, 'schema');
    case 'maxItems':
      return fieldError.tooMany(
        path,
        (value as unknown[]).length,
        params.limit,
        'schema',
      );
    case 'maxProperties':
      return fieldError.tooMany(
        path,
        Object.keys(value as object).length,
        params.limit,
        'schema',
      );
    case INT64:
    case 'type': {
      const actual = typeName(value);
      const expected =
        error.keyword === INT64
          ? 'integer'
          : String(params.type).replace(/,null$/, '');
      return fieldError.invalid(
        path,
        actual,
        `${inBody} must be of type ${expected}: "${actual}"`,
        'schema',
      );
    }
    case 'format':
      return fieldError.invalid(
        path,
        value,
        `${inBody} must be of type ${params.format}: ${JSON.stringify(value)}`,
        'schema',
      );
    default:
      return fieldError.invalid(path, value, describe(error, inBody), 'schema');
  }
}

function describe(error: ErrorObject, inBody: string): string {
  const params = error.params as Record<string, any>;
  switch (error.keyword) {
    case 'minLength':
      return `${inBody} should be at least ${params.limit} chars long`;
    case 'pattern':
      return `${inBody} should match '${params.pattern}'`;
    case 'minimum':
      return `${inBody} should be greater than or equal to ${params.limit}`;
    case 'exclusiveMinimum':
      return `${inBody} should be greater than ${params.limit}`;
    case 'maximum':
      return `${inBody} should be less than or equal to ${params.limit}`;
    case 'exclusiveMaximum':
      return `${inBody} should be less than ${params.limit}`;
    case 'multipleOf':
      return `${inBody} should be a multiple of ${params.multipleOf}`;
    case 'minItems':
      return `${inBody} should have at least ${params.limit} items`;
    case 'uniqueItems':
      return `${inBody} shouldn't contain duplicates`;
    case 'minProperties':
      return `${inBody} should have at least ${params.limit} properties`;
    case 'anyOf':
      return `${inBody} must validate at least one schema (anyOf)`;
    case 'oneOf':
      return `${inBody} must validate one and only one schema (oneOf)`;
    case 'not':
      return `${inBody} must not validate the schema (not)`;
    default:
      return `${inBody} ${error.message ?? 'is invalid'}`;
  }
}

/*
 * A pattern that cannot be translated fails when it is used, so the object
 * gets a finding naming the pattern instead of passing unchecked.
 */
function re2Engine(pattern: string) {
  try {
    return compileRe2(pattern);
  } catch (error) {
    return {
      test(): boolean {
        throw error;
      },
    };
  }
}

/** Validates objects against CRD schemas; compiled validators are cached per schema. */
export class OpenApiValidator {
  readonly #ajv: Ajv;
  readonly #compiled = new WeakMap<CrdSchema, ValidateFunction>();

  constructor() {
    this.#ajv = new Ajv({
      allErrors: true,
      verbose: true,
      strict: false,
      validateFormats: true,
      // Patterns are RE2, as on the API server.
      code: { regExp: re2Engine as any },
    });
    this.#ajv.addKeyword({
      keyword: INT64,
      type: 'number',
      errors: false,
      validate: (_: unknown, data: number) => fitsInt64(data),
    });
    for (const [name, check] of Object.entries(KUBERNETES_FORMATS)) {
      this.#ajv.addFormat(name, { type: 'string', validate: check });
    }
  }

  /**
   * `onUnverified` is told when the schema itself cannot be compiled: the
   * object is then not checked against it (a warning, not an error, since
   * the API server, which compiled the same schema, may well accept it).
   */
  validate(
    schema: CrdSchema,
    object: unknown,
    onUnverified?: (reason: string) => void,
  ): GatewayFinding[] {
    let validateFn = this.#compiled.get(schema);
    if (!validateFn) {
      try {
        validateFn = this.#ajv.compile(toAjvSchema(schema));
      } catch (error) {
        const reason = `its CRD schema could not be compiled (${
          String((error as Error).message).split('\n')[0]
        })`;
        onUnverified?.(reason);
        return [
          {
            path: '',
            message: `Not checked: ${reason}; the API server's dry run checks it on apply`,
            severity: 'warning',
            source: 'schema',
          },
        ];
      }
      this.#compiled.set(schema, validateFn);
    }
    try {
      if (validateFn(object)) return [];
    } catch (error) {
      return [fieldError.internal('', (error as Error).message, 'schema')];
    }
    return (validateFn.errors ?? [])
      .filter(error => !BRANCH_ERROR.test(error.schemaPath))
      .map(error => renderError(error, object, schema));
  }
}
