import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { MONITORING_DEFAULTS, readMonitoringConfig } from './config';

function read(monitoring: JsonObject) {
  return readMonitoringConfig(new ConfigReader({ runner: { monitoring } }));
}

describe('readMonitoringConfig', () => {
  it('fills in the defaults', () => {
    expect(readMonitoringConfig(new ConfigReader({}))).toEqual(
      MONITORING_DEFAULTS,
    );
    expect(MONITORING_DEFAULTS).toMatchObject({
      sampleIntervalMs: 10_000,
      retention: { rawMs: 86_400_000, downsampledMs: 604_800_000 },
    });
  });

  it('reads durations in every accepted form', () => {
    expect(
      read({
        sampleInterval: '15s',
        sampleConcurrency: 4,
        retention: { raw: 'PT12H', downsampled: '14d', errors: 3_600_000 },
        health: { timeout: '1s', startPeriod: '1m', history: 5 },
      }),
    ).toEqual({
      sampleIntervalMs: 15_000,
      sampleConcurrency: 4,
      retention: {
        rawMs: 43_200_000,
        downsampledMs: 1_209_600_000,
        errorsMs: 3_600_000,
      },
      health: { timeoutMs: 1_000, startPeriodMs: 60_000, historySize: 5 },
    });
  });

  it.each([
    [{ sampleInterval: 'often' }, 'runner.monitoring.sampleInterval'],
    [{ sampleInterval: '100ms' }, 'runner.monitoring.sampleInterval'],
    [{ sampleConcurrency: 0 }, 'runner.monitoring.sampleConcurrency'],
    [{ sampleConcurrency: 'many' }, 'runner.monitoring.sampleConcurrency'],
    [{ retention: { raw: '1m' } }, 'runner.monitoring.retention.raw'],
    [
      { retention: { raw: '2d', downsampled: '1d' } },
      'runner.monitoring.retention.downsampled',
    ],
    [{ retention: { errors: -5 } }, 'runner.monitoring.retention.errors'],
    [{ health: { timeout: '1m' } }, 'runner.monitoring.health.timeout'],
    [{ health: { history: 2.5 } }, 'runner.monitoring.health.history'],
  ])('refuses %j, naming %s', (monitoring, key) => {
    expect(() => read(monitoring)).toThrow(`'${key}'`);
  });
});
