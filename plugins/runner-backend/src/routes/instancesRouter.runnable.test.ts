import request from 'supertest';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { Entity } from '@backstage/catalog-model';
import type { Knex } from 'knex';
import { runnerPlugin } from '../plugin';
import { exampleEntities, examplesDir } from '../__testUtils__/exampleEntities';
import { createTestDatabases } from '../__testUtils__/testDatabases';

/*
 * A start that can only fail is refused on the request: 400 naming what to
 * fix, and nothing stored — no instance row, no slot, no error history. The
 * whole plugin on SQLite and PostgreSQL; the catalog is the in-memory mock.
 * No image is built here: the one start that is accepted (the control) has a
 * url: source that no integration allows, so it fails before any build.
 */

jest.setTimeout(120_000);

const databases = createTestDatabases();

function hello(
  name: string,
  annotations: Record<string, string | undefined>,
): Entity {
  const base = exampleEntities().find(e => e.metadata.name === 'hello-http')!;
  const merged = { ...base.metadata.annotations, ...annotations };
  for (const key of Object.keys(merged))
    if (merged[key] === undefined) delete merged[key];
  return {
    ...base,
    metadata: {
      ...base.metadata,
      name,
      annotations: merged as Record<string, string>,
    },
  };
}

const SOURCE = 'backstage.io/source-location';

function entities(): Entity[] {
  const examples = exampleEntities();
  return [
    ...examples,
    hello('no-source', { [SOURCE]: undefined }),
    hello('bad-location', { [SOURCE]: 'sources/hello-http' }),
    hello('other-type', { [SOURCE]: 'github:org/repo' }),
    hello('not-a-url', { [SOURCE]: 'url:not a url' }),
    hello('escaping', { [SOURCE]: 'dir:../../../etc/' }),
    hello('missing-dir', { [SOURCE]: 'dir:./sources/no-such-source/' }),
    hello('missing-dockerfile', {
      'runner.backstage.io/dockerfile': 'Dockerfile.prod',
    }),
    hello('bad-context', {}),
    hello('bad-ports', { 'runner.backstage.io/ports': 'eighty' }),
    hello('remote', {
      [SOURCE]: 'url:https://git.example.invalid/org/repo/tree/main/',
    }),
  ];
}

const config = {
  runner: {
    docker: { imageCleanupPolicy: 'never' },
    sources: { allowedLocalRoots: [examplesDir()] },
    // An app-config override that points the build at a directory the source lacks.
    components: { 'bad-context': { build: { context: 'services/api' } } },
  },
};

async function counts(knex: Knex) {
  const count = async (table: string) =>
    Number((await knex(table).count({ n: '*' }))[0].n);
  return {
    instances: await count('instances'),
    slots: await count('instance_slots'),
    events: await count('instance_events'),
    errors: await count('error_events'),
  };
}

const NOTHING = { instances: 0, slots: 0, events: 0, errors: 0 };

describe.each(databases.eachSupportedId())(
  'starting what cannot run, on %s',
  databaseId => {
    let backend: Awaited<ReturnType<typeof startTestBackend>>;
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      backend = await startTestBackend({
        features: [
          runnerPlugin,
          mockServices.rootConfig.factory({ data: config }),
          mockServices.database.factory({ knex }),
          catalogServiceMock.factory({ entities: entities() }),
        ],
      });
    });
    afterAll(() => backend.stop());

    it.each([
      [
        'a System',
        'system/default/runner-examples',
        ['system:default/runner-examples is a System', 'only Components run'],
      ],
      [
        'no source annotation',
        'component/default/no-source',
        [`has no ${SOURCE} annotation`, 'set it to url:'],
      ],
      [
        'a malformed source annotation',
        'component/default/bad-location',
        [`Invalid ${SOURCE} 'sources/hello-http'`, 'use url:'],
      ],
      [
        'an unsupported source type',
        'component/default/other-type',
        ["type 'github'", 'dir:<path>'],
      ],
      [
        'a url: that is not a URL',
        'component/default/not-a-url',
        ['not an http(s) URL', 'url:https://'],
      ],
      [
        'a dir: outside the allowed roots',
        'component/default/escaping',
        ['runner.sources.allowedLocalRoots', 'add a root'],
      ],
      [
        'a dir: that does not exist',
        'component/default/missing-dir',
        [
          'no-such-source',
          'does not exist',
          `fix ${SOURCE} so it names an existing directory`,
        ],
      ],
      [
        'a missing Dockerfile',
        'component/default/missing-dockerfile',
        [
          "No Dockerfile at 'Dockerfile.prod'",
          'runner.backstage.io/dockerfile',
        ],
      ],
      [
        'an override naming a missing build context',
        'component/default/bad-context',
        [
          "'services/api'",
          'runner.components.<name>.build.context',
          'does not exist',
          'set it to a directory of the source',
        ],
      ],
      [
        'an annotation that does not parse',
        'component/default/bad-ports',
        ['runner.backstage.io/ports'],
      ],
    ])(
      'refuses %s with a 400 and stores nothing',
      async (_what, path, phrases) => {
        const res = await request(backend.server).post(
          `/api/runner/entities/${path}/instances`,
        );
        expect({ status: res.status, name: res.body.error?.name }).toEqual({
          status: 400,
          name: 'InputError',
        });
        for (const phrase of phrases)
          expect(res.body.error.message).toContain(phrase);
        expect(res.body.error.stack).toBeUndefined();
        expect(await counts(knex)).toEqual(NOTHING);
      },
    );

    it('accepts a url: source without fetching it first (the control: this start is stored)', async () => {
      const res = await request(backend.server).post(
        '/api/runner/entities/component/default/remote/instances',
      );
      expect(res.status).toBe(202);
      let instance = res.body;
      for (let i = 0; i < 100 && instance.state !== 'failed'; i++) {
        await new Promise(r => setTimeout(r, 100));
        instance = (
          await request(backend.server).get(
            `/api/runner/instances/${res.body.id}`,
          )
        ).body;
      }
      // Read off the request, the source fails the instance: a recorded failure.
      expect(instance.state).toBe('failed');
      expect(instance.failure.category).toBe('source');
      expect(await counts(knex)).toMatchObject({
        instances: 1,
        slots: 0,
        errors: 1,
      });
      await request(backend.server).delete(
        `/api/runner/instances/${res.body.id}`,
      );
    });
  },
);
