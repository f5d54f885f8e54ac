import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';

/**
 * This installation's id, created on first use. Concurrent first starts of
 * several replicas agree: the insert is a no-op when a row exists.
 */
export async function installationId(knex: Knex): Promise<string> {
  const existing = await knex('runner_installation').orderBy('created_at').first('id');
  if (existing) return existing.id;
  await knex('runner_installation').insert({ id: randomUUID() }).onConflict().ignore();
  const [row] = await knex('runner_installation').orderBy('created_at').orderBy('id').limit(1);
  return row.id;
}
