import { createHash } from 'node:crypto';
import type { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { configHash, redactEffectiveConfig } from './redaction';
import { resolveEffectiveConfig } from './effectiveConfig';
import { readRunnerConfig } from './RunnerConfig';

const SECRET = 'hunter2-very-secret';
const OTHER_SECRET = 'db-pass-0451';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'hello-http',
    annotations: { 'runner.backstage.io/env': 'GREETING=hello' },
  },
  spec: {},
};

function effective(secretEnv: Record<string, string>, extra: object = {}) {
  const config = readRunnerConfig(
    new ConfigReader({
      runner: {
        docker: { secretEnv: { DB_PASSWORD: OTHER_SECRET }, ...extra },
        components: { 'hello-http': { docker: { secretEnv } } },
      },
    }),
  );
  return resolveEffectiveConfig(entity, config);
}

describe('redactEffectiveConfig', () => {
  it('replaces every secret value by "set" and leaves no secret anywhere', () => {
    const config = effective({ API_TOKEN: SECRET });
    const redacted = redactEffectiveConfig(config);
    const json = JSON.stringify(redacted);

    expect(redacted.run.secretEnv).toEqual({
      API_TOKEN: 'set',
      DB_PASSWORD: 'set',
    });
    expect(json).not.toContain(SECRET);
    expect(json).not.toContain(OTHER_SECRET);
    expect(redacted.run.env).toEqual({ GREETING: 'hello' });
    expect(redacted.origins['run.secretEnv.API_TOKEN']).toBe('app-config');
    // The input is untouched: the backend still needs the values.
    expect(config.run.secretEnv.API_TOKEN).toBe(SECRET);
  });

  it('is JSON-safe: a JSON round trip changes nothing', () => {
    const redacted = redactEffectiveConfig(effective({ A: 'x' }));
    expect(JSON.parse(JSON.stringify(redacted))).toEqual(redacted);
  });
});

const KEY = Buffer.alloc(32, 7);
const OTHER_KEY = Buffer.alloc(32, 9);

/** What an attacker who reads labels could compute without the key. */
function plainSha256(config: ReturnType<typeof effective>): string {
  const { origins: _origins, ...rest } = config;
  const canonical = (value: unknown): string => {
    if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
    if (value !== null && typeof value === 'object') {
      return `{${Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
        .join(',')}}`;
    }
    return JSON.stringify(value);
  };
  return createHash('sha256').update(canonical(rest)).digest('hex');
}

describe('configHash', () => {
  it('is a stable keyed hash that ignores key order and origins', () => {
    const a = effective({ API_TOKEN: SECRET });
    const b = effective({ API_TOKEN: SECRET });
    b.origins = {};
    b.run.env = { ...b.run.env }; // same content, new object
    expect(configHash(a, KEY)).toMatch(/^[0-9a-f]{64}$/);
    expect(configHash(a, KEY)).toBe(configHash(b, KEY));
  });

  it('changes with a secret value without containing it', () => {
    const a = configHash(effective({ API_TOKEN: SECRET }), KEY);
    const b = configHash(effective({ API_TOKEN: `${SECRET}!` }), KEY);
    expect(a).not.toBe(b);
    expect(a).not.toContain(SECRET);
  });

  it('cannot be recomputed without the installation key', () => {
    const config = effective({ API_TOKEN: SECRET });
    const hash = configHash(config, KEY);
    expect(hash).not.toBe(plainSha256(config));
    expect(hash).not.toBe(configHash(config, OTHER_KEY));
    expect(() => configHash(config, Buffer.alloc(0))).toThrow(
      /installation key/,
    );
  });

  it('changes with a limit', () => {
    expect(configHash(effective({}), KEY)).not.toBe(
      configHash(effective({}, { resourceLimits: { memory: '1g' } }), KEY),
    );
  });
});
