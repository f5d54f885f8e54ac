import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { buildTemplate } from '../../../templates';
import type { CrdRegistry, CrdSchema } from '../../CrdRegistry';
import { cloneJson, isPlainObject } from '../../schemaWalk';
import type { Mutation, OracleBase } from './mutations';
import { TEMPLATE_TABLE } from './templateTable';

/*
 * The cases the oracle test asks the API server and the validator about:
 * every upstream CEL fixture (as YAML, and as upstream's Go client sends
 * it), every object of every template output over TEMPLATE_TABLE, and the
 * generated mutations of those the API server accepts. Every object is moved
 * into the test namespace, since a dry-run create needs one that exists.
 */

export interface Expectation {
  valid: boolean;
  error_contains?: string;
}

export interface BundleContext {
  objects: Record<string, unknown>[];
  index: number;
  entityRef: string;
  name: string;
}

export interface OracleCase {
  id: string;
  /** The agreement table's row. */
  group: string;
  object: Record<string, unknown>;
  /** Template cases: the bundle the object is part of, for the business rules. */
  bundle?: BundleContext;
  /** Fixtures, when expectations.json is there. */
  expectation?: Expectation;
  mutation?: Mutation;
}

export const GROUPS = {
  fixtureYaml: 'upstream fixtures, as YAML',
  fixtureGo: "upstream fixtures, as upstream's Go client sends them",
  template: 'template outputs',
} as const;

export function inNamespace(
  object: Record<string, unknown>,
  namespace: string,
): Record<string, unknown> {
  const copy = cloneJson(object);
  copy.metadata = {
    ...(isPlainObject(copy.metadata) ? copy.metadata : {}),
    namespace,
  };
  return copy;
}

/*
 * Upstream decodes each fixture into its Go type and creates it with the
 * typed client, so a required scalar the YAML leaves out reaches the API
 * server as Go's zero value (`type: ""`), not as a missing field.
 */
export function asGoTypedClientSendsIt(
  schema: CrdSchema,
  value: unknown,
): unknown {
  if (Array.isArray(value)) {
    return value.map(item => asGoTypedClientSendsIt(schema.items ?? {}, item));
  }
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [name, child] of Object.entries(value)) {
    const childSchema = schema.properties?.[name];
    out[name] = childSchema
      ? asGoTypedClientSendsIt(childSchema, child)
      : child;
  }
  for (const name of schema.required ?? []) {
    const type = schema.properties?.[name]?.type;
    const zero = { string: '', integer: 0, boolean: false }[type as string];
    if (out[name] === undefined && zero !== undefined) out[name] = zero;
  }
  return out;
}

function yamlFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap(entry => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return yamlFiles(full);
      return /\.ya?ml$/.test(entry.name) ? [full] : [];
    });
}

/** Every fixture under `dir`, twice when the Go client would send it differently. */
export function fixtureCases(
  dir: string,
  registry: CrdRegistry,
  namespace: string,
): OracleCase[] {
  const expectationsFile = path.join(dir, 'expectations.json');
  const expectations: Record<string, Expectation> = fs.existsSync(
    expectationsFile,
  )
    ? JSON.parse(fs.readFileSync(expectationsFile, 'utf8'))
    : {};
  const cases: OracleCase[] = [];
  for (const file of yamlFiles(dir)) {
    const name = path.relative(dir, file);
    const raw = parse(fs.readFileSync(file, 'utf8'));
    if (!isPlainObject(raw)) throw new Error(`${name} is not a YAML map`);
    const crd = registry.get(String(raw.apiVersion), String(raw.kind));
    if (!crd) throw new Error(`${name}: no CRD serves ${raw.apiVersion}`);
    const object = inNamespace(raw, namespace);
    const expectation = expectations[name];
    cases.push({ id: `fixture ${name}`, group: GROUPS.fixtureYaml, object });
    const goTyped = asGoTypedClientSendsIt(crd.schema, object) as Record<
      string,
      unknown
    >;
    if (JSON.stringify(goTyped) !== JSON.stringify(object) || expectation) {
      cases.push({
        id: `fixture ${name} (Go client)`,
        group: GROUPS.fixtureGo,
        object: goTyped,
        expectation,
      });
    }
  }
  return cases;
}

/** Every object of every TEMPLATE_TABLE row; rows the input schema refuses are returned apart. */
export function templateCases(namespace: string): {
  cases: OracleCase[];
  refusedInputs: string[];
} {
  const cases: OracleCase[] = [];
  const refusedInputs: string[] = [];
  for (const row of TEMPLATE_TABLE) {
    const result = buildTemplate(row.template, {
      ...(row.input as object),
      namespace,
    });
    if (!result.ok) {
      refusedInputs.push(
        `${row.label}: ${result.findings.map(f => f.message).join('; ')}`,
      );
      continue;
    }
    const objects = result.bundle.objects.map(o => inNamespace(o, namespace));
    objects.forEach((object, index) =>
      cases.push({
        id: `template ${row.label} / ${object.kind}`,
        group: GROUPS.template,
        object,
        bundle: {
          objects,
          index,
          entityRef: result.bundle.entityRef,
          name: String((row.input as { name: string }).name),
        },
      }),
    );
  }
  return { cases, refusedInputs };
}

/** The accepted cases, as bases for the mutation generator. */
export function mutationBases(
  accepted: OracleCase[],
  registry: CrdRegistry,
): OracleBase[] {
  return accepted.map(c => ({
    id: c.id,
    object: c.object,
    schema: registry.get(String(c.object.apiVersion), String(c.object.kind))
      ?.schema,
    bundle: c.bundle,
  }));
}

export function mutationCase(mutation: Mutation): OracleCase {
  const bundle = mutation.base.bundle as BundleContext | undefined;
  return {
    id: `${mutation.key} (from ${mutation.base.id})`,
    group: `mutations: ${mutation.kind}`,
    object: mutation.object,
    bundle: bundle && {
      ...bundle,
      objects: bundle.objects.map((o, i) =>
        i === bundle.index ? mutation.object : o,
      ),
    },
    mutation,
  };
}
