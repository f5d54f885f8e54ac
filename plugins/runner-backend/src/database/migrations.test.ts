import { createTestDatabases } from '../__testUtils__/testDatabases';
import {
  migrateDownAll,
  migrateToLatest,
  migrationsDirectory,
} from './migrations';
import { installationHashKey, installationId } from './installation';

jest.setTimeout(60_000);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())('migrations on %s', databaseId => {
  it('go up, hold an instance with its events, and go all the way down', async () => {
    const knex = await databases.init(databaseId);
    await migrateToLatest(knex);

    await knex('instances').insert({
      id: '00000000-0000-4000-8000-000000000001',
      entity_ref: 'component:default/hello-http',
      state: 'pending',
      ports: JSON.stringify([{ containerPort: 8080, protocol: 'tcp' }]),
    });
    await knex('instance_events').insert([
      {
        instance_id: '00000000-0000-4000-8000-000000000001',
        from_state: null,
        to_state: 'pending',
      },
      {
        instance_id: '00000000-0000-4000-8000-000000000001',
        from_state: 'pending',
        to_state: 'building',
      },
    ]);

    const [row] = await knex('instances').select();
    expect(row).toMatchObject({
      entity_ref: 'component:default/hello-http',
      state: 'pending',
    });
    expect(Boolean(row.oom_killed)).toBe(false);
    expect(new Date(row.created_at).getTime()).not.toBeNaN();
    const events = await knex('instance_events')
      .orderBy('id')
      .select('to_state');
    expect(events.map(e => e.to_state)).toEqual(['pending', 'building']);

    // The installation id is created once and then stays.
    const first = await installationId(knex);
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    await expect(
      Promise.all([installationId(knex), installationId(knex)]),
    ).resolves.toEqual([first, first]);

    // So is its HMAC key: 32 random bytes, the same for every caller.
    const keys = await Promise.all([
      installationHashKey(knex),
      installationHashKey(knex),
    ]);
    expect(keys[0]).toHaveLength(32);
    expect(keys[1].equals(keys[0])).toBe(true);
    expect((await installationHashKey(knex)).equals(keys[0])).toBe(true);

    // Deleting an instance takes its history with it.
    await knex('instances').delete();
    const [{ n }] = await knex('instance_events').count({ n: '*' });
    expect(Number(n)).toBe(0);

    await migrateDownAll(knex);
    expect(await knex.schema.hasTable('instances')).toBe(false);
    for (const table of [
      'instance_events',
      'instance_slots',
      'instance_logs',
      'runner_installation',
    ]) {
      expect(await knex.schema.hasTable(table)).toBe(false);
    }

    // And up again: down must leave nothing behind that blocks a re-run.
    await migrateToLatest(knex);
    expect(await knex.schema.hasTable('instances')).toBe(true);
  });

  it('adds the installation hash key in place, and takes only it away again', async () => {
    const knex = await databases.init(databaseId);
    await migrateToLatest(knex);
    const migrations = { directory: migrationsDirectory() };
    // Back to before the key: an installation made then keeps its id.
    while (await knex.schema.hasColumn('runner_installation', 'hash_key')) {
      await knex.migrate.down(migrations);
    }
    await knex('runner_installation').insert({ id: 'old-installation' });
    await migrateToLatest(knex);
    expect(await installationId(knex)).toBe('old-installation');
    const key = await installationHashKey(knex);
    expect(key).toHaveLength(32);
    const [row] = await knex('runner_installation').select();
    expect(row).toMatchObject({
      id: 'old-installation',
      hash_key: key.toString('hex'),
    });

    await knex.migrate.down(migrations);
    expect(await knex.schema.hasColumn('runner_installation', 'hash_key')).toBe(
      false,
    );
    expect(await knex('runner_installation').select('id')).toEqual([
      { id: 'old-installation' },
    ]);
    await migrateDownAll(knex);
  });
});
