import {
  TestDatabases,
  type TestDatabaseId,
} from '@backstage/backend-test-utils';

/**
 * The database engines tests run against: SQLite always, and the local
 * PostgreSQL that scripts/bootstrap.sh starts (it exports
 * RUNNER_TEST_POSTGRES_ID and the matching
 * BACKSTAGE_TEST_DATABASE_POSTGRES<N>_CONNECTION_STRING). Under CI a missing
 * PostgreSQL is an error, never a silent skip.
 */
export function createTestDatabases(): TestDatabases {
  const ids: TestDatabaseId[] = ['SQLITE_3'];
  const postgres = process.env.RUNNER_TEST_POSTGRES_ID as
    | TestDatabaseId
    | undefined;
  if (postgres) {
    ids.push(postgres);
  } else if (process.env.CI) {
    throw new Error(
      'RUNNER_TEST_POSTGRES_ID is not set: run the tests through scripts/test.sh, which starts PostgreSQL',
    );
  }
  return TestDatabases.create({ ids, disableDocker: true });
}
