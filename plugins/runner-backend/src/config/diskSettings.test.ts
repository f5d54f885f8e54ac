import { ConfigReader } from '@backstage/config';
import { readRunnerConfig } from './RunnerConfig';
import { resolveEffectiveConfig } from './effectiveConfig';

function read(runner: unknown) {
  return readRunnerConfig(new ConfigReader({ runner } as any));
}

const MiB = 1024 ** 2;
const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'hello-http', namespace: 'default' },
  spec: {},
};

describe('log rotation and image retention settings', () => {
  it('has defaults that bound every container and component', () => {
    const config = read({});
    expect(config.dockerDefaults.logRotation).toEqual({
      driver: 'json-file',
      maxSizeBytes: 10 * MiB,
      maxFiles: 3,
    });
    expect(config.dockerDefaults.imageRetention).toEqual({ keep: 3 });
    expect(config.pruneSchedule).toEqual({
      intervalMs: 3_600_000,
      buildCache: true,
    });
  });

  it('reads runner.docker and per-component values into the effective config, with origins', () => {
    const config = read({
      docker: {
        logRotation: { driver: 'local', maxSize: '5m', maxFiles: '4' },
        imageRetention: { keep: 5, interval: '30m', buildCache: 'false' },
      },
      components: {
        'hello-http': {
          docker: { logRotation: { maxFiles: 2 }, imageRetention: { keep: 1 } },
        },
      },
    });
    expect(config.pruneSchedule).toEqual({
      intervalMs: 30 * 60_000,
      buildCache: false,
    });
    const effective = resolveEffectiveConfig(entity, config);
    expect(effective.docker.logRotation).toEqual({
      driver: 'local',
      maxSizeBytes: 5 * MiB,
      maxFiles: 2,
    });
    expect(effective.docker.imageRetention).toEqual({ keep: 1 });
    expect(effective.origins).toMatchObject({
      'docker.logRotation.driver': 'default',
      'docker.logRotation.maxSizeBytes': 'default',
      'docker.logRotation.maxFiles': 'app-config',
      'docker.imageRetention.keep': 'app-config',
    });
    // The defaults are not changed through one component's result.
    expect(config.dockerDefaults.logRotation.maxFiles).toBe(4);
    const other = resolveEffectiveConfig(
      { ...entity, metadata: { name: 'other', namespace: 'default' } },
      config,
    );
    expect(other.docker.logRotation.maxFiles).toBe(4);
    expect(other.docker.imageRetention.keep).toBe(5);
  });

  it.each([
    [
      { docker: { logRotation: '10m' } },
      "Invalid config at 'runner.docker.logRotation': expected a map, e.g. { maxSize: 10m, maxFiles: 3 }",
    ],
    [
      { docker: { logRotation: { maxsize: '10m' } } },
      "Invalid config at 'runner.docker.logRotation.maxsize': unknown key; use one of driver, maxSize, maxFiles",
    ],
    [
      { docker: { logRotation: { driver: 'journald' } } },
      "Invalid config at 'runner.docker.logRotation.driver': 'journald'; use json-file or local",
    ],
    [
      { docker: { logRotation: { maxSize: 'huge' } } },
      "Invalid config at 'runner.docker.logRotation.maxSize': 'huge'; use bytes (10485760) or a size such as 10m, 1g",
    ],
    [
      { docker: { logRotation: { maxSize: '100k' } } },
      "Invalid config at 'runner.docker.logRotation.maxSize': '100k' is 100 KiB (102400 bytes); the minimum is 1 MiB",
    ],
    [
      { docker: { logRotation: { maxFiles: 0 } } },
      "Invalid config at 'runner.docker.logRotation.maxFiles': '0'; use a whole number from 1 to 100",
    ],
    [
      { components: { x: { docker: { logRotation: { maxFiles: 2.5 } } } } },
      "Invalid config at 'runner.components.x.docker.logRotation.maxFiles': '2.5'; use a whole number from 1 to 100",
    ],
    [
      { docker: { imageRetention: { keep: 0 } } },
      "Invalid config at 'runner.docker.imageRetention.keep': '0'; use a whole number from 1 to 1000",
    ],
    [
      { docker: { imageRetention: { kept: 3 } } },
      "Invalid config at 'runner.docker.imageRetention.kept': unknown key; use one of keep, interval, buildCache",
    ],
    [
      { docker: { imageRetention: { interval: '10s' } } },
      "Invalid config at 'runner.docker.imageRetention.interval': the prune lists every image of the engine; use at least 1m",
    ],
    [
      { docker: { imageRetention: { interval: 'hourly' } } },
      "Invalid config at 'runner.docker.imageRetention.interval': 'hourly' is not a duration",
    ],
    [
      { docker: { imageRetention: { buildCache: 'yes' } } },
      "Invalid config at 'runner.docker.imageRetention.buildCache': 'yes'; use true or false",
    ],
    [
      { components: { x: { docker: { imageRetention: { interval: '2h' } } } } },
      "Invalid config at 'runner.components.x.docker.imageRetention.interval': the prune schedule is the same for all components; set it once at 'runner.docker.imageRetention.interval'",
    ],
    [
      {
        components: { x: { docker: { imageRetention: { keep: 2, max: 1 } } } },
      },
      "Invalid config at 'runner.components.x.docker.imageRetention.max': unknown key; use one of keep",
    ],
  ])('rejects %j naming the key', (runner, message) => {
    expect(() => read(runner)).toThrow(message);
  });
});
