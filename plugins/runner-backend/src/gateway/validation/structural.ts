import type { GatewayFinding } from '@internal/plugin-runner-common';
import type { CrdSchema } from './CrdRegistry';
import { fieldError } from './fieldErrors';
import { childPath, indexPath, keyPath } from './fieldPath';
import { cloneJson, isPlainObject, walkSchema } from './schemaWalk';

/*
 * What the API server does to a custom resource before it validates it:
 * drop unknown fields (reported as warnings, as `kubectl` shows them), drop
 * nulls of non-nullable fields, apply schema defaults. Validation and CEL
 * then see the same object the server would see.
 */

const ROOT_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

function warning(path: string, message: string): GatewayFinding {
  return { path, message, severity: 'warning', source: 'schema' };
}

function preservesUnknown(schema: CrdSchema): boolean {
  return schema['x-kubernetes-preserve-unknown-fields'] === true;
}

/**
 * Returns a pruned and defaulted copy of `object`, plus a warning per
 * dropped unknown field.
 */
export function pruneAndDefault(
  schema: CrdSchema,
  object: Record<string, unknown>,
): { object: Record<string, unknown>; warnings: GatewayFinding[] } {
  const warnings: GatewayFinding[] = [];
  const copy = cloneJson(object);
  normalize(schema, copy, '', true, warnings);
  return { object: copy, warnings };
}

function normalize(
  schema: CrdSchema,
  value: unknown,
  path: string,
  isRoot: boolean,
  warnings: GatewayFinding[],
): void {
  if (Array.isArray(value)) {
    if (!schema.items) return;
    for (let i = 0; i < value.length; i++) {
      normalize(schema.items, value[i], indexPath(path, i), false, warnings);
    }
    return;
  }
  if (!isPlainObject(value)) return;

  const keepsMeta = isRoot || schema['x-kubernetes-embedded-resource'] === true;
  const properties: Record<string, CrdSchema> | undefined = schema.properties;
  const mapValues = isPlainObject(schema.additionalProperties)
    ? (schema.additionalProperties as CrdSchema)
    : undefined;

  for (const name of Object.keys(value)) {
    if (keepsMeta && ROOT_FIELDS.has(name)) continue;
    const child = properties?.[name] ?? mapValues;
    if (!child) {
      if (!preservesUnknown(schema) && schema.additionalProperties !== true) {
        warnings.push(
          warning(
            childPath(path, name),
            `unknown field "${childPath(path, name)}"`,
          ),
        );
        delete value[name];
      }
      continue;
    }
    if (value[name] === null && child.nullable !== true) {
      delete value[name];
    }
  }

  if (properties) {
    for (const [name, child] of Object.entries(properties)) {
      if (value[name] === undefined && child.default !== undefined) {
        value[name] = cloneJson(child.default);
      }
    }
  }

  for (const [name, child] of Object.entries(value)) {
    if (keepsMeta && ROOT_FIELDS.has(name)) continue;
    const propertySchema = properties?.[name];
    if (propertySchema) {
      normalize(propertySchema, child, childPath(path, name), false, warnings);
    } else if (mapValues) {
      normalize(mapValues, child, keyPath(path, name), false, warnings);
    }
  }
}

/**
 * `x-kubernetes-list-type: set | map` uniqueness, which the API server checks
 * in addition to the OpenAPI schema.
 */
export function validateListTypes(
  schema: CrdSchema,
  object: unknown,
): GatewayFinding[] {
  const findings: GatewayFinding[] = [];
  walkSchema(schema, object, ({ schema: node, value, path }) => {
    if (!Array.isArray(value)) return;
    const listType = node['x-kubernetes-list-type'];
    if (listType === 'set') {
      const seen = new Set<string>();
      value.forEach((item, i) => {
        const id = JSON.stringify(item);
        if (seen.has(id)) {
          findings.push(
            fieldError.duplicate(indexPath(path, i), item, 'schema'),
          );
        }
        seen.add(id);
      });
    } else if (listType === 'map') {
      const keys: string[] = node['x-kubernetes-list-map-keys'] ?? [];
      const seen = new Set<string>();
      value.forEach((item, i) => {
        if (!isPlainObject(item)) return;
        const keyValues = Object.fromEntries(keys.map(k => [k, item[k]]));
        const id = JSON.stringify(keyValues);
        if (seen.has(id)) {
          findings.push(
            fieldError.duplicate(indexPath(path, i), keyValues, 'schema'),
          );
        }
        seen.add(id);
      });
    }
  });
  return findings;
}
