import { type Config, ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import type { RegistryConfig } from '../runtimes/kubernetes';
import { matchingOverrides } from './effectiveConfig';
import type { ComponentOverride } from './componentOverrides';

/*
 * Which runtime runs a component, and where: `runner.runtime` (default
 * docker), overridden by `runner.components.<name or ref>.{runtime, cluster,
 * namespace, replicas}`, with the entity's namespace annotation in between.
 * Everything a placement may name is checked at start-up against
 * `runner.kubernetes.clusters[].namespaces`, so a typo stops the backend with
 * the key, not the first launch.
 */

export const RUNTIME_IDS = ['docker', 'kubernetes'] as const;
export type RuntimeId = (typeof RUNTIME_IDS)[number];

/** The entity's Kubernetes namespace; app-config's `runner.components.<name>.namespace` wins. */
export const KUBERNETES_NAMESPACE_ANNOTATION =
  'runner.backstage.io/kubernetes-namespace';

export interface RuntimeCluster {
  name: string;
  /** Namespaces components may run in; the first is the default. */
  namespaces: string[];
  registry?: RegistryConfig;
}

export interface ComponentPlacement {
  key: string;
  runtime?: RuntimeId;
  cluster?: string;
  namespace?: string;
  replicas?: number;
}

export interface RuntimeSettings {
  defaultRuntime: RuntimeId;
  clusters: RuntimeCluster[];
  defaultCluster?: string;
  /** By `runner.components` key. */
  components: Map<string, ComponentPlacement>;
}

export interface RuntimeChoice {
  runtime: RuntimeId;
  /** Set for kubernetes. */
  placement?: { cluster: string; namespace: string };
  replicas: number;
  /** Which setting decided, for the effective-config view. */
  reason: string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function invalid(key: string, problem: string): InputError {
  return new InputError(`Invalid config at '${key}': ${problem}`);
}

function readRuntimeId(value: unknown, key: string): RuntimeId {
  if (!RUNTIME_IDS.includes(value as RuntimeId)) {
    throw invalid(key, `'${String(value)}'; use ${RUNTIME_IDS.join(' or ')}`);
  }
  return value as RuntimeId;
}

function readRegistry(
  config: Config | undefined,
  key: string,
): RegistryConfig | undefined {
  if (!config) return undefined;
  const host = config.getOptionalString('host');
  if (!host || /[/\s]/.test(host)) {
    throw invalid(
      `${key}.host`,
      `'${host ?? ''}'; use host[:port] of the registry, e.g. 127.0.0.1:5001`,
    );
  }
  const credentials = config.getOptionalConfig('credentials');
  return {
    host,
    pullHost: config.getOptionalString('pullHost'),
    repositoryPrefix: config.getOptionalString('repositoryPrefix'),
    insecure: config.getOptionalBoolean('insecure'),
    credentials: credentials && {
      username: credentials.getString('username'),
      password: credentials.getString('password'),
    },
    pullSecret: config.getOptionalString('pullSecret'),
  };
}

function readClusters(runner: Config | undefined): RuntimeCluster[] {
  return (runner?.getOptionalConfigArray('kubernetes.clusters') ?? []).map(
    (cluster, index) => {
      const key = `runner.kubernetes.clusters[${index}]`;
      const namespaces = cluster.getOptionalStringArray('namespaces') ?? [];
      for (const namespace of namespaces) {
        if (!DNS_LABEL.test(namespace) || namespace.length > 63) {
          throw invalid(
            `${key}.namespaces`,
            `'${namespace}' is not a Kubernetes namespace name (a lowercase DNS label)`,
          );
        }
      }
      return {
        name: cluster.getString('name'),
        namespaces,
        registry: readRegistry(
          cluster.getOptionalConfig('registry'),
          `${key}.registry`,
        ),
      };
    },
  );
}

function readPlacement(key: string, raw: JsonObject): ComponentPlacement {
  const prefix = `runner.components.${key}`;
  // Keys such as `component:default/x` are not config paths: a reader per entry.
  const config = new ConfigReader(raw, prefix);
  const placement: ComponentPlacement = { key };
  if (raw.runtime !== undefined) {
    placement.runtime = readRuntimeId(raw.runtime, `${prefix}.runtime`);
  }
  for (const field of ['cluster', 'namespace'] as const) {
    if (raw[field] !== undefined) {
      placement[field] = config.getString(field);
    }
  }
  if (raw.replicas !== undefined) {
    const replicas = raw.replicas;
    if (
      typeof replicas !== 'number' ||
      !Number.isInteger(replicas) ||
      replicas < 1 ||
      replicas > 50
    ) {
      throw invalid(
        `${prefix}.replicas`,
        `'${String(replicas)}'; use a whole number from 1 to 50`,
      );
    }
    placement.replicas = replicas;
  }
  return placement;
}

/** Checks that a cluster and namespace exist; `keys` name where each came from. */
function checkPlacement(
  settings: Pick<RuntimeSettings, 'clusters'>,
  cluster: string,
  namespace: string | undefined,
  keys: { cluster: string; namespace: string },
): void {
  const target = settings.clusters.find(c => c.name === cluster);
  if (!target) {
    throw invalid(
      keys.cluster,
      `unknown cluster '${cluster}'; use one of ${
        settings.clusters.map(c => c.name).join(', ') || '(none configured)'
      } or add it under runner.kubernetes.clusters`,
    );
  }
  if (target.namespaces.length === 0 || !target.registry) {
    throw invalid(
      `runner.kubernetes.clusters[${settings.clusters.indexOf(target)}]`,
      `cluster '${cluster}' runs components, so it needs 'namespaces' (at least one) and 'registry.host'`,
    );
  }
  if (namespace !== undefined && !target.namespaces.includes(namespace)) {
    throw invalid(
      keys.namespace,
      `namespace '${namespace}' is not allowed on cluster '${cluster}'; use one of ${target.namespaces.join(
        ', ',
      )} or add it to runner.kubernetes.clusters[].namespaces (and bind the runner's Role there)`,
    );
  }
}

/** Reads and checks the runtime settings at start-up; every error names its key. */
export function readRuntimeSettings(rootConfig: Config): RuntimeSettings {
  const runner = rootConfig.getOptionalConfig('runner');
  const raw = runner?.getOptional('runtime');
  const defaultRuntime =
    raw === undefined ? 'docker' : readRuntimeId(raw, 'runner.runtime');
  const clusters = readClusters(runner);
  const defaultCluster =
    runner?.getOptionalString('kubernetes.defaultCluster') ?? clusters[0]?.name;
  const components = new Map<string, ComponentPlacement>();
  const entries = runner?.getOptional('components');
  if (entries && typeof entries === 'object' && !Array.isArray(entries)) {
    for (const [key, value] of Object.entries(entries as JsonObject)) {
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        components.set(key, readPlacement(key, value as JsonObject));
      }
    }
  }
  const settings = { defaultRuntime, clusters, defaultCluster, components };
  const prefix = (key: string) => `runner.components.${key}`;
  if (defaultRuntime === 'kubernetes') {
    if (!defaultCluster) {
      throw invalid(
        'runner.runtime',
        `'kubernetes' needs a cluster under runner.kubernetes.clusters`,
      );
    }
    checkPlacement(settings, defaultCluster, undefined, {
      cluster: 'runner.kubernetes.defaultCluster',
      namespace: '',
    });
  }
  for (const placement of components.values()) {
    const runtime = placement.runtime ?? defaultRuntime;
    if (runtime !== 'kubernetes') continue;
    const cluster = placement.cluster ?? defaultCluster;
    if (!cluster) {
      throw invalid(
        `${prefix(placement.key)}.runtime`,
        `'kubernetes' needs a cluster under runner.kubernetes.clusters`,
      );
    }
    checkPlacement(settings, cluster, placement.namespace, {
      cluster: placement.cluster
        ? `${prefix(placement.key)}.cluster`
        : 'runner.kubernetes.defaultCluster',
      namespace: `${prefix(placement.key)}.namespace`,
    });
  }
  return settings;
}

/**
 * The runtime and placement of one entity. An annotation naming a namespace
 * the cluster does not allow is an InputError naming the annotation.
 */
export function chooseRuntime(
  entity: Entity,
  settings: RuntimeSettings,
): RuntimeChoice {
  // Ref entries win over name entries, field by field, as in effectiveConfig.
  const matching = matchingOverrides(
    entity,
    [...settings.components.values()].map(
      p => ({ key: p.key, selector: selectorOf(p.key) } as ComponentOverride),
    ),
  ).map(o => settings.components.get(o.key)!);
  const pick = <K extends keyof ComponentPlacement>(field: K) => {
    let found: { value: ComponentPlacement[K]; key: string } | undefined;
    for (const p of matching) {
      if (p[field] !== undefined) {
        found = { value: p[field], key: `runner.components.${p.key}.${field}` };
      }
    }
    return found;
  };
  const runtime = pick('runtime');
  const chosen = runtime?.value ?? settings.defaultRuntime;
  const reason = runtime
    ? `${runtime.key} is '${chosen}'`
    : `runner.runtime is '${chosen}'${
        settings.defaultRuntime === 'docker' ? ' (the default)' : ''
      }`;
  const replicas = pick('replicas')?.value ?? 1;
  if (chosen === 'docker') {
    return { runtime: chosen, replicas: 1, reason };
  }
  const cluster = pick('cluster')?.value ?? settings.defaultCluster!;
  const fromConfig = pick('namespace');
  const annotated =
    entity.metadata.annotations?.[KUBERNETES_NAMESPACE_ANNOTATION];
  const target = settings.clusters.find(c => c.name === cluster)!;
  let namespace = fromConfig?.value ?? annotated ?? target.namespaces[0];
  if (!fromConfig && annotated !== undefined) {
    if (!target.namespaces.includes(annotated)) {
      throw new InputError(
        `Invalid annotation '${KUBERNETES_NAMESPACE_ANNOTATION}': namespace '${annotated}' is not allowed on cluster '${cluster}'; use one of ${target.namespaces.join(
          ', ',
        )}`,
      );
    }
    namespace = annotated;
  }
  return {
    runtime: chosen,
    placement: { cluster, namespace },
    replicas,
    reason: `${reason}; cluster '${cluster}', namespace '${namespace}' (${namespaceSource(
      fromConfig?.key,
      annotated,
    )})`,
  };
}

const REF = /^[^:/]+:[^/]+\/.+$/;

function selectorOf(key: string): ComponentOverride['selector'] {
  const lower = key.toLocaleLowerCase('en-US');
  return REF.test(key)
    ? { type: 'ref', ref: lower }
    : { type: 'name', name: lower };
}

/** Which setting chose the namespace, for the effective-config view. */
function namespaceSource(
  configKey: string | undefined,
  annotated: string | undefined,
): string {
  if (configKey) return configKey;
  if (annotated !== undefined) {
    return `annotation ${KUBERNETES_NAMESPACE_ANNOTATION}`;
  }
  return "the cluster's first namespace";
}
