import { createHash } from 'node:crypto';
import Docker from 'dockerode';
import request from 'supertest';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ConfigReader } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import { runnerPlugin } from '../plugin';
import { removeEntityObjects } from '../__testUtils__/tempComponents';
import { exampleEntities, examplesDir } from '../__testUtils__/exampleEntities';
import { waitForState } from '../__testUtils__/instanceApi';
import { readRunnerConfig } from '../config/RunnerConfig';
import { resolveEffectiveConfig } from '../config/effectiveConfig';
import { configHash } from '../config/redaction';
import { installationHashKey } from '../database/installation';

/*
 * What anyone with Docker access reads from a runner container: its labels.
 * With a weak secret in secretEnv, a plain sha256 of the effective config
 * there could be matched against guesses offline; the label must be the
 * installation's keyed hash, and nothing in the labels may be the plain one.
 */

jest.setTimeout(120_000);

const docker = new Docker();
const runId = `h${Date.now().toString(36)}`;
const name = `hashed-${runId}`;
const WEAK_SECRET = 'password1';
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const base = exampleEntities().find(e => e.metadata.name === 'hello-http')!;
const entity: Entity = { ...base, metadata: { ...base.metadata, name } };
const runner = {
  docker: {
    imageCleanupPolicy: 'never',
    secretEnv: { DB_PASSWORD: WEAK_SECRET },
  },
  sources: { allowedLocalRoots: [examplesDir()] },
};

/** Every sha256 an attacker could compute from the effective config and a guess. */
function plainHashes(): string[] {
  const effective = resolveEffectiveConfig(
    entity,
    readRunnerConfig(new ConfigReader({ runner })),
  );
  const { origins, ...rest } = effective;
  const sha = (text: string) => createHash('sha256').update(text).digest('hex');
  const sorted = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sorted);
    if (!value || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, sorted(v)]),
    );
  };
  return [
    sha(JSON.stringify(sorted(rest))),
    sha(JSON.stringify(rest)),
    sha(JSON.stringify(sorted(effective))),
    sha(JSON.stringify({ ...rest, origins })),
  ];
}

afterAll(() => removeEntityObjects([`component:default/${name}`]));

it('labels containers with a keyed config hash, never a plain sha256 of it', async () => {
  const knex = await databases.init('SQLITE_3');
  const backend = await startTestBackend({
    features: [
      runnerPlugin,
      mockServices.rootConfig.factory({ data: { runner } }),
      catalogServiceMock.factory({ entities: [entity] }),
      mockServices.database.factory({ knex }),
    ],
  });
  try {
    const started = await request(backend.server).post(
      `/api/runner/entities/component/default/${name}/instances`,
    );
    const running = await waitForState(backend.server, started.body.id, [
      'running',
    ]);
    const { Config } = await docker.getContainer(running.containerId).inspect();
    const labels = Config.Labels;
    const key = await installationHashKey(knex);
    const effective = resolveEffectiveConfig(
      entity,
      readRunnerConfig(new ConfigReader({ runner })),
    );

    expect(labels['runner.backstage.io/config-hash']).toBe(
      configHash(effective, key),
    );
    expect(running.configHash).toBe(labels['runner.backstage.io/config-hash']);
    const values = Object.values(labels);
    for (const plain of plainHashes()) expect(values).not.toContain(plain);
    expect(JSON.stringify(labels)).not.toContain(WEAK_SECRET);
    // The secret did reach the container, so it was part of what was hashed.
    expect(Config.Env).toContain(`DB_PASSWORD=${WEAK_SECRET}`);
  } finally {
    await backend.stop();
  }
});
