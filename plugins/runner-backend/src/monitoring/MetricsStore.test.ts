import type { Knex } from 'knex';
import type {
  InstanceMetrics,
  MetricSample,
} from '@internal/plugin-runner-common';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { migrateToLatest } from '../database/migrations';
import { ErrorStore } from '../errors/ErrorStore';
import { HealthCheckStore } from './HealthCheckStore';
import { MetricsStore } from './MetricsStore';
import { MonitoringRetention } from './MonitoringRetention';
import { MAX_POINTS } from './metricsQuery';

/*
 * Downsampling and retention on SQLite and PostgreSQL, with a synthetic day
 * of 10-second samples whose min/avg/max per bucket are computed here in
 * JavaScript and compared with what the database aggregated.
 */

jest.setTimeout(120_000);

const databases = createTestDatabases();

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 10, 20); // midnight, so buckets line up with the day
const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const retention = { rawMs: DAY, downsampledMs: 7 * DAY, errorsMs: 30 * DAY };

/** A day of samples every 10 s; CPU missing on the first, as after a start. */
function day(instanceId: string, seed: number): MetricSample[] {
  return Array.from({ length: 8640 }, (_, i) => ({
    instanceId,
    at: new Date(T0 + i * 10_000).toISOString(),
    cpuRatio: i === 0 ? undefined : ((i * 7 + seed) % 97) / 100,
    memoryWorkingSetBytes: 50e6 + ((i * 31 + seed) % 1000) * 4096,
    memoryLimitBytes: 256 * 1024 * 1024,
    networkRxBytes: i * 1500,
    networkTxBytes: i * 300,
    blockReadBytes: 4096 * Math.floor(i / 10),
    blockWriteBytes: 0,
    pids: 3 + (i % 5),
  }));
}

type Agg = { min: number; avg: number; max: number };

/** What the database must answer, computed the slow way. */
function expected(
  samples: MetricSample[],
  stepMs: number,
  pick: (s: MetricSample) => number | undefined,
): Map<number, Agg> {
  const buckets = new Map<number, number[]>();
  for (const s of samples) {
    const v = pick(s);
    if (v === undefined) continue;
    const b = Math.floor(Date.parse(s.at) / stepMs) * stepMs;
    buckets.set(b, [...(buckets.get(b) ?? []), v]);
  }
  return new Map(
    [...buckets].map(([b, vs]) => [
      b,
      {
        min: Math.min(...vs),
        max: Math.max(...vs),
        avg: vs.reduce((a, v) => a + v, 0) / vs.length,
      },
    ]),
  );
}

function expectSeriesToMatch(
  result: InstanceMetrics,
  name: string,
  want: Map<number, Agg>,
) {
  const series = result.series.find(s => s.name === name)!;
  expect(result.timestamps).toEqual([...want.keys()]);
  result.timestamps.forEach((t, i) => {
    const w = want.get(t)!;
    expect(series.min[i]).toBe(w.min);
    expect(series.max[i]).toBe(w.max);
    expect(Math.abs(series.avg[i]! - w.avg)).toBeLessThanOrEqual(
      1e-9 * Math.max(1, Math.abs(w.avg)),
    );
  });
}

async function seedInstances(knex: Knex) {
  await knex('instances').insert([
    { id: A, entity_ref: 'component:default/cpu-burner', state: 'running' },
    { id: B, entity_ref: 'component:default/hello-http', state: 'stopped' },
  ]);
}

describe.each(databases.eachSupportedId())(
  'metrics history on %s',
  databaseId => {
    let knex: Knex;
    let store: MetricsStore;
    const samplesA = day(A, 1);
    const samplesB = day(B, 5);

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      await migrateToLatest(knex);
      await seedInstances(knex);
      store = new MetricsStore(knex, { rawRetentionMs: retention.rawMs });
      await store.insert([...samplesA, ...samplesB]);
    });

    it('answers a day of 10-s samples with at most 600 buckets, min/avg/max computed by the database', async () => {
      const result = await store.query(A, {
        from: new Date(T0),
        to: new Date(T0 + DAY - 1),
        now: new Date(T0 + DAY),
      });
      expect(result.source).toBe('raw');
      expect(result.timestamps.length).toBeLessThanOrEqual(MAX_POINTS);
      expect(result.timestamps.length).toBeGreaterThan(500);
      expect(result.stepMs % 1000).toBe(0);
      expectSeriesToMatch(
        result,
        'cpuRatio',
        expected(samplesA, result.stepMs, s => s.cpuRatio),
      );
      expectSeriesToMatch(
        result,
        'memoryWorkingSetBytes',
        expected(samplesA, result.stepMs, s => s.memoryWorkingSetBytes),
      );
      expectSeriesToMatch(
        result,
        'pids',
        expected(samplesA, result.stepMs, s => s.pids),
      );
      expectSeriesToMatch(
        result,
        'networkRxBytes',
        expected(samplesA, result.stepMs, s => s.networkRxBytes),
      );
    });

    it('honours a coarser step and keeps other instances out', async () => {
      const result = await store.query(B, {
        from: new Date(T0 + 2 * HOUR),
        to: new Date(T0 + 3 * HOUR - 1),
        stepMs: 60_000,
        now: new Date(T0 + DAY),
      });
      expect(result.stepMs).toBe(60_000);
      const inRange = samplesB.filter(s => {
        const t = Date.parse(s.at);
        return t >= T0 + 2 * HOUR && t < T0 + 3 * HOUR;
      });
      expect(result.timestamps).toHaveLength(60);
      expectSeriesToMatch(
        result,
        'cpuRatio',
        expected(inRange, 60_000, s => s.cpuRatio),
      );
    });

    it('downsamples into 5-minute rollups idempotently, and answers old ranges from them', async () => {
      const step = 15 * 60_000;
      const range = {
        from: new Date(T0),
        to: new Date(T0 + DAY - 1),
        stepMs: step,
      };
      const fromRaw = await store.query(A, {
        ...range,
        now: new Date(T0 + DAY),
      });
      expect(fromRaw.source).toBe('raw');
      expect(fromRaw.timestamps).toHaveLength(96);

      const retentionJob = new MonitoringRetention({
        metrics: store,
        checks: new HealthCheckStore(knex, 5),
        errors: new ErrorStore(knex),
        retention,
      });
      const compare = (result: InstanceMetrics) => {
        expect(result.timestamps).toEqual(fromRaw.timestamps);
        for (const name of [
          'cpuRatio',
          'memoryWorkingSetBytes',
          'pids',
          'blockReadBytes',
        ]) {
          const a = fromRaw.series.find(s => s.name === name)!;
          const b = result.series.find(s => s.name === name)!;
          expect(b.min).toEqual(a.min);
          expect(b.max).toEqual(a.max);
          b.avg.forEach((v, i) =>
            expect(Math.abs(v! - a.avg[i]!)).toBeLessThanOrEqual(
              1e-9 * Math.max(1, Math.abs(a.avg[i]!)),
            ),
          );
        }
      };

      // Half a day downsampled (buckets end a minute of grace before "now").
      const half = await retentionJob.rollup(
        new Date(T0 + 12 * HOUR + 2 * 60_000),
      );
      expect(half.rows).toBe(2 * 144);
      const [row] = await knex('metric_rollups')
        .where({ instance_id: A, bucket_start: T0 })
        .select();
      const firstBucket = expected(
        samplesA,
        300_000,
        s => s.memoryWorkingSetBytes,
      ).get(T0)!;
      expect(Number(row.samples)).toBe(30);
      expect(Number(row.cpu_samples)).toBe(29);
      expect(Number(row.memory_min)).toBe(firstBucket.min);
      expect(Number(row.memory_max)).toBe(firstBucket.max);

      // A range older than the raw retention: rollups up to noon, raw samples after.
      const mixed = await store.query(A, {
        ...range,
        now: new Date(T0 + DAY + 12 * HOUR),
      });
      expect(mixed.source).toBe('rollup+raw');
      compare(mixed);

      // The rest of the day; running it again writes nothing new.
      const rest = await retentionJob.rollup(new Date(T0 + DAY + 2 * 60_000));
      expect(rest.rows).toBe(2 * 144);
      expect(
        (await retentionJob.rollup(new Date(T0 + DAY + 3 * 60_000))).rows,
      ).toBe(0);
      const [{ n }] = await knex('metric_rollups').count({ n: '*' });
      expect(Number(n)).toBe(2 * 288);

      // Twelve hours later the first half of the raw samples is gone, and the
      // same query is answered from rollups alone, with the same numbers.
      const later = new Date(T0 + DAY + 12 * HOUR);
      const report = await retentionJob.cleanup(later);
      expect(report.deleted.rawSamples).toBe(2 * 4320);
      const fromRollups = await store.query(A, { ...range, now: later });
      expect(fromRollups.source).toBe('rollup');
      compare(fromRollups);

      // A step finer than 5 minutes is widened to whole rollup buckets.
      const fine = await store.query(A, {
        ...range,
        stepMs: 10_000,
        now: later,
      });
      expect(fine.stepMs % 300_000).toBe(0);
      expect(fine.timestamps.length).toBeLessThanOrEqual(MAX_POINTS);

      // After the downsampled retention, nothing is left.
      const gone = await retentionJob.cleanup(new Date(T0 + 8 * DAY + HOUR));
      expect(gone.deleted.rollups).toBe(2 * 288);
      const [{ left }] = await knex('metric_samples').count({ left: '*' });
      expect(Number(left)).toBe(0);
      const empty = await store.query(A, {
        ...range,
        now: new Date(T0 + 8 * DAY),
      });
      expect(empty.timestamps).toEqual([]);
    });
  },
);

describe.each(databases.eachSupportedId())(
  'latest samples and instance counts on %s',
  databaseId => {
    it('reports the newest fresh sample of running instances only', async () => {
      const knex = await databases.init(databaseId);
      await migrateToLatest(knex);
      await seedInstances(knex);
      const store = new MetricsStore(knex, { rawRetentionMs: DAY });
      const now = Date.now();
      await store.insert([
        ...day(A, 1)
          .slice(0, 3)
          .map((s, i) => ({
            ...s,
            at: new Date(now - 30_000 + i * 10_000).toISOString(),
          })),
        ...day(B, 1)
          .slice(0, 3)
          .map((s, i) => ({
            ...s,
            at: new Date(now - 30_000 + i * 10_000).toISOString(),
          })),
      ]);
      // A sample of an instance removed meanwhile is dropped, not the round.
      const gone = '00000000-0000-4000-8000-0000000000ff';
      await store.insert([
        { ...day(gone, 1)[0], at: new Date(now).toISOString() },
        { ...day(B, 1)[5], at: new Date(now - 5_000).toISOString() },
      ]);
      const [{ n }] = await knex('metric_samples')
        .where('instance_id', B)
        .count({ n: '*' });
      expect(Number(n)).toBe(4);
      const latest = await store.latest(new Date(now - 60_000));
      expect(latest).toHaveLength(1); // B is stopped
      expect(latest[0]).toMatchObject({
        instanceId: A,
        entityRef: 'component:default/cpu-burner',
        at: new Date(now - 10_000).toISOString(),
        pids: 5,
      });
      expect(await store.latest(new Date(now))).toEqual([]);
      const counts = await store.countInstancesByState();
      expect(Object.fromEntries(counts)).toEqual({ running: 1, stopped: 1 });
    });
  },
);
