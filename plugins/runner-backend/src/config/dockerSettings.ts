import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { readOptionalDurationMs } from './duration';
import {
  BUILT_IN_KEEP_IMAGES,
  BUILT_IN_LOG_ROTATION,
  readKeepImages,
  readLogRotation,
} from './diskSettings';
import { readStringMap } from './keyValues';
import { validateSecurityOption } from './securityOptions';
import { formatBytes, parseByteSize, parseCpus } from './sizes';
import type {
  EffectiveDockerConfig,
  ImageCleanupPolicy,
  LogRotation,
} from './types';

/*
 * The per-component Docker settings: `runner.docker.*` (the defaults) and
 * `runner.components.<key>.docker.*` (overrides) share one reader, so both
 * accept exactly the same forms and fail with the same messages.
 */

/** `runner.docker` beyond the connection: defaults for every component. */
export interface DockerDefaults extends EffectiveDockerConfig {
  env: Record<string, string>;
  secretEnv: Record<string, string>;
}

/** What one `runner.components.<key>.docker` block sets; absent = inherit. */
export interface DockerOverride {
  connectionTimeoutMs?: number;
  buildTimeoutMs?: number;
  /** `null` means `runTimeout: none`: no limit even if the defaults set one. */
  runTimeoutMs?: number | null;
  resourceLimits: Partial<EffectiveDockerConfig['resourceLimits']>;
  securityOptions?: string[];
  readOnlyRootfs?: boolean;
  imageCleanupPolicy?: ImageCleanupPolicy;
  maxInstancesPerEntity?: number;
  maxContextBytes?: number;
  logRotation: Partial<LogRotation>;
  keepImages?: number;
  env: Record<string, string>;
  secretEnv: Record<string, string>;
}

/** Docker refuses containers with less memory than this. */
export const MIN_MEMORY_BYTES = 6 * 1024 ** 2;
/** Docker's smallest CPU share is 0.01; 64 catches typos like `500` for `0.5`. */
export const MIN_CPUS = 0.01;
export const MAX_CPUS = 64;

export const BUILT_IN_DOCKER_DEFAULTS: DockerDefaults = {
  connectionTimeoutMs: 5_000,
  buildTimeoutMs: 10 * 60_000,
  runTimeoutMs: undefined,
  resourceLimits: {
    memoryBytes: 512 * 1024 ** 2,
    nanoCpus: 1e9,
    pidsLimit: 256,
  },
  securityOptions: [],
  readOnlyRootfs: false,
  imageCleanupPolicy: 'on-error',
  maxInstancesPerEntity: 1,
  maxContextBytes: 200 * 1024 ** 2,
  logRotation: BUILT_IN_LOG_ROTATION,
  imageRetention: { keep: BUILT_IN_KEEP_IMAGES },
  env: {},
  secretEnv: {},
};

const POLICIES: ImageCleanupPolicy[] = ['always', 'on-error', 'never'];
const DOCKER_KEYS = [
  'connectionTimeout',
  'buildTimeout',
  'runTimeout',
  'resourceLimits',
  'securityOptions',
  'readOnlyRootfs',
  'imageCleanupPolicy',
  'maxInstancesPerEntity',
  'maxContextSize',
  'logRotation',
  'imageRetention',
  'env',
  'secretEnv',
];
const LIMIT_KEYS = ['memory', 'cpus', 'pids'];

/** Rejects keys a block does not know, so a typo fails start-up instead of being ignored. */
export function rejectUnknownKeys(
  config: Config,
  known: string[],
  prefix: string,
): void {
  for (const key of config.keys()) {
    if (!known.includes(key)) {
      throw new InputError(
        `Invalid config at '${prefix}.${key}': unknown key; use one of ${known.join(
          ', ',
        )}`,
      );
    }
  }
}

function readPositiveInt(
  config: Config,
  key: string,
  fullKey: string,
  example: string,
): number | undefined {
  const raw = config.getOptional(key);
  if (raw === undefined) return undefined;
  const value =
    typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new InputError(
      `Invalid config at '${fullKey}': '${String(
        raw,
      )}'; use a whole number of at least 1, e.g. ${example}`,
    );
  }
  return value;
}

function readSize(
  config: Config,
  key: string,
  fullKey: string,
  min: number,
): number | undefined {
  const raw = config.getOptional(key);
  if (raw === undefined) return undefined;
  const bytes = parseByteSize(raw);
  if (bytes === undefined) {
    throw new InputError(
      `Invalid config at '${fullKey}': '${String(
        raw,
      )}'; use bytes (536870912) or a size such as 512m, 1g`,
    );
  }
  if (bytes < min) {
    throw new InputError(
      `Invalid config at '${fullKey}': '${String(raw)}' is ${formatBytes(
        bytes,
      )}; the minimum is ${formatBytes(min)}`,
    );
  }
  return bytes;
}

function readLimits(
  config: Config | undefined,
  prefix: string,
): DockerOverride['resourceLimits'] {
  if (!config) return {};
  rejectUnknownKeys(config, LIMIT_KEYS, prefix);
  const limits: DockerOverride['resourceLimits'] = {};
  const memory = readSize(
    config,
    'memory',
    `${prefix}.memory`,
    MIN_MEMORY_BYTES,
  );
  if (memory !== undefined) limits.memoryBytes = memory;

  const rawCpus = config.getOptional('cpus');
  if (rawCpus !== undefined) {
    const cpus = parseCpus(rawCpus);
    if (cpus === undefined || cpus < MIN_CPUS || cpus > MAX_CPUS) {
      throw new InputError(
        `Invalid config at '${prefix}.cpus': '${String(
          rawCpus,
        )}'; use a number of CPUs from ${MIN_CPUS} to ${MAX_CPUS}, e.g. 0.5 or "2"`,
      );
    }
    limits.nanoCpus = Math.round(cpus * 1e9);
  }
  const pids = readPositiveInt(config, 'pids', `${prefix}.pids`, '256');
  if (pids !== undefined) limits.pidsLimit = pids;
  return limits;
}

function readBoolean(
  config: Config,
  key: string,
  fullKey: string,
): boolean | undefined {
  const raw = config.getOptional(key);
  if (raw === undefined) return undefined;
  // Strings come from ${ENV} substitution.
  if (raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false') return false;
  throw new InputError(
    `Invalid config at '${fullKey}': '${String(raw)}'; use true or false`,
  );
}

/**
 * Reads one docker settings block. `prefix` is its full key
 * (`runner.docker` or `runner.components.hello-http.docker`). Component
 * blocks may not set `host`: there is one engine per backend.
 */
export function readDockerOverride(
  config: Config | undefined,
  prefix: string,
  options: { component: boolean },
): DockerOverride {
  const override: DockerOverride = {
    resourceLimits: {},
    logRotation: {},
    env: {},
    secretEnv: {},
  };
  if (!config) return override;
  if (options.component) {
    if (config.has('host')) {
      throw new InputError(
        `Invalid config at '${prefix}.host': the Docker engine is shared by all components; set it once at 'runner.docker.host'`,
      );
    }
    rejectUnknownKeys(config, DOCKER_KEYS, prefix);
  }

  const durations = [
    ['connectionTimeout', 'connectionTimeoutMs'],
    ['buildTimeout', 'buildTimeoutMs'],
  ] as const;
  for (const [key, field] of durations) {
    const ms = readOptionalDurationMs(config, key, `${prefix}.${key}`);
    if (ms !== undefined) override[field] = ms;
  }
  if (config.getOptional('runTimeout') === 'none') {
    override.runTimeoutMs = null;
  } else {
    override.runTimeoutMs = readOptionalDurationMs(
      config,
      'runTimeout',
      `${prefix}.runTimeout`,
    );
    if (override.runTimeoutMs === undefined) delete override.runTimeoutMs;
  }

  const rawLimits = config.getOptional('resourceLimits');
  if (
    rawLimits !== undefined &&
    (typeof rawLimits !== 'object' ||
      rawLimits === null ||
      Array.isArray(rawLimits))
  ) {
    throw new InputError(
      `Invalid config at '${prefix}.resourceLimits': expected a map with memory, cpus and/or pids, e.g. { memory: 512m, cpus: 0.5, pids: 256 }`,
    );
  }
  override.resourceLimits = readLimits(
    config.getOptionalConfig('resourceLimits'),
    `${prefix}.resourceLimits`,
  );

  const rawOptions = config.getOptional('securityOptions');
  if (rawOptions !== undefined) {
    if (!Array.isArray(rawOptions)) {
      throw new InputError(
        `Invalid config at '${prefix}.securityOptions': expected a list such as ['apparmor=docker-default']`,
      );
    }
    override.securityOptions = rawOptions.map((option, index) =>
      validateSecurityOption(option, `${prefix}.securityOptions[${index}]`),
    );
  }

  const readOnly = readBoolean(
    config,
    'readOnlyRootfs',
    `${prefix}.readOnlyRootfs`,
  );
  if (readOnly !== undefined) override.readOnlyRootfs = readOnly;

  const policy = config.getOptional('imageCleanupPolicy');
  if (policy !== undefined) {
    if (!POLICIES.includes(policy as ImageCleanupPolicy)) {
      throw new InputError(
        `Invalid config at '${prefix}.imageCleanupPolicy': '${String(
          policy,
        )}'; use ${POLICIES.join(', ')}`,
      );
    }
    override.imageCleanupPolicy = policy as ImageCleanupPolicy;
  }

  const max = readPositiveInt(
    config,
    'maxInstancesPerEntity',
    `${prefix}.maxInstancesPerEntity`,
    '1',
  );
  if (max !== undefined) override.maxInstancesPerEntity = max;
  const contextBytes = readSize(
    config,
    'maxContextSize',
    `${prefix}.maxContextSize`,
    1,
  );
  if (contextBytes !== undefined) override.maxContextBytes = contextBytes;
  override.logRotation = readLogRotation(config, prefix);
  const keep = readKeepImages(config, prefix, options);
  if (keep !== undefined) override.keepImages = keep;

  override.env = readStringMap(config.getOptional('env'), `${prefix}.env`);
  override.secretEnv = readStringMap(
    config.getOptional('secretEnv'),
    `${prefix}.secretEnv`,
    { secret: true },
  );
  for (const name of Object.keys(override.secretEnv)) {
    if (name in override.env) {
      throw new InputError(
        `Invalid config at '${prefix}.secretEnv.${name}': '${name}' is also set in '${prefix}.env'; set a variable in one of them`,
      );
    }
  }
  return override;
}

/** `runner.docker` defaults: built-in values overridden by the block's settings. */
export function readDockerDefaults(config: Config | undefined): DockerDefaults {
  const o = readDockerOverride(config, 'runner.docker', { component: false });
  const d = BUILT_IN_DOCKER_DEFAULTS;
  return {
    connectionTimeoutMs: o.connectionTimeoutMs ?? d.connectionTimeoutMs,
    buildTimeoutMs: o.buildTimeoutMs ?? d.buildTimeoutMs,
    runTimeoutMs: o.runTimeoutMs ?? d.runTimeoutMs,
    resourceLimits: { ...d.resourceLimits, ...o.resourceLimits },
    securityOptions: o.securityOptions ?? d.securityOptions,
    readOnlyRootfs: o.readOnlyRootfs ?? d.readOnlyRootfs,
    imageCleanupPolicy: o.imageCleanupPolicy ?? d.imageCleanupPolicy,
    maxInstancesPerEntity: o.maxInstancesPerEntity ?? d.maxInstancesPerEntity,
    maxContextBytes: o.maxContextBytes ?? d.maxContextBytes,
    logRotation: { ...d.logRotation, ...o.logRotation },
    imageRetention: { keep: o.keepImages ?? d.imageRetention.keep },
    env: o.env,
    secretEnv: o.secretEnv,
  };
}
