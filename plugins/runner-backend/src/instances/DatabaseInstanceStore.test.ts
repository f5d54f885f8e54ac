import { randomUUID } from 'node:crypto';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { migrateToLatest } from '../database/migrations';
import { DatabaseInstanceStore } from './DatabaseInstanceStore';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const ref = 'component:default/hello-http';

describe.each(databases.eachSupportedId())(
  'DatabaseInstanceStore on %s',
  databaseId => {
    async function createStore() {
      const knex = await databases.init(databaseId);
      await migrateToLatest(knex);
      return new DatabaseInstanceStore(knex);
    }

    it('lets at most maxActive concurrent starts through, whatever the interleaving', async () => {
      const store = await createStore();
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, () =>
          store.create({
            id: randomUUID(),
            entityRef: ref,
            maxActive: 2,
            createdBy: 'user:default/guest',
          }),
        ),
      );
      const created = results.filter(r => r.status === 'fulfilled');
      const refused = results.filter(
        r => r.status === 'rejected',
      ) as PromiseRejectedResult[];
      expect(created).toHaveLength(2);
      expect(refused).toHaveLength(4);
      expect(refused[0].reason.name).toBe('ConflictError');
      expect(refused[0].reason.message).toContain('maxInstancesPerEntity');
      // A refused start leaves nothing behind.
      expect(await store.list({ entityRef: ref })).toHaveLength(2);
      // Another entity has slots of its own.
      await expect(
        store.create({
          id: randomUUID(),
          entityRef: 'component:default/other',
          maxActive: 1,
        }),
      ).resolves.toMatchObject({ state: 'pending' });
    });

    it('moves only from expected states, records transitions, and frees the slot at the end', async () => {
      const store = await createStore();
      const id = randomUUID();
      await store.create({ id, entityRef: ref, maxActive: 1 });

      expect(
        await store.transition(id, ['running'], 'stopping'),
      ).toBeUndefined();
      const building = await store.transition(id, ['pending'], 'building', {
        cacheKey: 'k1',
      });
      expect(building).toMatchObject({ state: 'building', cacheKey: 'k1' });

      const started = new Date('2026-11-26T10:00:00.000Z');
      await store.transition(id, ['building'], 'starting');
      const running = await store.transition(id, ['starting'], 'running', {
        containerId: 'c1',
        ports: [
          {
            containerPort: 8080,
            protocol: 'tcp',
            hostIp: '127.0.0.1',
            hostPort: 18080,
          },
        ],
        startedAt: started,
      });
      expect(running).toMatchObject({
        containerId: 'c1',
        startedAt: started.toISOString(),
      });
      expect(running!.ports[0].hostPort).toBe(18080);

      // While running, the single slot is taken.
      await expect(
        store.create({ id: randomUUID(), entityRef: ref, maxActive: 1 }),
      ).rejects.toThrow('maxInstancesPerEntity');

      const failed = await store.transition(
        id,
        ['running'],
        'failed',
        { exitCode: 137, oomKilled: true, failure: { code: 'OOM_KILLED' } },
        'container died',
      );
      expect(failed).toMatchObject({
        state: 'failed',
        exitCode: 137,
        oomKilled: true,
        failure: { code: 'OOM_KILLED' },
      });
      const events = await store.events(id);
      expect(events.map(e => `${e.fromState ?? '-'}>${e.toState}`)).toEqual([
        '->pending',
        'pending>building',
        'building>starting',
        'starting>running',
        'running>failed',
      ]);
      expect(events[4].message).toBe('container died');

      // The slot is free again, so a new start, or a restart of this one, works.
      await store.acquireSlot(id, ref, 1);
      await expect(
        store.transition(id, ['failed', 'stopped'], 'pending'),
      ).resolves.toMatchObject({ state: 'pending' });
    });

    it('keeps logs in order and returns a tail', async () => {
      const store = await createStore();
      const id = randomUUID();
      await store.create({ id, entityRef: ref, maxActive: 1 });
      const lines = Array.from({ length: 450 }, (_, i) => `line ${i}`);
      await store.appendLogs(id, 'build', lines);
      await store.appendLogs(id, 'run', ['hello']);

      const all = await store.readLogs(id, 'build');
      expect(all.map(l => l.line)).toEqual(lines);
      const tail = await store.readLogs(id, 'build', { tail: 3 });
      expect(tail.map(l => l.line)).toEqual([
        'line 447',
        'line 448',
        'line 449',
      ]);
      const after = await store.readLogs(id, 'build', { afterId: all[448].id });
      expect(after.map(l => l.line)).toEqual(['line 449']);
      expect((await store.readLogs(id, 'run')).map(l => l.line)).toEqual([
        'hello',
      ]);

      await store.delete(id);
      expect(await store.readLogs(id, 'build')).toEqual([]);
      expect(await store.get(id)).toBeUndefined();
    });
  },
);
