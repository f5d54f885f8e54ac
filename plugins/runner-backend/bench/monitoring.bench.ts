/*
 * yarn bench:monitoring — the cost of the runner's monitoring, on the real
 * engine and databases:
 *
 *  1. one sampling round over 20 running containers: MetricsSampler.sampleOnce()
 *     (concurrent one-shot stats through DockerEngine) vs a sequential
 *     baseline of plain `container.stats({ stream: false })`, alternated;
 *  2. backend CPU per sampled container (process.cpuUsage over N rounds);
 *  3. MetricsStore.query latency over a day of 10-s samples, raw and rollup
 *     paths, on SQLite and (when configured) PostgreSQL;
 *  4. backend RSS while sampling the 20 containers every second for
 *     BENCH_SAMPLING_SECONDS (default 120; the issue's target is 600);
 *  5. database bytes per instance-day, raw and downsampled.
 *
 * The containers are busybox `sleep 3600` with the runner's hardened create
 * body (small limits, no published port), labelled
 * runner.backstage.io/bench=monitoring-<run id> and not `managed`, so no
 * runner backend adopts them. Instance rows live in an in-memory SQLite
 * store, so the sampler finds them as in plugin.ts. Everything created is
 * removed at the end, on failure, and on SIGINT/SIGTERM.
 *
 * Environment: DOCKER_HOST; BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
 * (optional); BENCH_ROUNDS (3), BENCH_CPU_ROUNDS (20),
 * BENCH_SAMPLING_SECONDS (120), BENCH_QUERIES (200), BENCH_HISTORY_INSTANCES (20).
 */
import { BUILT_IN_LOG_ROTATION } from '../src/config/diskSettings';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import Docker from 'dockerode';
import knexFactory from 'knex';
import { ConfigReader } from '@backstage/config';
import { migrateToLatest } from '../src/database/migrations';
import { DockerEngine, dockerOptionsFor } from '../src/docker/DockerEngine';
import { hardenedCreateOptions } from '../src/docker/hardening';
import { DatabaseInstanceStore } from '../src/instances/DatabaseInstanceStore';
import { MetricsSampler } from '../src/monitoring/MetricsSampler';
import { MetricsStore } from '../src/monitoring/MetricsStore';
import {
  MONITORING_DEFAULTS,
  readMonitoringConfig,
} from '../src/monitoring/config';
import {
  benchHistory,
  openPostgres,
  openSqliteFile,
  type BenchDatabase,
  type HistoryResult,
} from './metricsHistory';
import { Cleanup, envInt } from './benchSupport';
import { median, quietLogger } from './util';

const CONTAINERS = 20;
const ROUNDS = envInt('BENCH_ROUNDS', 3, 20);
const CPU_ROUNDS = envInt('BENCH_CPU_ROUNDS', 20, 600);
const SAMPLING_SECONDS = envInt('BENCH_SAMPLING_SECONDS', 120, 3_600);
const QUERIES = envInt('BENCH_QUERIES', 200, 10_000);
const HISTORY_INSTANCES = envInt('BENCH_HISTORY_INSTANCES', 20, 200);
const PG_URL = process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
const IMAGE = 'busybox:latest';
const BENCH_LABEL = 'runner.backstage.io/bench';
const MB = 1024 * 1024;

const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
const labelValue = `monitoring-${runId}`;

const mb = (n: number) => (n / MB).toFixed(1);
const kb = (n: number) => (n / 1024).toFixed(0);
const ms = (n: number) => n.toFixed(n < 10 ? 1 : 0);
const signedMb = (n: number) => `${n < 0 ? '−' : '+'}${mb(Math.abs(n))}`;

/**
 * CPU time (ms) of the local engine's processes (dockerd, containerd and
 * the shims, which read the cgroups), from /proc; undefined when they are
 * not visible (remote or rootless engine). Approximate: processes that
 * exit in between are not counted, other work on the engine is.
 */
function engineCpuMs(): number | undefined {
  let ticks = 0;
  let found = false;
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc').filter(e => /^\d+$/.test(e));
  } catch {
    return undefined;
  }
  for (const pid of entries) {
    try {
      const comm = fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      if (!['dockerd', 'containerd', 'containerd-shim'].includes(comm))
        continue;
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after "(comm) ": state is field 3, utime 14, stime 15.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
      found = true;
    } catch {
      // exited meanwhile
    }
  }
  // USER_HZ is 100 on Linux.
  return found ? ticks * 10 : undefined;
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function gc() {
  if (global.gc) global.gc();
  else console.error('run with --expose-gc for stable idle numbers');
}

/** Least-squares slope of y over x. */
function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

async function removeBenchContainers(docker: Docker): Promise<number> {
  const containers = await docker.listContainers({
    all: true,
    filters: { label: [`${BENCH_LABEL}=${labelValue}`] },
  });
  await Promise.all(
    containers.map(c =>
      docker
        .getContainer(c.Id)
        .remove({ force: true, v: true })
        .catch(error =>
          console.error(`could not remove container ${c.Id}: ${error}`),
        ),
    ),
  );
  return containers.length;
}

/** Starts a busybox `sleep 3600` with the runner's create body and a running instance row for it. */
async function startContainer(
  docker: Docker,
  store: DatabaseInstanceStore,
  i: number,
): Promise<string> {
  const body = hardenedCreateOptions(
    {
      image: IMAGE,
      name: `runner-bench-${labelValue}-${i}`,
      labels: {},
      env: {},
      ports: [],
      limits: {
        memoryBytes: 16 * MB,
        nanoCpus: 100_000_000,
        pidsLimit: 16,
      },
      readOnlyRootfs: false,
      securityOptions: [],
      logRotation: BUILT_IN_LOG_ROTATION,
    },
    [],
  );
  const container = await docker.createContainer({
    ...body,
    Cmd: ['sleep', '3600'],
    // Not runner-managed: no backend on this engine may adopt or reap it.
    Labels: { [BENCH_LABEL]: labelValue },
  });
  await container.start();
  const id = randomUUID();
  await store.create({
    id,
    entityRef: `component:default/bench-monitoring-${i}`,
    maxActive: 1,
  });
  await store.transition(id, ['pending'], 'starting');
  const running = await store.transition(id, ['starting'], 'running', {
    containerId: container.id,
    startedAt: new Date(),
  });
  if (!running) throw new Error(`instance ${id} did not reach running`);
  return container.id;
}

interface Results {
  rounds: { plugin: number[]; plugin8: number[]; sequential: number[] };
  plainPerCall: number[];
  oneShotPerCall: number[];
  /** Rounds that stored fewer samples than there are containers. */
  samplesShort: number;
  cpu: { rounds: number; ms: number; idleMsPerS: number; wallMs: number };
  engineCpuMsPerSample?: number;
  memory?: {
    seconds: number;
    rounds: number;
    warmupS: number;
    idleRss: number;
    idleHeap: number;
    /** V8's reserved heap: what the heap keeps of RSS. */
    idleHeapTotal: number;
    endHeapTotal: number;
    min: number;
    maxAfterWarmup: number;
    afterWarmup: number;
    end: number;
    max: number;
    slopeMbPerMin: number;
    endHeapAfterGc: number;
    sqliteSamplesBytes: number;
  };
  history: HistoryResult[];
}

interface RssPoint {
  t: number;
  rss: number;
}

/** Everything it creates is registered with `cleanup`, which the caller runs. */
async function measure(cleanup: Cleanup) {
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runner-bench-mon-'));
  cleanup.add('temporary directory', async () =>
    fs.rmSync(tmpDir, { recursive: true, force: true }),
  );

  const engine = new DockerEngine({ connectionTimeoutMs: 10_000 });
  const health = await engine.health();
  if (!health.reachable) throw new Error(`Docker: ${health.reason}`);
  const docker = new Docker(dockerOptionsFor(engine.endpoint, 60_000));
  await docker
    .getImage(IMAGE)
    .inspect()
    .catch(() => {
      throw new Error(
        `${IMAGE} is not on the engine; scripts/bootstrap.sh loads it (the benchmark pulls nothing)`,
      );
    });
  const otherContainers = (await docker.listContainers()).length;
  const loadBefore = os.loadavg()[0];

  const results: Results = {
    rounds: { plugin: [], plugin8: [], sequential: [] },
    plainPerCall: [],
    oneShotPerCall: [],
    samplesShort: 0,
    cpu: { rounds: CPU_ROUNDS, ms: 0, idleMsPerS: 0, wallMs: 0 },
    history: [],
  };

  try {
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
    cleanup.add('in-memory store', () => knex.destroy());
    await migrateToLatest(knex);
    const store = new DatabaseInstanceStore(knex);
    const monitoring = readMonitoringConfig(
      new ConfigReader({
        runner: { monitoring: { sampleConcurrency: CONTAINERS } },
      }),
    );
    const metrics = new MetricsStore(knex, {
      rawRetentionMs: monitoring.retention.rawMs,
    });
    const sampler = new MetricsSampler({
      instances: store,
      docker: engine,
      store: metrics,
      logger: quietLogger,
      concurrency: monitoring.sampleConcurrency,
    });
    const sampler8 = new MetricsSampler({
      instances: store,
      docker: engine,
      store: metrics,
      logger: quietLogger,
      concurrency: MONITORING_DEFAULTS.sampleConcurrency,
    });
    const round = async (s: MetricsSampler) => {
      const t0 = performance.now();
      const r = await s.sampleOnce();
      const wall = performance.now() - t0;
      if (r.sampled !== CONTAINERS) results.samplesShort++;
      return wall;
    };

    cleanup.add('containers', () => removeBenchContainers(docker));
    const containerIds: string[] = [];
    for (let i = 0; i < CONTAINERS; i++) {
      containerIds.push(await startContainer(docker, store, i));
    }

    // 4. Memory first, so that the baseline's client and buffers are not in it.
    //    Idle: collected twice and left alone, so that start-up garbage
    //    (module loading, transpiling) is not counted as idle.
    gc();
    await sleep(3_000);
    gc();
    await sleep(2_000);
    const idle = process.memoryUsage();
    const points: RssPoint[] = [];
    const memStart = performance.now();
    const deadline = memStart + SAMPLING_SECONDS * 1_000;
    let memRounds = 0;
    for (let i = 0; i < SAMPLING_SECONDS * 2 + 10; i++) {
      const t = performance.now();
      if (t >= deadline) break;
      await round(sampler);
      memRounds++;
      points.push({
        t: (performance.now() - memStart) / 1000,
        rss: process.memoryUsage().rss,
      });
      const wait = t + 1_000 - performance.now();
      if (wait > 0) await sleep(wait);
    }
    const warmupS = Math.min(60, SAMPLING_SECONDS * 0.2);
    const afterWarmup = points.filter(
      p => p.t >= warmupS && p.t < warmupS + 10,
    );
    const last = points.filter(p => p.t >= points[points.length - 1].t - 10);
    const steady = points.filter(p => p.t >= warmupS);
    const endUsage = process.memoryUsage();
    const [{ bytes: sqliteSamplesBytes }] = await knex.raw(
      `SELECT COALESCE(SUM(pgsize), 0) AS bytes FROM dbstat
       WHERE name IN (SELECT name FROM sqlite_schema WHERE tbl_name = 'metric_samples')`,
    );
    gc();
    results.memory = {
      seconds: SAMPLING_SECONDS,
      rounds: memRounds,
      warmupS,
      idleRss: idle.rss,
      idleHeap: idle.heapUsed,
      idleHeapTotal: idle.heapTotal,
      endHeapTotal: endUsage.heapTotal,
      min: Math.min(...points.map(p => p.rss)),
      maxAfterWarmup: Math.max(...steady.map(p => p.rss)),
      afterWarmup: median(afterWarmup.map(p => p.rss)),
      end: median(last.map(p => p.rss)),
      max: Math.max(...points.map(p => p.rss)),
      slopeMbPerMin:
        slope(steady.map(p => ({ x: p.t / 60, y: p.rss / MB }))) || 0,
      endHeapAfterGc: process.memoryUsage().heapUsed,
      sqliteSamplesBytes: Number(sqliteSamplesBytes),
    };

    // 2. CPU: an idle second for reference, then N rounds back to back.
    const idle0 = cpuMs();
    const idleT0 = performance.now();
    await sleep(2_000);
    results.cpu.idleMsPerS =
      (cpuMs() - idle0) / ((performance.now() - idleT0) / 1000);
    const cpu0 = cpuMs();
    const engine0 = engineCpuMs();
    const wall0 = performance.now();
    for (let i = 0; i < CPU_ROUNDS; i++) await round(sampler);
    results.cpu.wallMs = performance.now() - wall0;
    results.cpu.ms = cpuMs() - cpu0;
    const engine1 = engineCpuMs();
    if (engine0 !== undefined && engine1 !== undefined)
      results.engineCpuMsPerSample =
        (engine1 - engine0) / (CPU_ROUNDS * CONTAINERS);

    // 1. One round: the plugin (concurrency 20 and the default 8) vs
    //    sequential plain stats; the order flips every round.
    const sequential = async () => {
      const t0 = performance.now();
      for (const id of containerIds) {
        const c0 = performance.now();
        await docker.getContainer(id).stats({ stream: false });
        results.plainPerCall.push(performance.now() - c0);
      }
      return performance.now() - t0;
    };
    for (let r = 0; r < ROUNDS; r++) {
      const steps: (() => Promise<void>)[] = [
        async () => {
          results.rounds.plugin.push(await round(sampler));
        },
        async () => {
          results.rounds.plugin8.push(await round(sampler8));
        },
        async () => {
          results.rounds.sequential.push(await sequential());
        },
      ];
      if (r % 2 === 1) steps.reverse();
      for (const step of steps) await step();
    }
    // A single one-shot read, for the per-container comparison.
    for (let i = 0; i < 5; i++) {
      const c0 = performance.now();
      await engine.statsOnce(containerIds[i]);
      results.oneShotPerCall.push(performance.now() - c0);
    }
  } finally {
    // Containers go first: the history part needs none.
    const removed = await removeBenchContainers(docker).catch(error => {
      console.error(`could not list bench containers: ${error}`);
      return 0;
    });
    if (removed !== CONTAINERS)
      console.error(`removed ${removed} bench containers`);
  }

  // 3 and 5: history on SQLite, and PostgreSQL when configured.
  const dbs: (() => Promise<BenchDatabase>)[] = [
    () => openSqliteFile(tmpDir, cleanup),
  ];
  if (PG_URL) {
    dbs.push(() => openPostgres(PG_URL, `runner_bench_mon_${runId}`, cleanup));
  }
  for (const open of dbs) {
    const db = await open();
    results.history.push(
      await benchHistory(db, {
        instances: HISTORY_INSTANCES,
        queries: QUERIES,
      }),
    );
  }
  return {
    results,
    context: {
      engineVersion: health.version ?? '?',
      otherContainers,
      load: `${loadBefore.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}`,
    },
  };
}

async function main() {
  const cleanup = new Cleanup();
  cleanup.onSignals();
  let measured: Awaited<ReturnType<typeof measure>>;
  try {
    measured = await measure(cleanup);
  } finally {
    await cleanup.runAll();
  }
  print(measured.results, measured.context);
}

function print(
  r: Results,
  context: { engineVersion: string; otherContainers: number; load: string },
) {
  const p = median(r.rounds.plugin);
  const p8 = median(r.rounds.plugin8);
  const s = median(r.rounds.sequential);
  const range = (v: number[]) => `${ms(Math.min(...v))}–${ms(Math.max(...v))}`;
  const perSample = r.cpu.ms / (r.cpu.rounds * CONTAINERS);
  const idlePerSample =
    (r.cpu.idleMsPerS * (r.cpu.wallMs / 1000)) / (r.cpu.rounds * CONTAINERS);
  const m = r.memory!;
  const lines = [
    `Docker engine ${context.engineVersion}, ${os.cpus().length} CPUs (${
      os.cpus()[0]?.model ?? '?'
    }), ${mb(os.totalmem())} MB RAM, Node ${process.version}; ${
      context.otherContainers
    } other running containers on the engine; 1-min load average ${
      context.load
    } (start → end); ${ROUNDS} alternated rounds`,
    '',
    '| measurement | plugin | baseline | ratio | target |',
    '|---|---|---|---|---|',
    `| one sampling round, ${CONTAINERS} containers, median (min–max) | sampleOnce, concurrency ${CONTAINERS}: ${ms(
      p,
    )} ms (${range(r.rounds.plugin)}) | sequential plain stats: ${ms(
      s,
    )} ms (${range(r.rounds.sequential)}) | ${(s / p).toFixed(
      1,
    )}× faster | ≤ 1500 ms, ≥ 20× |`,
    `| the same with the default sampleConcurrency 8 | ${ms(p8)} ms (${range(
      r.rounds.plugin8,
    )}) | ${ms(s)} ms | ${(s / p8).toFixed(1)}× faster | — |`,
    `| one stats read, median | one-shot ${ms(
      median(r.oneShotPerCall),
    )} ms | plain ${ms(median(r.plainPerCall))} ms | ${(
      median(r.plainPerCall) / median(r.oneShotPerCall)
    ).toFixed(2)} | — |`,
    `| backend CPU per sampled container (${
      r.cpu.rounds
    } rounds × ${CONTAINERS}) | ${perSample.toFixed(
      2,
    )} ms (idle process: ${idlePerSample.toFixed(2)} ms of it) | — | — | — |`,
    `| engine CPU per sampled container (dockerd + containerd + shims, approx.) | ${
      r.engineCpuMsPerSample === undefined
        ? 'not visible'
        : `${r.engineCpuMsPerSample.toFixed(1)} ms`
    } | — | — | — |`,
  ];
  for (const h of r.history) {
    const q = (x: HistoryResult['raw']) =>
      `p99 ${ms(x.p99)} ms (p50 ${ms(x.p50)}, max ${ms(x.max)}; full 24 h ${ms(
        x.fullDay,
      )})`;
    lines.push(
      `| metrics query, ${
        h.raw.queries
      } random ranges (5 min–24 h) of a day of 10-s samples, ${
        h.database
      }, raw | ${q(h.raw)} | — | — | p99 ≤ 50 ms |`,
      `| 〃 ${h.database}, after raw retention (rollups) | ${q(
        h.rollup,
      )} | — | — | p99 ≤ 50 ms |`,
    );
  }
  lines.push(
    `| backend RSS above idle, ${CONTAINERS} containers sampled every 1 s for ${
      m.seconds
    } s (${m.rounds} rounds) | max ${signedMb(
      m.max - m.idleRss,
    )} MB; end ${signedMb(m.end - m.idleRss)} MB (idle ${mb(
      m.idleRss,
    )} MB) | — | — | ≤ 50 MB |`,
    `| RSS drift after the ${m.warmupS.toFixed(0)}-s warm-up | ${mb(
      m.afterWarmup,
    )} → ${mb(m.end)} MB (${signedMb(
      m.end - m.afterWarmup,
    )} MB), max after warm-up ${mb(
      m.maxAfterWarmup,
    )} MB, slope ${m.slopeMbPerMin.toFixed(2)} MB/min; heap after GC ${mb(
      m.idleHeap,
    )} → ${mb(m.endHeapAfterGc)} MB | — | — | flat |`,
  );
  for (const h of r.history) {
    lines.push(
      `| database bytes per instance-day, ${h.database}, raw (${
        h.rawRows / h.instances
      } rows) | ${mb(h.rawBytesPerInstanceDay)} MB | — | — | ≤ 2 MB |`,
      `| 〃 ${h.database}, downsampled (${
        h.rollupRows / h.instances
      } rows) | ${kb(h.rollupBytesPerInstanceDay)} KB | — | — | ≤ 200 KB |`,
    );
  }
  lines.push('', 'Details:');
  lines.push(
    `- rounds (ms): plugin ${r.rounds.plugin
      .map(ms)
      .join(', ')}; default concurrency ${r.rounds.plugin8
      .map(ms)
      .join(', ')}; sequential ${r.rounds.sequential.map(ms).join(', ')}`,
    `- rounds with fewer than ${CONTAINERS} samples: ${r.samplesShort}`,
    `- CPU: ${ms(r.cpu.ms)} ms over ${ms(
      r.cpu.wallMs,
    )} ms of wall time; idle ${r.cpu.idleMsPerS.toFixed(1)} ms/s`,
    `- memory: idle RSS ${mb(m.idleRss)} MB, after warm-up ${mb(
      m.afterWarmup,
    )} MB, end ${mb(m.end)} MB, min ${mb(m.min)} MB, max ${mb(
      m.max,
    )} MB; V8 heap reserved (heapTotal) idle ${mb(
      m.idleHeapTotal,
    )} MB, end ${mb(
      m.endHeapTotal,
    )} MB; the in-memory SQLite metric_samples held ${mb(
      m.sqliteSamplesBytes,
    )} MB at the end`,
  );
  for (const h of r.history) {
    lines.push(
      `- ${h.database}: ${h.instances} instances × 1 day inserted in ${ms(
        h.insertMs,
      )} ms, rolled up in ${ms(h.rollupMs)} ms; sizes by ${
        h.sizeMethod
      }; answer sources raw path ${JSON.stringify(
        h.raw.sources,
      )}, rollup path ${JSON.stringify(h.rollup.sources)}; at most ${Math.max(
        h.raw.maxPoints,
        h.rollup.maxPoints,
      )} buckets`,
      `- ${h.database} bytes per instance-day by part: ${Object.entries({
        ...h.rawParts,
        ...h.rollupParts,
      })
        .map(([name, bytes]) => `${name} ${kb(bytes)} KB`)
        .join(', ')}`,
    );
  }
  console.log(lines.join('\n'));
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
