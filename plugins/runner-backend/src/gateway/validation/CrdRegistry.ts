import fs from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** A JSON schema node of a CRD (`openAPIV3Schema` and everything below it). */
export type CrdSchema = { [keyword: string]: any };

/** What the validator needs to know about one served version of a CRD. */
export interface CrdVersionEntry {
  group: string;
  version: string;
  kind: string;
  plural: string;
  /** `metadata.name` of the CRD, e.g. `httproutes.gateway.networking.k8s.io`. */
  crdName: string;
  scope: 'Namespaced' | 'Cluster';
  schema: CrdSchema;
  deprecated: boolean;
  /**
   * The version has a status subresource: writes to the object itself never
   * change `status` (the API server drops it on create and keeps the stored
   * one on update).
   */
  statusSubresource: boolean;
  /** The file the CRD came from, or `cluster` for CRDs read from an API server. */
  origin: string;
}

export interface CrdRegistryOptions {
  /**
   * Gateway API ships two channels of the same CRDs. When both are loaded the
   * preferred channel wins; default `experimental`, the channel that Envoy
   * Gateway installs.
   */
  gatewayApiChannel?: 'standard' | 'experimental';
}

const CHANNEL_ANNOTATION = 'gateway.networking.k8s.io/channel';

interface LoadedCrd {
  crd: any;
  origin: string;
}

function isCrd(doc: any): boolean {
  return (
    doc?.apiVersion === 'apiextensions.k8s.io/v1' &&
    doc?.kind === 'CustomResourceDefinition'
  );
}

async function listYamlFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listYamlFiles(full)));
    else if (/\.ya?ml$/i.test(entry.name)) files.push(full);
  }
  return files;
}

/**
 * Maps apiVersion + kind to the served version's `openAPIV3Schema`, from
 * `apiextensions.k8s.io/v1` CustomResourceDefinitions read from directories
 * (recursively) or handed over as objects (e.g. listed from a cluster).
 */
export class CrdRegistry {
  readonly #entries = new Map<string, CrdVersionEntry>();
  readonly #crds = new Map<string, LoadedCrd>();
  /** Why a CRD was replaced by another copy of the same CRD, for logs. */
  readonly notes: string[] = [];
  readonly #channel: 'standard' | 'experimental';

  private constructor(options: CrdRegistryOptions) {
    this.#channel = options.gatewayApiChannel ?? 'experimental';
  }

  /** Reads every `*.yaml`/`*.yml` below the directories. Throws naming the file on bad YAML. */
  static async fromDirectories(
    directories: string[],
    options: CrdRegistryOptions = {},
  ): Promise<CrdRegistry> {
    const registry = new CrdRegistry(options);
    for (const dir of directories) {
      const stat = await fs.stat(dir).catch(() => undefined);
      if (!stat?.isDirectory()) {
        throw new Error(`CRD directory ${dir} does not exist`);
      }
      for (const file of await listYamlFiles(dir)) {
        const text = await fs.readFile(file, 'utf8');
        for (const doc of parseAllDocuments(text)) {
          if (doc.errors.length > 0) {
            throw new Error(
              `Invalid YAML in ${file}: ${doc.errors[0].message}`,
            );
          }
          const value = doc.toJS({ maxAliasCount: -1 });
          if (isCrd(value)) registry.#add(value, file);
        }
      }
    }
    return registry;
  }

  static fromCustomResourceDefinitions(
    crds: unknown[],
    options: CrdRegistryOptions = {},
  ): CrdRegistry {
    const registry = new CrdRegistry(options);
    for (const crd of crds) if (isCrd(crd)) registry.#add(crd, 'cluster');
    return registry;
  }

  #add(crd: any, origin: string) {
    const name: string = crd.metadata?.name;
    const existing = this.#crds.get(name);
    if (existing) {
      const channelOf = (c: any) =>
        c.metadata?.annotations?.[CHANNEL_ANNOTATION];
      const keepExisting =
        channelOf(existing.crd) === this.#channel &&
        channelOf(crd) !== this.#channel;
      const [kept, dropped] = keepExisting
        ? [existing.origin, origin]
        : [origin, existing.origin];
      this.notes.push(`CRD ${name}: using ${kept}, ignoring ${dropped}`);
      if (keepExisting) return;
      this.#removeEntriesOf(name);
    }
    this.#crds.set(name, { crd, origin });
    const { group, names, scope } = crd.spec;
    for (const version of crd.spec.versions ?? []) {
      // Like the API server, only served versions accept objects.
      if (!version.served) continue;
      const schema = version.schema?.openAPIV3Schema;
      if (!schema) continue;
      this.#entries.set(key(`${group}/${version.name}`, names.kind), {
        group,
        version: version.name,
        kind: names.kind,
        plural: names.plural,
        crdName: name,
        scope,
        schema,
        deprecated: Boolean(version.deprecated),
        statusSubresource: version.subresources?.status !== undefined,
        origin,
      });
    }
  }

  #removeEntriesOf(crdName: string) {
    for (const [k, entry] of this.#entries) {
      if (entry.crdName === crdName) this.#entries.delete(k);
    }
  }

  /** The served version for an object's apiVersion and kind, if any CRD serves it. */
  get(apiVersion: string, kind: string): CrdVersionEntry | undefined {
    return this.#entries.get(key(apiVersion, kind));
  }

  /** Every served apiVersion/kind, e.g. for a "which CRDs are installed" report. */
  list(): CrdVersionEntry[] {
    return [...this.#entries.values()];
  }

  /** The CRD objects as loaded (one per CRD name). */
  customResourceDefinitions(): Array<{ crd: any; origin: string }> {
    return [...this.#crds.values()];
  }
}

function key(apiVersion: string, kind: string) {
  return `${apiVersion}|${kind}`;
}
