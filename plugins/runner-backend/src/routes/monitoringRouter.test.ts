import request from 'supertest';
import type { Knex } from 'knex';
import {
  startMonitoringBackend,
  type MonitoringTestBackend,
} from '../monitoring/__testUtils__/monitoringBackend';

jest.setTimeout(60_000);

const HELLO = '00000000-0000-4000-8000-000000000001';
const SECRET = '00000000-0000-4000-8000-000000000002';
const MISSING = '00000000-0000-4000-8000-0000000000ff';
// A whole hour two to three hours ago: inside raw retention whenever the test runs.
const HOUR = 3_600_000;
const T0 = Math.floor((Date.now() - 2 * HOUR) / HOUR) * HOUR;

async function seed(knex: Knex) {
  await knex('instances').insert([
    {
      id: HELLO,
      entity_ref: 'component:default/hello-http',
      state: 'failed',
      exit_code: 137,
      oom_killed: true,
    },
    {
      id: SECRET,
      entity_ref: 'component:default/secret-service',
      state: 'stopped',
      oom_killed: false,
    },
  ]);
  // Ten minutes of 10-s samples.
  await knex('metric_samples').insert(
    Array.from({ length: 60 }, (_, i) => ({
      instance_id: HELLO,
      at: T0 + i * 10_000,
      cpu: i === 0 ? null : i / 100,
      memory: 1000 + i,
      memory_limit: 4096,
      net_rx: i,
      net_tx: i,
      blk_read: 0,
      blk_write: 0,
      pids: 2,
    })),
  );
}

const metricsUrl = (id: string, query: string) =>
  `/api/runner/instances/${id}/metrics?${query}`;
const iso = (ms: number) => new Date(ms).toISOString();

describe('monitoring routes', () => {
  let backend: MonitoringTestBackend;
  beforeAll(async () => {
    backend = await startMonitoringBackend({
      deny: ['component:default/secret-service'],
      seed,
    });
  });

  it('returns min/avg/max per bucket for a range, audited as a low-severity read', async () => {
    const res = await request(backend.server).get(
      metricsUrl(HELLO, `from=${iso(T0)}&to=${T0 + 600_000 - 1}&step=1m`),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      instanceId: HELLO,
      stepMs: 60_000,
      source: 'raw',
    });
    expect(res.body.timestamps).toHaveLength(10);
    expect(res.body.timestamps[0]).toBe(T0);
    const cpu = res.body.series.find((s: any) => s.name === 'cpuRatio');
    expect(cpu.unit).toBe('ratio');
    // First minute: samples 0..5, CPU missing on the first.
    expect(cpu.min[0]).toBeCloseTo(0.01);
    expect(cpu.max[0]).toBeCloseTo(0.05);
    expect(cpu.avg[0]).toBeCloseTo(0.03);
    const memory = res.body.series.find(
      (s: any) => s.name === 'memoryWorkingSetBytes',
    );
    expect(memory.avg[9]).toBeCloseTo(1056.5);

    expect(backend.audits.at(-1)).toMatchObject({
      eventId: 'instance-read',
      severityLevel: 'low',
      meta: { instanceId: HELLO, queryType: 'metrics' },
    });
  });

  it('widens a step that would give more than ~600 points', async () => {
    const res = await request(backend.server).get(
      metricsUrl(HELLO, `from=${T0 - 86_400_000}&to=${T0 + 600_000}&step=1s`),
    );
    expect(res.status).toBe(200);
    expect(res.body.stepMs).toBeGreaterThanOrEqual(86_400_000 / 600);
  });

  it.each([
    ['from after to', `from=${iso(T0 + 1000)}&to=${iso(T0)}`, 'from'],
    ['an unparseable from', 'from=yesterday', 'from'],
    ['an unparseable to', `to=2026-13-45T99:00:00Z`, 'to'],
    ['a time of day without a zone', 'from=2026-11-25T10:00:00', 'from'],
    ['a zero step', 'step=0', 'step'],
    ['a step of 2 days', 'step=2d', 'step'],
    ['a step that is not a duration', 'step=fast', 'step'],
    ['a range of 40 days', `from=${T0 - 40 * 86_400_000}&to=${T0}`, 'from'],
    ['an unknown parameter', 'form=1', 'form'],
    ['a repeated parameter', `to=${T0}&to=${T0 + 1}`, 'to'],
  ])(
    'answers %s with a 400 naming the parameter',
    async (_what, query, param) => {
      const res = await request(backend.server).get(metricsUrl(HELLO, query));
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toContain(param);
    },
  );

  it('answers a missing instance with 404, a bad id with 400, and an entity the caller may not read with 403', async () => {
    expect(
      (await request(backend.server).get(metricsUrl(MISSING, ''))).status,
    ).toBe(404);
    const bad = await request(backend.server).get(
      '/api/runner/instances/nope/metrics',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('instance id');
    const denied = await request(backend.server).get(metricsUrl(SECRET, ''));
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toContain('runner.instance.read');
    const deniedHealth = await request(backend.server).get(
      `/api/runner/instances/${SECRET}/health`,
    );
    expect(deniedHealth.status).toBe(403);
  });

  it('reports the health of a failed instance as failed (not stopped), with its OOM kill', async () => {
    const res = await request(backend.server).get(
      `/api/runner/instances/${HELLO}/health`,
    );
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({
      instanceId: HELLO,
      entityRef: 'component:default/hello-http',
      instanceState: 'failed',
      status: 'failed',
      source: 'state',
      oomKilled: true,
      oomKills: 1,
      exitCode: 137,
      restartCount: 0,
    });
    expect(res.body.checks).toHaveLength(1);
    // Checks accumulate up to the configured history (3 here).
    for (let i = 0; i < 4; i++)
      await request(backend.server).get(
        `/api/runner/instances/${HELLO}/health`,
      );
    const later = await request(backend.server).get(
      `/api/runner/instances/${HELLO}/health`,
    );
    expect(later.body.checks).toHaveLength(3);
    expect(backend.audits.at(-1)).toMatchObject({
      meta: { queryType: 'health' },
      severityLevel: 'low',
    });

    const extra = await request(backend.server).get(
      `/api/runner/instances/${HELLO}/health?verbose=1`,
    );
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toContain('verbose');
  });

  it('serves Prometheus text at /metrics', async () => {
    const res = await request(backend.server).get('/api/runner/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(
      'text/plain; version=0.0.4; charset=utf-8',
    );
    expect(res.text).toContain('# TYPE runner_instances gauge\n');
    expect(res.text).toContain('runner_instances{state="failed"} 1\n');
    expect(res.text).toContain('runner_instances{state="running"} 0\n');
    expect(res.text).toContain('# TYPE runner_builds_total counter\n');
  });
});
