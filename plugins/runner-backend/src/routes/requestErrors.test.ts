import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import request from 'supertest';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { Knex } from 'knex';
import { runnerPlugin } from '../plugin';
import { exampleEntities, examplesDir } from '../__testUtils__/exampleEntities';
import { createTestDatabases } from '../__testUtils__/testDatabases';

/*
 * Malformed requests to the instances, alerts, errors and monitoring routes,
 * as real HTTP requests to the whole plugin on SQLite and PostgreSQL: each
 * is a 4xx naming the problem, never a 500, never a stack trace — with the
 * backend in development mode, where the error handler shows stacks — and
 * never the body echoed back.
 */

jest.setTimeout(120_000);

const databases = createTestDatabases();
const ID = '00000000-0000-4000-8000-000000000000';
const POSTS = [
  `/api/runner/entities/component/default/hello-http/instances`,
  `/api/runner/instances/${ID}/stop`,
  `/api/runner/instances/${ID}/restart`,
  `/api/runner/alerts/${ID}/acknowledge`,
];

describe.each(databases.eachSupportedId())(
  'malformed requests, on %s',
  databaseId => {
    let backend: Awaited<ReturnType<typeof startTestBackend>>;
    let knex: Knex;
    const nodeEnv = process.env.NODE_ENV;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      // The error handler decides on stack traces when the backend starts.
      process.env.NODE_ENV = 'development';
      try {
        backend = await startTestBackend({
          features: [
            runnerPlugin,
            mockServices.rootConfig.factory({
              data: {
                runner: { sources: { allowedLocalRoots: [examplesDir()] } },
              },
            }),
            mockServices.database.factory({ knex }),
            catalogServiceMock.factory({ entities: exampleEntities() }),
          ],
        });
      } finally {
        process.env.NODE_ENV = nodeEnv;
      }
    });
    afterAll(() => backend.stop());

    /**
     * Checks what every refusal shares (the status, no stack, no body echoed,
     * nothing stored) and returns the phrases its message lacks.
     */
    async function refused(
      res: request.Response,
      status: number,
      phrases: string[],
    ): Promise<string[]> {
      expect({ status: res.status, message: res.body.error?.message }).toEqual({
        status,
        message: expect.any(String),
      });
      expect(res.body.error.stack).toBeUndefined();
      expect(res.body.error.body).toBeUndefined();
      // Refused before anything happened.
      expect(Number((await knex('instances').count({ n: '*' }))[0].n)).toBe(0);
      const message: string = res.body.error.message;
      return phrases
        .filter(phrase => !message.includes(phrase))
        .map(phrase => `'${phrase}' is not in: ${message}`);
    }

    const json = (path: string) =>
      request(backend.server)
        .post(path)
        .set('content-type', 'application/json');

    it.each(POSTS)('refuses malformed JSON posted to %s', async path => {
      expect(
        await refused(await json(path).send('{"reason": bad'), 400, [
          'not valid JSON',
          'Content-Type: application/json',
        ]),
      ).toEqual([]);
    });

    it.each(POSTS)(
      'refuses a body too large for %s, naming the limit',
      async path => {
        const big = JSON.stringify({ padding: 'x'.repeat(200_000) });
        expect(
          await refused(await json(path).send(big), 413, [
            `${Buffer.byteLength(big)} bytes`,
            'at most 102400 bytes',
          ]),
        ).toEqual([]);
      },
    );

    it('refuses an unknown content encoding, a charset other than UTF, and a body that is not gzip', async () => {
      const [path] = POSTS;
      expect(
        await refused(
          await json(path).set('content-encoding', 'zstd').send('{}'),
          415,
          ["Content-Encoding 'zstd'", 'uncompressed'],
        ),
      ).toEqual([]);
      expect(
        await refused(
          await request(backend.server)
            .post(path)
            .set('content-type', 'application/json; charset=latin1')
            .send('{}'),
          415,
          ["charset 'latin1'", 'UTF-8'],
        ),
      ).toEqual([]);
      expect(
        await refused(
          await json(path).set('content-encoding', 'gzip').send('{}'),
          400,
          ['could not be decompressed', 'Z_DATA_ERROR'],
        ),
      ).toEqual([]);
      // The control: the same body, really gzipped, gets through the parser (to a refusal of the instance id).
      const { port } = backend.server.address() as AddressInfo;
      const gzipped = await fetch(`http://127.0.0.1:${port}${POSTS[1]}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-encoding': 'gzip',
        },
        body: zlib.gzipSync('{}'),
      });
      expect(gzipped.status).toBe(404);
    });

    it.each([
      [
        'a malformed percent-encoding in the path',
        `/api/runner/instances/%E0%A4%A`,
        400,
        ["Failed to decode param '%E0%A4%A'"],
      ],
      [
        'a huge entity name',
        `/api/runner/entities/component/default/${'a'.repeat(5000)}/instances`,
        400,
        ['name: must be 1-63'],
      ],
      [
        'a huge instance id',
        `/api/runner/instances/${'a'.repeat(5000)}/events`,
        400,
        ['must be an instance id'],
      ],
      [
        'a repeated query parameter',
        `/api/runner/instances/${ID}/logs?stream=run&stream=build`,
        400,
        ['stream'],
      ],
      [
        'a nested query parameter',
        `/api/runner/instances/${ID}/logs?tail[a]=1`,
        400,
        ['tail'],
      ],
      [
        'a deeply nested query parameter',
        `/api/runner/errors?code[a][b][c][d][e][f][g]=1`,
        400,
        ['code'],
      ],
      [
        'a number too large',
        `/api/runner/instances/${ID}/logs?tail=99999999999999999999999`,
        400,
        ['tail'],
      ],
      ['a non-number limit', `/api/runner/errors?limit=1e400`, 400, ['limit']],
      [
        'a cursor beyond any id',
        `/api/runner/errors?cursor=9999999999999999`,
        400,
        ['cursor: must be the nextCursor'],
      ],
      [
        'a cursor beyond any id, for one instance',
        `/api/runner/instances/${ID}/errors?cursor=9999999999999999`,
        400,
        ['cursor: must be the nextCursor'],
      ],
      [
        'a range of years',
        `/api/runner/instances/${ID}/metrics?from=0&to=999999999999999`,
        400,
        ['31 days'],
      ],
      [
        'a step too small',
        `/api/runner/instances/${ID}/metrics?step=0.0000001`,
        400,
        ['step'],
      ],
      ['an unknown instance', `/api/runner/instances/${ID}`, 404, [ID]],
    ])('answers %s with a clear 4xx', async (_what, url, status, phrases) => {
      expect(
        await refused(
          await request(backend.server).get(url),
          status as number,
          phrases as string[],
        ),
      ).toEqual([]);
    });

    it('reads the history with the widest times the database can hold', async () => {
      // Year 0 to year 33658 and the largest cursor: valid, so answered (empty), not a 500.
      const res = await request(backend.server).get(
        '/api/runner/errors?from=0000-01-01&to=999999999999999&cursor=9007199254740991',
      );
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([]);
    });

    it('leaves a URL longer than Node accepts to Node: 431, no body', async () => {
      const res = await request(backend.server).get(
        `/api/runner/errors?entityRef=${'x'.repeat(20_000)}`,
      );
      expect(res.status).toBe(431);
    });
  },
);
