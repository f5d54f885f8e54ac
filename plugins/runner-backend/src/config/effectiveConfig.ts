import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type { ComponentOverride } from './componentOverrides';
import { readComponentAnnotations } from './componentAnnotations';
import type { DockerOverride } from './dockerSettings';
import type { RunnerConfig } from './RunnerConfig';
import type {
  ConfigOrigin,
  EffectiveBuildConfig,
  EffectiveComponentConfig,
  EffectiveDockerConfig,
  EffectiveRunConfig,
} from './types';

/**
 * The overrides that apply to an entity, weakest first: a bare-name entry,
 * then a full-ref entry, so the ref wins field by field.
 */
export function matchingOverrides(
  entity: Entity,
  overrides: ComponentOverride[],
): ComponentOverride[] {
  const name = entity.metadata.name.toLocaleLowerCase('en-US');
  const ref = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
  const byName = overrides.filter(
    o => o.selector.type === 'name' && o.selector.name === name,
  );
  const byRef = overrides.filter(
    o => o.selector.type === 'ref' && o.selector.ref === ref,
  );
  return [...byName, ...byRef];
}

type Origins = Record<string, ConfigOrigin>;

const DOCKER_SCALARS = [
  'connectionTimeoutMs',
  'buildTimeoutMs',
  'runTimeoutMs',
  'securityOptions',
  'readOnlyRootfs',
  'imageCleanupPolicy',
  'maxInstancesPerEntity',
  'maxContextBytes',
] as const;
const LIMITS = ['memoryBytes', 'nanoCpus', 'pidsLimit'] as const;
const LOG_ROTATION = ['driver', 'maxSizeBytes', 'maxFiles'] as const;

function applyDocker(
  docker: EffectiveDockerConfig,
  o: DockerOverride,
  origins: Origins,
): void {
  const {
    runTimeoutMs,
    resourceLimits,
    logRotation,
    keepImages,
    env,
    secretEnv,
    ...scalars
  } = o;
  applyFields(
    docker,
    scalars,
    [...DOCKER_SCALARS],
    'docker',
    'app-config',
    origins,
  );
  if (runTimeoutMs !== undefined) {
    // null is `runTimeout: none`: lift a default limit.
    docker.runTimeoutMs = runTimeoutMs ?? undefined;
    origins['docker.runTimeoutMs'] = 'app-config';
  }
  applyFields(
    docker.resourceLimits,
    resourceLimits,
    [...LIMITS],
    'docker.resourceLimits',
    'app-config',
    origins,
  );
  applyFields(
    docker.logRotation,
    logRotation,
    [...LOG_ROTATION],
    'docker.logRotation',
    'app-config',
    origins,
  );
  applyFields(
    docker.imageRetention,
    { keep: keepImages },
    ['keep'],
    'docker.imageRetention',
    'app-config',
    origins,
  );
}

/** Sets the fields a layer defines (undefined = inherit), recording their origin. */
function applyFields<T extends object>(
  target: T,
  layer: Partial<T>,
  fields: Array<keyof T & string>,
  prefix: string,
  origin: ConfigOrigin,
  origins: Origins,
): void {
  for (const field of fields) {
    if (layer[field] !== undefined) {
      target[field] = layer[field] as T[keyof T & string];
      origins[`${prefix}.${field}`] = origin;
    }
  }
}

function applyMap(
  target: Record<string, string>,
  layer: Record<string, string>,
  prefix: string,
  origin: ConfigOrigin,
  origins: Origins,
): void {
  for (const [name, value] of Object.entries(layer)) {
    target[name] = value;
    origins[`${prefix}.${name}`] = origin;
  }
}

/**
 * A variable set plainly by a stronger layer stops being secret and vice
 * versa: each name lives in exactly one of env / secretEnv.
 */
function applyEnv(
  run: EffectiveRunConfig,
  layer: { env: Record<string, string>; secretEnv?: Record<string, string> },
  origin: ConfigOrigin,
  origins: Origins,
): void {
  for (const [name, value] of Object.entries(layer.env)) {
    delete run.secretEnv[name];
    delete origins[`run.secretEnv.${name}`];
    run.env[name] = value;
    origins[`run.env.${name}`] = origin;
  }
  for (const [name, value] of Object.entries(layer.secretEnv ?? {})) {
    delete run.env[name];
    delete origins[`run.env.${name}`];
    run.secretEnv[name] = value;
    origins[`run.secretEnv.${name}`] = origin;
  }
}

/**
 * Merges `runner.docker` defaults ← the entity's annotations ←
 * `runner.components.<name>` ← `runner.components.<ref>`; app-config wins.
 * Throws an InputError naming the annotation when one does not parse.
 * Origins: `default` is a built-in value or `runner.docker`; `app-config`
 * is a `runner.components` entry.
 */
export function resolveEffectiveConfig(
  entity: Entity,
  config: RunnerConfig,
): EffectiveComponentConfig {
  const annotations = readComponentAnnotations(entity);
  const overrides = matchingOverrides(entity, config.components);
  const { env, secretEnv, ...dockerDefaults } = config.dockerDefaults;
  const origins: Origins = {};

  const docker: EffectiveDockerConfig = {
    ...dockerDefaults,
    resourceLimits: { ...dockerDefaults.resourceLimits },
    securityOptions: [...dockerDefaults.securityOptions],
    logRotation: { ...dockerDefaults.logRotation },
    imageRetention: { ...dockerDefaults.imageRetention },
  };
  for (const field of DOCKER_SCALARS) origins[`docker.${field}`] = 'default';
  for (const field of LIMITS)
    origins[`docker.resourceLimits.${field}`] = 'default';
  for (const field of LOG_ROTATION)
    origins[`docker.logRotation.${field}`] = 'default';
  origins['docker.imageRetention.keep'] = 'default';

  const build: EffectiveBuildConfig = {
    dockerfile: 'Dockerfile',
    context: '.',
    buildArgs: {},
    target: undefined,
  };
  const run: EffectiveRunConfig = {
    ports: [],
    healthPath: undefined,
    env: {},
    secretEnv: {},
  };
  const buildFields = ['dockerfile', 'context', 'target'] as const;
  const runFields = ['ports', 'healthPath'] as const;
  for (const field of buildFields) origins[`build.${field}`] = 'default';
  for (const field of runFields) origins[`run.${field}`] = 'default';
  applyEnv(run, { env, secretEnv }, 'default', origins);

  applyFields(
    build,
    annotations.build,
    [...buildFields],
    'build',
    'annotation',
    origins,
  );
  applyMap(
    build.buildArgs,
    annotations.build.buildArgs,
    'build.buildArgs',
    'annotation',
    origins,
  );
  applyFields(
    run,
    annotations.run,
    [...runFields],
    'run',
    'annotation',
    origins,
  );
  applyEnv(run, annotations.run, 'annotation', origins);

  for (const override of overrides) {
    applyDocker(docker, override.docker, origins);
    applyFields(
      build,
      override.build,
      [...buildFields],
      'build',
      'app-config',
      origins,
    );
    applyMap(
      build.buildArgs,
      override.build.buildArgs,
      'build.buildArgs',
      'app-config',
      origins,
    );
    applyFields(
      run,
      override.run,
      [...runFields],
      'run',
      'app-config',
      origins,
    );
    applyEnv(run, override.docker, 'app-config', origins);
  }

  return {
    entityRef: stringifyEntityRef(entity),
    // Fresh arrays: callers may not change the config through the result.
    docker: {
      ...docker,
      securityOptions: [...docker.securityOptions],
      resourceLimits: { ...docker.resourceLimits },
      logRotation: { ...docker.logRotation },
      imageRetention: { ...docker.imageRetention },
    },
    build,
    run: { ...run, ports: run.ports.map(p => ({ ...p })) },
    origins,
  };
}
