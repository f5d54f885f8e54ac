import type { DatabaseService } from '@backstage/backend-plugin-api';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@internal/plugin-runner-backend',
  'migrations',
);

/** Where the knex migrations are (for tests that step through them). */
export function migrationsDirectory(): string {
  return migrationsDir;
}

/** Brings the plugin's database schema up to date. */
export async function migrateToLatest(knex: Knex): Promise<void> {
  await knex.migrate.latest({ directory: migrationsDir });
}

/** Rolls every migration back; used by the migration tests. */
export async function migrateDownAll(knex: Knex): Promise<void> {
  await knex.migrate.rollback({ directory: migrationsDir }, true);
}

/** The plugin's knex client, migrated unless the operator skips migrations. */
export async function connectDatabase(
  database: DatabaseService,
): Promise<Knex> {
  const knex = await database.getClient();
  if (!database.migrations?.skip) {
    await migrateToLatest(knex);
  }
  return knex;
}
