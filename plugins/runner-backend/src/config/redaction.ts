import { createHmac } from 'node:crypto';
import type { EffectiveComponentConfig, EffectiveRunConfig } from './types';

/** The effective config as `GET …/effective-config` shows it: secret values replaced by "set". */
export type RedactedComponentConfig = Omit<EffectiveComponentConfig, 'run'> & {
  run: Omit<EffectiveRunConfig, 'secretEnv'> & {
    secretEnv: Record<string, 'set'>;
  };
};

/** Code-unit order, not locale order, so the result is the same on every machine. */
function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** JSON with object keys sorted at every level, so equal configs hash equally. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(item => canonicalJson(item ?? null)).join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => compareStrings(a, b));
    return `{${entries
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * A JSON-safe copy with every secretEnv value replaced by "set". Built from
 * an explicit copy of the secret names (never a spread of the secret map), so
 * a secret cannot leak through a field added later by accident.
 */
export function redactEffectiveConfig(
  config: EffectiveComponentConfig,
): RedactedComponentConfig {
  const secretEnv: Record<string, 'set'> = {};
  for (const name of Object.keys(config.run.secretEnv).sort()) {
    secretEnv[name] = 'set';
  }
  const { secretEnv: _secret, ...run } = config.run;
  return JSON.parse(
    JSON.stringify({ ...config, run: { ...run, secretEnv } }),
  ) as RedactedComponentConfig;
}

/**
 * HMAC-SHA256 (hex), keyed with the installation's secret key, over the
 * effective config without `origins` (where a value came from does not
 * change the container). Secret values are part of the input, so changing
 * one changes the hash. Containers carry it as a label and the API returns
 * it: a plain sha256 there would let anyone who reads labels test guesses of
 * a weak secret offline; without the key, nobody outside can.
 */
export function configHash(
  config: EffectiveComponentConfig,
  key: Buffer,
): string {
  if (key.length < 16) {
    throw new Error('configHash needs the installation key (16 bytes or more)');
  }
  const { origins: _origins, ...rest } = config;
  return createHmac('sha256', key).update(canonicalJson(rest)).digest('hex');
}
