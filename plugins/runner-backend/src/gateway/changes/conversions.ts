import type { ManagedKind } from '../managedKinds';

/*
 * Older API versions an import converts to the one the plugin manages. In
 * Gateway API v1.6.1 BackendTLSPolicy v1alpha3 (deprecated, still served)
 * has exactly v1's schema, so an object converts by its apiVersion alone,
 * as the API server converts it. What v1 does not have (a field of an older
 * v1alpha3, or a typo) would be dropped silently by the API server's
 * pruning, so it is refused instead, naming the field.
 * conversions.test.ts checks these field trees against the CRD.
 */

/** The fields of a schema: `true` for a leaf or a map of anything, a tree for an object, `[tree]` for a list of them. */
export type FieldTree = { [field: string]: FieldTree | [FieldTree] | true };

export interface Conversion {
  kind: string;
  from: string;
  to: string;
  /** Everything under `spec` in the target version. */
  spec: FieldTree;
}

const objectRef = { group: true, kind: true, name: true } as const;

export const CONVERSIONS: Conversion[] = [
  {
    kind: 'BackendTLSPolicy',
    from: 'gateway.networking.k8s.io/v1alpha3',
    to: 'gateway.networking.k8s.io/v1',
    spec: {
      targetRefs: [{ ...objectRef, sectionName: true }],
      validation: {
        caCertificateRefs: [objectRef],
        wellKnownCACertificates: true,
        hostname: true,
        subjectAltNames: [{ type: true, hostname: true, uri: true }],
      },
      options: true,
    },
  },
];

export type ConversionResult =
  | { converted: false }
  | { converted: true; object: Record<string, any>; note: string }
  | { converted: false; field: string; message: string };

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first field of `value` that `tree` lacks, as a path under `path`. */
function fieldOutside(
  value: unknown,
  tree: FieldTree | [FieldTree] | true,
  path: string,
): string | undefined {
  if (tree === true) return undefined;
  if (Array.isArray(tree)) {
    if (!Array.isArray(value)) return undefined;
    for (let i = 0; i < value.length; i++) {
      const found = fieldOutside(value[i], tree[0], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (!isMap(value)) return undefined;
  for (const [name, child] of Object.entries(value)) {
    const sub = tree[name];
    if (sub === undefined) return `${path}.${name}`;
    const found = fieldOutside(child, sub, `${path}.${name}`);
    if (found) return found;
  }
  return undefined;
}

/**
 * Converts `raw` to the managed version of its kind when there is a
 * conversion from its apiVersion; `{ converted: false }` without one.
 */
export function convertToManaged(
  raw: Record<string, any>,
  managed: ManagedKind,
): ConversionResult {
  const conversion = CONVERSIONS.find(
    c =>
      c.kind === managed.kind &&
      c.from === raw.apiVersion &&
      c.to === managed.apiVersion,
  );
  if (!conversion) return { converted: false };
  const field = fieldOutside(raw.spec, conversion.spec, 'spec');
  if (field) {
    return {
      converted: false,
      field,
      message: `Unsupported value: ${field} does not exist in ${conversion.kind} ${conversion.to}, so this ${conversion.from} object does not convert (the API server would drop the field); remove it, or write the object as ${conversion.to}`,
    };
  }
  const { status: _status, ...rest } = raw;
  return {
    converted: true,
    object: { ...rest, apiVersion: conversion.to },
    note: `Converted from ${conversion.from} to ${conversion.to}: the versions have the same fields, and ${conversion.from} is deprecated; export writes it as ${conversion.to}`,
  };
}
