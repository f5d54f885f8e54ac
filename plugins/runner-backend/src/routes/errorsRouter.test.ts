import request from 'supertest';
import type { Knex } from 'knex';
import type { ErrorEvent } from '@internal/plugin-runner-common';
import { ErrorStore } from '../errors/ErrorStore';
import {
  startMonitoringBackend,
  type MonitoringTestBackend,
} from '../monitoring/__testUtils__/monitoringBackend';

jest.setTimeout(60_000);

const HELLO = '00000000-0000-4000-8000-000000000001';
const SECRET = '00000000-0000-4000-8000-000000000002';
const MISSING = '00000000-0000-4000-8000-0000000000ff';
const T0 = Date.UTC(2026, 10, 25, 10);

const failure = {
  category: 'container',
  code: 'CONTAINER_EXITED',
  severity: 'high',
  recoverable: false,
  origin: 'user',
  userMessage: 'The container exited with code 3.',
  remediation: 'Read the run log.',
  detail: 'container exited with code 3',
} as const;

/**
 * 10 events of hello-http's instance, then 25 of the secret service in a
 * row (more than the router scans per request), then 5 gateway failures of
 * cpu-burner; one event a minute.
 */
async function seed(knex: Knex) {
  await knex('instances').insert([
    {
      id: HELLO,
      entity_ref: 'component:default/hello-http',
      state: 'failed',
      oom_killed: false,
    },
    {
      id: SECRET,
      entity_ref: 'component:default/secret-service',
      state: 'failed',
      oom_killed: false,
    },
  ]);
  const store = new ErrorStore(knex);
  let minute = 0;
  const at = () => new Date(T0 + minute++ * 60_000);
  for (let i = 0; i < 10; i++) {
    await store.recordEvent({
      entityRef: 'component:default/hello-http',
      instanceId: HELLO,
      failure:
        i % 2 ? failure : { ...failure, category: 'oom', code: 'OOM_KILLED' },
      at: at(),
    });
  }
  for (let i = 0; i < 25; i++) {
    await store.recordEvent({
      entityRef: 'component:default/secret-service',
      instanceId: SECRET,
      failure,
      at: at(),
    });
  }
  for (let i = 0; i < 5; i++) {
    await store.recordEvent({
      entityRef: 'component:default/cpu-burner',
      resourceRef: 'HTTPRoute runner-examples/cpu-burner',
      failure: {
        ...failure,
        category: 'kubernetes',
        code: 'K8S_FORBIDDEN',
        severity: 'medium',
      },
      at: at(),
    });
  }
}

describe('error history routes', () => {
  let backend: MonitoringTestBackend;
  beforeAll(async () => {
    backend = await startMonitoringBackend({
      deny: ['component:default/secret-service'],
      seed,
    });
  });
  const get = (url: string) => request(backend.server).get(`/api/runner${url}`);

  it('lists the errors of one entity, newest first, in pages, audited as low-severity reads', async () => {
    const first = await get(
      '/errors?entityRef=component:default/hello-http&limit=4',
    );
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(4);
    expect(first.body.items[0]).toMatchObject({
      entityRef: 'component:default/hello-http',
      instanceId: HELLO,
      remediation: 'Read the run log.',
      at: new Date(T0 + 9 * 60_000).toISOString(),
    });
    expect(first.body.nextCursor).toBe(first.body.items[3].id);
    const pages: ErrorEvent[][] = [first.body.items];
    let cursor = first.body.nextCursor;
    while (cursor) {
      const next = await get(
        `/errors?entityRef=component:default/hello-http&limit=4&cursor=${cursor}`,
      );
      pages.push(next.body.items);
      cursor = next.body.nextCursor;
    }
    expect(pages.map(p => p.length)).toEqual([4, 4, 2]);
    expect(backend.audits.at(-1)).toMatchObject({
      eventId: 'error-read',
      severityLevel: 'low',
      meta: { entityRef: 'component:default/hello-http' },
    });
    // Kind in any case and the default namespace are accepted as in the catalog.
    const loose = await get('/errors?entityRef=Component:hello-http&limit=1');
    expect(loose.body.items[0].entityRef).toBe('component:default/hello-http');
  });

  it('filters by category, severity, code and time', async () => {
    const oom = await get('/errors?category=oom');
    expect(oom.body.items.map((e: ErrorEvent) => e.code)).toEqual(
      Array(5).fill('OOM_KILLED'),
    );
    const medium = await get('/errors?severity=medium&code=K8S_FORBIDDEN');
    expect(medium.body.items).toHaveLength(5);
    expect(medium.body.items[0].resourceRef).toBe(
      'HTTPRoute runner-examples/cpu-burner',
    );
    const window = await get(
      `/errors?from=${new Date(T0).toISOString()}&to=${T0 + 2 * 60_000}`,
    );
    expect(window.body.items.map((e: ErrorEvent) => e.at)).toEqual(
      [2, 1, 0].map(m => new Date(T0 + m * 60_000).toISOString()),
    );
  });

  it('leaves out entities the caller may not read when no entityRef is given, each entity authorized once', async () => {
    backend.authorized.length = 0;
    const seen: ErrorEvent[] = [];
    const sizes: number[] = [];
    let cursor: string | undefined;
    do {
      const res = await get(
        `/errors?limit=6${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      seen.push(...res.body.items);
      sizes.push(res.body.items.length);
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen.map(e => e.entityRef)).not.toContain(
      'component:default/secret-service',
    );
    expect(seen).toHaveLength(15);
    const ids = seen.map(e => Number(e.id));
    expect(new Set(ids).size).toBe(15);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
    // The 25 unreadable events in a row exceed one request's scan budget (20):
    // a page comes back short, with a cursor to go on.
    expect(sizes.some(n => n < 6)).toBe(true);
    // One permission check per entity per request, however many events it has.
    expect(
      backend.authorized.filter(r => r === 'component:default/secret-service')
        .length,
    ).toBeLessThanOrEqual(sizes.length);
  });

  it('refuses the history of an entity the caller may not read', async () => {
    const res = await get('/errors?entityRef=component:default/secret-service');
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('runner.alert.read');
    expect((await get(`/instances/${SECRET}/errors`)).status).toBe(403);
  });

  it('lists the errors of one instance with the same filters', async () => {
    const res = await get(
      `/instances/${HELLO}/errors?code=CONTAINER_EXITED&limit=50`,
    );
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(5);
    expect(
      res.body.items.every((e: ErrorEvent) => e.instanceId === HELLO),
    ).toBe(true);
    expect(res.body.nextCursor).toBeUndefined();
    expect((await get(`/instances/${MISSING}/errors`)).status).toBe(404);
    expect(backend.audits.at(-1)).toMatchObject({
      eventId: 'error-read',
      meta: { instanceId: MISSING },
    });
  });

  it.each([
    ['/errors?category=disk', 'category'],
    ['/errors?severity=urgent', 'severity'],
    ['/errors?code=DISK_FULL', 'code'],
    ['/errors?entityRef=hello-http', 'entityRef'],
    [`/errors?from=${T0 + 1}&to=${T0}`, 'from'],
    ['/errors?from=last-week', 'from'],
    ['/errors?limit=0', 'limit'],
    ['/errors?limit=5000', 'limit'],
    ['/errors?limit=ten', 'limit'],
    ['/errors?cursor=abc', 'cursor'],
    // Matches the cursor's pattern, but no id is that large: once a 500.
    ['/errors?cursor=9999999999999999', 'cursor'],
    [`/instances/${HELLO}/errors?cursor=9999999999999999`, 'cursor'],
    ['/errors?sort=asc', 'sort'],
    [
      `/instances/${HELLO}/errors?entityRef=component:default/hello-http`,
      'entityRef',
    ],
    [`/instances/${HELLO}/errors?to=soon`, 'to'],
    ['/instances/42/errors', 'instance id'],
  ])('answers %s with a 400 naming %s', async (url, param) => {
    const res = await get(url);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(param);
  });
});
