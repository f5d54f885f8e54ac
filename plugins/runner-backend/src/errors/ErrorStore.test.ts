import type { Knex } from 'knex';
import type { RunnerInstance } from '@internal/plugin-runner-common';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { migrateToLatest } from '../database/migrations';
import { classifyError } from './classifyError';
import { ErrorStore } from './ErrorStore';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const instance = {
  id: '00000000-0000-4000-8000-000000000001',
  entityRef: 'component:default/memory-hog',
} as RunnerInstance;

const oom = classifyError(
  Object.assign(new Error('container exited with code 137 (OOM killed)'), {
    name: 'ContainerExitError',
    exitCode: 137,
    oomKilled: true,
  }),
  { operation: 'run', entityRef: instance.entityRef },
);

describe.each(databases.eachSupportedId())('ErrorStore on %s', databaseId => {
  let knex: Knex;
  beforeAll(async () => {
    knex = await databases.init(databaseId);
    await migrateToLatest(knex);
  });

  it('keeps categorized failures, newest first, with filters and cursor pages', async () => {
    const recorded: string[] = [];
    const store = new ErrorStore(knex, {
      onRecord: e => recorded.push(e.code),
    });
    expect(oom.code).toBe('OOM_KILLED');

    const first = await store.record(instance, oom);
    expect(first).toMatchObject({
      entityRef: 'component:default/memory-hog',
      instanceId: instance.id,
      category: 'oom',
      code: 'OOM_KILLED',
      severity: oom.severity,
      recoverable: oom.recoverable,
      remediation: oom.remediation,
    });
    expect(first.id).toMatch(/^\d+$/);

    // A gateway failure: no instance, a resource ref; a token slipped into the detail.
    await store.recordEvent({
      entityRef: 'component:default/hello-http',
      resourceRef: 'HTTPRoute runner-examples/hello-http',
      operation: 'gateway-apply',
      failure: {
        ...oom,
        category: 'kubernetes',
        code: 'K8S_FORBIDDEN',
        severity: 'high',
        detail:
          'forbidden; request had Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl',
      },
      at: new Date('2026-11-20T10:00:00Z'),
    });
    for (let i = 0; i < 5; i++) await store.record(instance, oom);
    expect(recorded).toHaveLength(7);

    const all = await store.list({}, { limit: 4 });
    expect(all.items).toHaveLength(4);
    expect(all.nextCursor).toBe(all.items[3].id);
    const ids = all.items.map(i => Number(i.id));
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
    const rest = await store.list({}, { limit: 4, cursor: all.nextCursor });
    expect(rest.items).toHaveLength(3);
    expect(rest.nextCursor).toBeUndefined();
    expect(new Set([...all.items, ...rest.items].map(i => i.id)).size).toBe(7);

    const gateway = await store.list({ category: 'kubernetes' }, { limit: 10 });
    expect(gateway.items).toHaveLength(1);
    expect(gateway.items[0]).toMatchObject({
      resourceRef: 'HTTPRoute runner-examples/hello-http',
      operation: 'gateway-apply',
      at: '2026-11-20T10:00:00.000Z',
    });
    expect(gateway.items[0].detail).not.toContain('eyJhbGciOiJIUzI1NiJ9');
    expect(gateway.items[0].instanceId).toBeUndefined();

    const byTime = await store.list(
      {
        from: new Date('2026-11-20T09:00:00Z'),
        to: new Date('2026-11-20T11:00:00Z'),
      },
      { limit: 10 },
    );
    expect(byTime.items.map(i => i.code)).toEqual(['K8S_FORBIDDEN']);
    expect(
      (
        await store.list(
          {
            entityRef: 'component:default/memory-hog',
            severity: oom.severity,
            code: 'OOM_KILLED',
          },
          { limit: 50 },
        )
      ).items,
    ).toHaveLength(6);
    expect(
      (await store.list({ code: 'PORT_IN_USE' }, { limit: 50 })).items,
    ).toEqual([]);

    expect(await store.countForInstance(instance.id, 'OOM_KILLED')).toBe(6);
    expect(await store.countForInstance(instance.id, 'BUILD_STEP_FAILED')).toBe(
      0,
    );

    expect(await store.deleteOlderThan(new Date('2026-11-21T00:00:00Z'))).toBe(
      1,
    );
    expect((await store.list({}, { limit: 50 })).items).toHaveLength(6);
  });
});
