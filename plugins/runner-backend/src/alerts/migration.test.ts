import { createTestDatabases } from '../__testUtils__/testDatabases';
import { migrateDownAll, migrateToLatest } from '../database/migrations';

jest.setTimeout(60_000);

const databases = createTestDatabases();

function row(id: string, openKey: string | null) {
  const at = new Date('2026-11-26T10:00:00Z');
  return {
    id,
    entity_ref: 'component:default/hello-http',
    rule: 'cpu',
    severity: 'high',
    state: openKey ? 'open' : 'resolved',
    open_key: openKey,
    first_seen: at,
    last_seen: at,
    opened_at: at,
    message: 'm',
  };
}

describe.each(databases.eachSupportedId())(
  'alerts migration on %s',
  databaseId => {
    it('keeps one open alert per key, any number resolved, and goes down cleanly', async () => {
      const knex = await databases.init(databaseId);
      await migrateToLatest(knex);
      await knex('alerts').insert(
        row('00000000-0000-4000-8000-000000000001', 'k'),
      );
      // Matched on the message: errors of the native SQLite driver can come
      // from another test file's realm, which toThrow() does not recognize.
      await expect(
        knex('alerts').insert(row('00000000-0000-4000-8000-000000000002', 'k')),
      ).rejects.toHaveProperty('message', expect.stringMatching(/unique/i));
      // Resolved rows have no key, and NULLs never collide.
      await knex('alerts').insert([
        row('00000000-0000-4000-8000-000000000003', null),
        row('00000000-0000-4000-8000-000000000004', null),
      ]);
      const [{ n }] = await knex('alerts').count({ n: '*' });
      expect(Number(n)).toBe(3);
      const [stored] = await knex('alerts').where({ open_key: 'k' });
      expect(stored.count).toBe(1);

      await migrateDownAll(knex);
      expect(await knex.schema.hasTable('alerts')).toBe(false);
      await migrateToLatest(knex);
      expect(await knex.schema.hasTable('alerts')).toBe(true);
    });
  },
);
