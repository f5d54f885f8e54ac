import type { CrdSchema } from './CrdRegistry';
import { childPath, indexPath, keyPath } from './fieldPath';

/*
 * Walks an object together with its structural schema. In a structural
 * schema every field's type lives in `properties`, `additionalProperties` or
 * `items` (value validations in allOf/anyOf/oneOf/not add no fields), so that
 * is all a walk needs to follow.
 */

export interface SchemaNodeVisit {
  schema: CrdSchema;
  value: unknown;
  path: string;
  /** True for the object's root (where `metadata` is ObjectMeta). */
  isRoot: boolean;
  /** True for an embedded resource (`x-kubernetes-embedded-resource`). */
  isEmbedded: boolean;
}

export function isPlainObject(
  value: unknown,
): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Deep copy of a JSON value. (Not structuredClone: under jest it returns
 * arrays of another realm, which cel-js does not recognise as lists.)
 */
export function cloneJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneJson) as T;
  if (isPlainObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, cloneJson(v)]),
    ) as T;
  }
  return value;
}

/** Visits every node that has a schema, parents before children. */
export function walkSchema(
  schema: CrdSchema,
  value: unknown,
  visit: (node: SchemaNodeVisit) => void,
  path = '',
  isRoot = true,
): void {
  const isEmbedded = Boolean(schema['x-kubernetes-embedded-resource']);
  visit({ schema, value, path, isRoot, isEmbedded });
  if (Array.isArray(value)) {
    if (schema.items) {
      value.forEach((item, i) =>
        walkSchema(schema.items, item, visit, indexPath(path, i), false),
      );
    }
    return;
  }
  if (!isPlainObject(value)) return;
  const properties: Record<string, CrdSchema> = schema.properties ?? {};
  for (const [name, child] of Object.entries(value)) {
    // ObjectMeta is validated on its own; CRD schemas may only restrict name.
    if ((isRoot || isEmbedded) && name === 'metadata') continue;
    const propertySchema = properties[name];
    if (propertySchema) {
      walkSchema(propertySchema, child, visit, childPath(path, name), false);
    } else if (isPlainObject(schema.additionalProperties)) {
      walkSchema(
        schema.additionalProperties,
        child,
        visit,
        keyPath(path, name),
        false,
      );
    }
  }
}
