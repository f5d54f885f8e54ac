import { randomBytes, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';

/**
 * This installation's id, created on first use. Concurrent first starts of
 * several replicas agree: the insert is a no-op when a row exists.
 */
export async function installationId(knex: Knex): Promise<string> {
  const existing = await knex('runner_installation')
    .orderBy('created_at')
    .first('id');
  if (existing) return existing.id;
  await knex('runner_installation')
    .insert({ id: randomUUID() })
    .onConflict()
    .ignore();
  const [row] = await knex('runner_installation')
    .orderBy('created_at')
    .orderBy('id')
    .limit(1);
  return row.id;
}

/**
 * The installation's HMAC key (32 bytes), created on first use. Replicas
 * racing to create it agree: only an update of a row without a key writes,
 * and everyone reads what was written.
 */
export async function installationHashKey(knex: Knex): Promise<Buffer> {
  const id = await installationId(knex);
  await knex('runner_installation')
    .where({ id })
    .whereNull('hash_key')
    .update({ hash_key: randomBytes(32).toString('hex') });
  const row = await knex('runner_installation').where({ id }).first('hash_key');
  return Buffer.from(row.hash_key, 'hex');
}
