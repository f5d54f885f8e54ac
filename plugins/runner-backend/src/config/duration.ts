import type { Config } from '@backstage/config';
import { readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';

/**
 * Reads a duration that may be given as milliseconds (`5000`), a short string
 * (`5s`, `2m`) or ISO 8601 (`PT5S`). Errors name the full config key.
 */
export function readOptionalDurationMs(
  config: Config,
  key: string,
  fullKey: string,
): number | undefined {
  const raw = config.getOptional(key);
  if (raw === undefined) {
    return undefined;
  }
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw) || raw <= 0) {
      throw new InputError(
        `Invalid config at '${fullKey}': ${raw} is not a positive number of milliseconds; use e.g. 5000 or '5s'`,
      );
    }
    return raw;
  }
  let ms: number;
  try {
    ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
  } catch (error) {
    throw new InputError(
      `Invalid config at '${fullKey}': '${String(
        raw,
      )}' is not a duration; use milliseconds (5000), '5s', '2m' or ISO 8601 ('PT5S')`,
    );
  }
  if (!(ms > 0)) {
    throw new InputError(
      `Invalid config at '${fullKey}': the duration must be longer than zero`,
    );
  }
  return ms;
}
