import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { readOptionalDurationMs } from './duration';
import { formatBytes, parseByteSize } from './sizes';
import type { LogRotation } from './types';

/*
 * What a runner may leave on the engine's disk: container logs (rotated by
 * the engine's log driver) and images (the newest `keep` of each component,
 * pruned on the scheduler). Per-component keys live in the docker settings
 * block; the prune schedule is engine-wide (`runner.docker.imageRetention`
 * only).
 */

export const LOG_DRIVERS = ['json-file', 'local'] as const;

export const BUILT_IN_LOG_ROTATION: LogRotation = {
  driver: 'json-file',
  maxSizeBytes: 10 * 1024 ** 2,
  maxFiles: 3,
};
/** Smaller files rotate so often that a tail holds little. */
export const MIN_LOG_FILE_BYTES = 1024 ** 2;
export const MAX_LOG_FILES = 100;

export const BUILT_IN_KEEP_IMAGES = 3;
export const MAX_KEEP_IMAGES = 1000;

/** The engine-wide prune schedule (`runner.docker.imageRetention`). */
export interface PruneSchedule {
  intervalMs: number;
  /** Also prune the engine's dangling build cache and dangling runner images. */
  buildCache: boolean;
}

export const BUILT_IN_PRUNE_SCHEDULE: PruneSchedule = {
  intervalMs: 60 * 60_000,
  buildCache: true,
};
/** The prune lists every image; more often than this buys nothing. */
const MIN_PRUNE_INTERVAL_MS = 60_000;

const LOG_KEYS = ['driver', 'maxSize', 'maxFiles'];
const RETENTION_KEYS = ['keep', 'interval', 'buildCache'];
const ENGINE_WIDE_RETENTION_KEYS = ['interval', 'buildCache'];

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function expectMap(
  config: Config,
  key: string,
  prefix: string,
  example: string,
) {
  const raw = config.getOptional(key);
  if (raw !== undefined && !isMap(raw)) {
    throw new InputError(
      `Invalid config at '${prefix}.${key}': expected a map, e.g. ${example}`,
    );
  }
  return raw !== undefined;
}

function rejectUnknown(config: Config, known: string[], prefix: string) {
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

function readWholeNumber(
  config: Config,
  key: string,
  fullKey: string,
  min: number,
  max: number,
): number | undefined {
  const raw = config.getOptional(key);
  if (raw === undefined) return undefined;
  // Strings come from ${ENV} substitution.
  const value =
    typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : raw;
  if (
    typeof value !== 'number' ||
    !Number.isSafeInteger(value) ||
    value < min ||
    value > max
  ) {
    throw new InputError(
      `Invalid config at '${fullKey}': '${String(
        raw,
      )}'; use a whole number from ${min} to ${max}`,
    );
  }
  return value;
}

/** `<prefix>.logRotation`: what a block sets (absent fields inherit). */
export function readLogRotation(
  config: Config,
  prefix: string,
): Partial<LogRotation> {
  const example = '{ maxSize: 10m, maxFiles: 3 }';
  if (!expectMap(config, 'logRotation', prefix, example)) return {};
  const block = config.getConfig('logRotation');
  const key = `${prefix}.logRotation`;
  rejectUnknown(block, LOG_KEYS, key);
  const rotation: Partial<LogRotation> = {};

  const driver = block.getOptional('driver');
  if (driver !== undefined) {
    if (!LOG_DRIVERS.includes(driver as LogRotation['driver'])) {
      throw new InputError(
        `Invalid config at '${key}.driver': '${String(
          driver,
        )}'; use ${LOG_DRIVERS.join(
          ' or ',
        )} (drivers that 'docker logs' reads and that rotate by size)`,
      );
    }
    rotation.driver = driver as LogRotation['driver'];
  }
  const rawSize = block.getOptional('maxSize');
  if (rawSize !== undefined) {
    const bytes = parseByteSize(rawSize);
    if (bytes === undefined) {
      throw new InputError(
        `Invalid config at '${key}.maxSize': '${String(
          rawSize,
        )}'; use bytes (10485760) or a size such as 10m, 1g`,
      );
    }
    if (bytes < MIN_LOG_FILE_BYTES) {
      throw new InputError(
        `Invalid config at '${key}.maxSize': '${String(
          rawSize,
        )}' is ${formatBytes(bytes)}; the minimum is ${formatBytes(
          MIN_LOG_FILE_BYTES,
        )}`,
      );
    }
    rotation.maxSizeBytes = bytes;
  }
  const files = readWholeNumber(
    block,
    'maxFiles',
    `${key}.maxFiles`,
    1,
    MAX_LOG_FILES,
  );
  if (files !== undefined) rotation.maxFiles = files;
  return rotation;
}

/** `<prefix>.imageRetention.keep`; a component block may set nothing else. */
export function readKeepImages(
  config: Config,
  prefix: string,
  options: { component: boolean },
): number | undefined {
  const example = '{ keep: 3 }';
  if (!expectMap(config, 'imageRetention', prefix, example)) return undefined;
  const block = config.getConfig('imageRetention');
  const key = `${prefix}.imageRetention`;
  if (options.component) {
    for (const engineWide of ENGINE_WIDE_RETENTION_KEYS) {
      if (block.has(engineWide)) {
        throw new InputError(
          `Invalid config at '${key}.${engineWide}': the prune schedule is the same for all components; set it once at 'runner.docker.imageRetention.${engineWide}'`,
        );
      }
    }
    rejectUnknown(block, ['keep'], key);
  } else {
    rejectUnknown(block, RETENTION_KEYS, key);
  }
  return readWholeNumber(block, 'keep', `${key}.keep`, 1, MAX_KEEP_IMAGES);
}

/** `runner.docker.imageRetention.interval` and `.buildCache`. */
export function readPruneSchedule(docker: Config | undefined): PruneSchedule {
  const block = docker?.getOptionalConfig('imageRetention');
  if (!block) return { ...BUILT_IN_PRUNE_SCHEDULE };
  const key = 'runner.docker.imageRetention';
  const intervalMs =
    readOptionalDurationMs(block, 'interval', `${key}.interval`) ??
    BUILT_IN_PRUNE_SCHEDULE.intervalMs;
  if (intervalMs < MIN_PRUNE_INTERVAL_MS) {
    throw new InputError(
      `Invalid config at '${key}.interval': the prune lists every image of the engine; use at least 1m`,
    );
  }
  const raw = block.getOptional('buildCache');
  let buildCache = BUILT_IN_PRUNE_SCHEDULE.buildCache;
  if (raw !== undefined) {
    if (raw === true || raw === 'true') buildCache = true;
    else if (raw === false || raw === 'false') buildCache = false;
    else {
      throw new InputError(
        `Invalid config at '${key}.buildCache': '${String(
          raw,
        )}'; use true or false`,
      );
    }
  }
  return { intervalMs, buildCache };
}
