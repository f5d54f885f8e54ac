/*
 * The database half of yarn bench:monitoring: a synthetic day of 10-second
 * samples for a set of instances, stored through MetricsStore.insert in the
 * order sampling rounds write them, rolled up like MonitoringRetention does,
 * then measured: bytes on disk per instance-day (raw and downsampled) and
 * the latency of MetricsStore.query over random ranges of that day.
 *
 * Runs on a file-backed temporary SQLite database and, when asked, on a
 * throwaway PostgreSQL database; both are removed by the caller's Cleanup.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import knexFactory, { type Knex } from 'knex';
import type { MetricSample } from '@internal/plugin-runner-common';
import { migrateToLatest } from '../src/database/migrations';
import { MONITORING_DEFAULTS } from '../src/monitoring/config';
import { MetricsStore } from '../src/monitoring/MetricsStore';
import { MAX_POINTS } from '../src/monitoring/metricsQuery';
import { type Cleanup, seededRandom } from './benchSupport';
import { median, percentile } from './util';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const INTERVAL_MS = 10_000;
const ROUNDS_PER_DAY = DAY / INTERVAL_MS; // 8640
/** Midnight UTC, so 5-minute buckets line up with the day. */
const T0 = Date.UTC(2026, 10, 20);

export interface BenchDatabase {
  /** e.g. `SQLite 3.50.2` or `PostgreSQL 15.18`. */
  label: string;
  knex: Knex;
  /** How tableBytes measures. */
  sizeMethod: string;
  /** Bytes a table takes with its indexes (whole pages, as on disk). */
  tableBytes(table: string): Promise<number>;
  /** The same, per part (table, each index), when the engine tells. */
  breakdown(table: string): Promise<Record<string, number>>;
}

/** A file-backed SQLite database in `dir`; the file goes with `dir`. */
export async function openSqliteFile(
  dir: string,
  cleanup: Cleanup,
): Promise<BenchDatabase> {
  const filename = path.join(dir, 'history.sqlite');
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename },
    useNullAsDefault: true,
  });
  cleanup.add('SQLite history database', async () => {
    await knex.destroy();
    fs.rmSync(filename, { force: true });
  });
  const [{ v }] = await knex.raw('SELECT sqlite_version() AS v');
  let hasDbstat = true;
  try {
    await knex.raw('SELECT COUNT(*) FROM dbstat');
  } catch {
    hasDbstat = false;
  }
  return {
    label: `SQLite ${v}`,
    knex,
    sizeMethod: hasDbstat
      ? 'dbstat: pages of the table and its indexes'
      : 'page_count × page_size of the whole file (no dbstat in this build)',
    async tableBytes(table) {
      if (hasDbstat) {
        const [{ bytes }] = await knex.raw(
          `SELECT COALESCE(SUM(pgsize), 0) AS bytes FROM dbstat
           WHERE name IN (SELECT name FROM sqlite_schema WHERE tbl_name = ?)`,
          [table],
        );
        return Number(bytes);
      }
      // Deltas of the whole file: callers measure one table's growth at a time.
      const [{ page_count: pages }] = await knex.raw('PRAGMA page_count');
      const [{ page_size: size }] = await knex.raw('PRAGMA page_size');
      return Number(pages) * Number(size);
    },
    async breakdown(table) {
      if (!hasDbstat) return {};
      const rows: { name: string; bytes: number }[] = await knex.raw(
        `SELECT name, SUM(pgsize) AS bytes FROM dbstat
         WHERE name IN (SELECT name FROM sqlite_schema WHERE tbl_name = ?)
         GROUP BY name ORDER BY name`,
        [table],
      );
      return Object.fromEntries(rows.map(r => [r.name, Number(r.bytes)]));
    },
  };
}

/**
 * A throwaway database `name` next to the one `connectionString` names
 * (created with knex, dropped by the cleanup even when the run fails).
 */
export async function openPostgres(
  connectionString: string,
  name: string,
  cleanup: Cleanup,
): Promise<BenchDatabase> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name))
    throw new Error(`bad database name ${name}`);
  const adminUrl = new URL(connectionString);
  if (adminUrl.pathname === '' || adminUrl.pathname === '/')
    adminUrl.pathname = '/postgres';
  const admin = knexFactory({
    client: 'pg',
    connection: adminUrl.toString(),
    pool: { min: 0, max: 1 },
  });
  const url = new URL(adminUrl.toString());
  url.pathname = `/${name}`;
  // knex connects on the first query, after the database exists.
  const knex = knexFactory({ client: 'pg', connection: url.toString() });
  cleanup.add(`PostgreSQL database ${name}`, async () => {
    await knex.destroy();
    await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
    await admin.destroy();
  });
  await admin.raw('CREATE DATABASE ??', [name]);
  const [{ server_version: version }] = (await knex.raw('SHOW server_version'))
    .rows;
  return {
    label: `PostgreSQL ${String(version).split(' ')[0]}`,
    knex,
    sizeMethod: 'pg_total_relation_size (heap, indexes, TOAST, free space map)',
    async tableBytes(table) {
      const { rows } = await knex.raw(
        'SELECT pg_total_relation_size(?::regclass) AS bytes',
        [table],
      );
      return Number(rows[0].bytes);
    },
    async breakdown(table) {
      const { rows } = await knex.raw(
        `SELECT c.relname AS name, pg_total_relation_size(c.oid) AS bytes
         FROM pg_class c WHERE c.oid = ?::regclass
         UNION ALL
         SELECT i.relname, pg_relation_size(i.oid)
         FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
         WHERE x.indrelid = ?::regclass
         ORDER BY name`,
        [table, table],
      );
      const parts: Record<string, number> = Object.fromEntries(
        rows.map((r: { name: string; bytes: string }) => [
          r.name,
          Number(r.bytes),
        ]),
      );
      // The table's own line: heap, TOAST and maps, without its indexes.
      const indexes = Object.entries(parts)
        .filter(([part]) => part !== table)
        .reduce((a, [, b]) => a + b, 0);
      parts[table] -= indexes;
      return parts;
    },
  };
}

/** One instance's sample of round `i`: plausible magnitudes, so integers take their real width. */
function sampleOf(
  instanceId: string,
  k: number,
  i: number,
  random: () => number,
): MetricSample {
  return {
    instanceId,
    at: new Date(T0 + i * INTERVAL_MS + k).toISOString(),
    // A container's first sample has no CPU value.
    cpuRatio: i === 0 ? undefined : random() * 0.5,
    memoryWorkingSetBytes: Math.round(30e6 + random() * 20e6),
    memoryLimitBytes: 256 * 1024 * 1024,
    networkRxBytes: i * 1_500 + Math.round(random() * 1_000),
    networkTxBytes: i * 300 + Math.round(random() * 200),
    blockReadBytes: 4096 * Math.floor(i / 10),
    blockWriteBytes: 4096 * Math.floor(i / 30),
    pids: 3 + Math.floor(random() * 5),
  };
}

export interface QueryStats {
  queries: number;
  p50: number;
  p99: number;
  max: number;
  /** Median of the full 24-hour range, the widest scan. */
  fullDay: number;
  /** How the answers were sourced (raw, rollup, rollup+raw): counts. */
  sources: Record<string, number>;
  /** Most buckets in one answer. */
  maxPoints: number;
}

export interface HistoryResult {
  database: string;
  sizeMethod: string;
  instances: number;
  insertMs: number;
  rollupMs: number;
  rawRows: number;
  rollupRows: number;
  rawBytesPerInstanceDay: number;
  rollupBytesPerInstanceDay: number;
  /** Bytes per instance-day of each part (table, indexes) after the day. */
  rawParts: Record<string, number>;
  rollupParts: Record<string, number>;
  raw: QueryStats;
  rollup: QueryStats;
}

/** Random ranges inside the day: length log-uniform from 5 min to 24 h. */
function randomRanges(count: number): { from: Date; to: Date }[] {
  const random = seededRandom(42);
  const minLen = Math.log(5 * MINUTE);
  const maxLen = Math.log(DAY);
  return Array.from({ length: count }, () => {
    const len = Math.round(Math.exp(minLen + random() * (maxLen - minLen)));
    const from = T0 + Math.floor(random() * (DAY - len));
    return { from: new Date(from), to: new Date(from + len) };
  });
}

async function timeQueries(
  store: MetricsStore,
  instanceId: string,
  now: Date,
  ranges: { from: Date; to: Date }[],
): Promise<QueryStats> {
  const fullDay = { from: new Date(T0), to: new Date(T0 + DAY - 1) };
  // Warm-up: connection pool, statement caches, pages.
  for (const range of ranges.slice(0, 10)) {
    await store.query(instanceId, { ...range, now });
  }
  const times: number[] = [];
  const sources: Record<string, number> = {};
  let maxPoints = 0;
  for (const range of ranges) {
    const t0 = performance.now();
    const result = await store.query(instanceId, { ...range, now });
    times.push(performance.now() - t0);
    sources[result.source] = (sources[result.source] ?? 0) + 1;
    maxPoints = Math.max(maxPoints, result.timestamps.length);
  }
  const fullDayTimes: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    const result = await store.query(instanceId, { ...fullDay, now });
    fullDayTimes.push(performance.now() - t0);
    maxPoints = Math.max(maxPoints, result.timestamps.length);
  }
  if (maxPoints > MAX_POINTS)
    throw new Error(`a query answered ${maxPoints} buckets`);
  return {
    queries: ranges.length,
    p50: median(times),
    p99: percentile(times, 99),
    max: Math.max(...times),
    fullDay: median(fullDayTimes),
    sources,
    maxPoints,
  };
}

/**
 * Fills `db` with one day of samples of `instances` instances (rounds in
 * time order, every instance per round, as the sampler writes them), rolls
 * the day up, measures the tables and times `queries` queries of instance 0.
 */
export async function benchHistory(
  db: BenchDatabase,
  options: { instances: number; queries: number },
): Promise<HistoryResult> {
  const { knex } = db;
  await migrateToLatest(knex);
  const store = new MetricsStore(knex, {
    rawRetentionMs: MONITORING_DEFAULTS.retention.rawMs,
  });
  const ids = Array.from({ length: options.instances }, () => randomUUID());
  await knex('instances').insert(
    ids.map((id, k) => ({
      id,
      entity_ref: `component:default/bench-history-${k}`,
      state: 'running',
    })),
  );

  const rawBefore = await db.tableBytes('metric_samples');
  const random = seededRandom(7);
  const insertStart = performance.now();
  // One hour of rounds per call; MetricsStore.insert splits it into statements.
  const roundsPerHour = HOUR / INTERVAL_MS;
  for (let hour = 0; hour < 24; hour++) {
    const samples: MetricSample[] = [];
    for (let r = 0; r < roundsPerHour; r++) {
      const i = hour * roundsPerHour + r;
      ids.forEach((id, k) => samples.push(sampleOf(id, k, i, random)));
    }
    await store.insert(samples);
  }
  const insertMs = performance.now() - insertStart;
  const rawAfter = await db.tableBytes('metric_samples');
  const [{ n: rawRows }] = await knex('metric_samples').count({ n: '*' });

  const rollupBefore = await db.tableBytes('metric_rollups');
  const rollupStart = performance.now();
  // Like MonitoringRetention.rollup a minute after the day ended: every bucket.
  const report = await store.rollup(new Date(T0 + DAY + 2 * MINUTE));
  const rollupMs = performance.now() - rollupStart;
  const rollupAfter = await db.tableBytes('metric_rollups');
  const expectedRollups = (options.instances * DAY) / (5 * MINUTE);
  if (report.rows !== expectedRollups)
    throw new Error(
      `rollup wrote ${report.rows} rows, expected ${expectedRollups}`,
    );
  if (Number(rawRows) !== options.instances * ROUNDS_PER_DAY)
    throw new Error(`stored ${rawRows} raw rows`);

  const perInstance = (parts: Record<string, number>) =>
    Object.fromEntries(
      Object.entries(parts).map(([name, bytes]) => [
        name,
        bytes / options.instances,
      ]),
    );
  const rawParts = perInstance(await db.breakdown('metric_samples'));
  const rollupParts = perInstance(await db.breakdown('metric_rollups'));

  const ranges = randomRanges(options.queries);
  // Within raw retention: answered from metric_samples.
  const raw = await timeQueries(store, ids[0], new Date(T0 + DAY), ranges);
  // A day later the same ranges come from the rollups.
  const rollup = await timeQueries(
    store,
    ids[0],
    new Date(T0 + 2 * DAY),
    ranges,
  );
  return {
    database: db.label,
    sizeMethod: db.sizeMethod,
    instances: options.instances,
    insertMs,
    rollupMs,
    rawRows: Number(rawRows),
    rollupRows: report.rows,
    rawBytesPerInstanceDay: (rawAfter - rawBefore) / options.instances,
    rollupBytesPerInstanceDay: (rollupAfter - rollupBefore) / options.instances,
    rawParts,
    rollupParts,
    raw,
    rollup,
  };
}
