import { ConfigReader, type Config } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { InputError } from '@backstage/errors';
import {
  type Fail,
  type PortSpec,
  parseBuildTarget,
  parseHealthPath,
  parsePorts,
  parseRelativePath,
} from './buildRunValues';
import {
  type DockerOverride,
  readDockerOverride,
  rejectUnknownKeys,
} from './dockerSettings';
import { readStringMap } from './keyValues';

/** A validated `runner.components.<key>` entry. */
export interface ComponentOverride {
  /** The key as written in app-config. */
  key: string;
  /** Bare names match any component of that name; refs match exactly (case-insensitively). */
  selector: { type: 'name'; name: string } | { type: 'ref'; ref: string };
  docker: DockerOverride;
  build: {
    dockerfile?: string;
    context?: string;
    target?: string;
    buildArgs: Record<string, string>;
  };
  run: {
    /** Replaces the annotation's ports as a whole when set. */
    ports?: PortSpec[];
    healthPath?: string;
  };
}

const NAME_PATTERN = /^([A-Za-z0-9]+[-_.])*[A-Za-z0-9]+$/;
const REF_PATTERN =
  /^([A-Za-z0-9][-A-Za-z0-9_.]*):([A-Za-z0-9][-A-Za-z0-9_.]*)\/([A-Za-z0-9][-A-Za-z0-9_.]*)$/;

function isMap(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readSelector(key: string): ComponentOverride['selector'] {
  if (REF_PATTERN.test(key)) {
    return { type: 'ref', ref: key.toLocaleLowerCase('en-US') };
  }
  if (NAME_PATTERN.test(key) && key.length <= 63) {
    return { type: 'name', name: key.toLocaleLowerCase('en-US') };
  }
  throw new InputError(
    `Invalid config at 'runner.components.${key}': '${key}' is neither a component name (hello-http) nor a full entity ref (component:default/hello-http)`,
  );
}

function optionalString(
  config: Config,
  key: string,
  fullKey: string,
): string | undefined {
  const raw = config.getOptional(key);
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') {
    throw new InputError(`Invalid config at '${fullKey}': expected a string`);
  }
  return raw;
}

function readBuild(
  config: Config | undefined,
  prefix: string,
): ComponentOverride['build'] {
  if (!config) return { buildArgs: {} };
  rejectUnknownKeys(
    config,
    ['dockerfile', 'context', 'buildArgs', 'target'],
    prefix,
  );
  const fail =
    (key: string): Fail =>
    problem =>
      new InputError(`Invalid config at '${prefix}.${key}': ${problem}`);
  const build: ComponentOverride['build'] = {
    buildArgs: readStringMap(
      config.getOptional('buildArgs'),
      `${prefix}.buildArgs`,
    ),
  };
  const dockerfile = optionalString(
    config,
    'dockerfile',
    `${prefix}.dockerfile`,
  );
  if (dockerfile !== undefined) {
    build.dockerfile = parseRelativePath(
      dockerfile,
      fail('dockerfile'),
      'Dockerfile',
    );
  }
  const context = optionalString(config, 'context', `${prefix}.context`);
  if (context !== undefined) {
    build.context = parseRelativePath(context, fail('context'), '.');
  }
  const target = optionalString(config, 'target', `${prefix}.target`);
  if (target !== undefined) {
    build.target = parseBuildTarget(target, fail('target'));
  }
  return build;
}

function readRun(
  config: Config | undefined,
  prefix: string,
): ComponentOverride['run'] {
  if (!config) return {};
  rejectUnknownKeys(config, ['ports', 'healthPath'], prefix);
  const run: ComponentOverride['run'] = {};
  const rawPorts = config.getOptional('ports');
  if (rawPorts !== undefined) {
    // A list (['8080', '18080:9090/udp']) or the annotation's comma form.
    const items = Array.isArray(rawPorts)
      ? rawPorts
      : String(rawPorts)
          .split(',')
          .filter(p => p.trim() !== '');
    run.ports = parsePorts(
      items.map(item => (typeof item === 'number' ? item : String(item))),
      problem =>
        new InputError(`Invalid config at '${prefix}.ports': ${problem}`),
    );
  }
  const healthPath = optionalString(
    config,
    'healthPath',
    `${prefix}.healthPath`,
  );
  if (healthPath !== undefined) {
    run.healthPath = parseHealthPath(
      healthPath,
      problem =>
        new InputError(`Invalid config at '${prefix}.healthPath': ${problem}`),
    );
  }
  return run;
}

const PLACEMENT_KEYS = ['runtime', 'cluster', 'namespace', 'replicas'];

function readOne(key: string, raw: unknown): ComponentOverride {
  const prefix = `runner.components.${key}`;
  if (!isMap(raw)) {
    throw new InputError(
      `Invalid config at '${prefix}': expected a map with docker, build and/or run`,
    );
  }
  for (const [section, value] of Object.entries(raw)) {
    // Where it runs is read (and checked) by runtimeChoice.ts.
    if (PLACEMENT_KEYS.includes(section)) continue;
    if (!['docker', 'build', 'run'].includes(section)) {
      throw new InputError(
        `Invalid config at '${prefix}.${section}': unknown key; use docker, build or run (or runtime, cluster, namespace, replicas)`,
      );
    }
    if (!isMap(value)) {
      throw new InputError(
        `Invalid config at '${prefix}.${section}': expected a map`,
      );
    }
  }
  // Keys such as `component:default/hello-http` are not valid Backstage config
  // paths (`/`), so each entry is wrapped in its own reader.
  const config = new ConfigReader(raw, prefix);
  return {
    key,
    selector: readSelector(key),
    docker: readDockerOverride(
      config.getOptionalConfig('docker'),
      `${prefix}.docker`,
      {
        component: true,
      },
    ),
    build: readBuild(config.getOptionalConfig('build'), `${prefix}.build`),
    run: readRun(config.getOptionalConfig('run'), `${prefix}.run`),
  };
}

/** Reads and validates every `runner.components` entry at start-up. */
export function readComponentOverrides(
  runner: Config | undefined,
): ComponentOverride[] {
  const raw = runner?.getOptional('components');
  if (raw === undefined) return [];
  if (!isMap(raw)) {
    throw new InputError(
      `Invalid config at 'runner.components': expected a map of component name or entity ref to settings`,
    );
  }
  const overrides = Object.entries(raw).map(([key, value]) =>
    readOne(key, value),
  );
  const seen = new Map<string, string>();
  for (const override of overrides) {
    const id =
      override.selector.type === 'ref'
        ? override.selector.ref
        : `name:${override.selector.name}`;
    const other = seen.get(id);
    if (other !== undefined) {
      throw new InputError(
        `Invalid config at 'runner.components.${override.key}': it names the same component as 'runner.components.${other}' (names and refs are case-insensitive); merge the two`,
      );
    }
    seen.set(id, override.key);
  }
  return overrides;
}
