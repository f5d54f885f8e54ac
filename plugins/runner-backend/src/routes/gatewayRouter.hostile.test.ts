import request from 'supertest';
import {
  billionLaughs,
  deeplyNested,
  manyAliases,
  manyDocuments,
  manyKeys,
  thousandsOfMergeKeys,
} from '../gateway/changes/hostileYaml';
import {
  gatewayEntity,
  startGatewayBackend,
  type GatewayBackend,
} from '../gateway/__testUtils__/gatewayBackend';
import {
  gatewayTestCluster,
  type GatewayTestCluster,
} from '../gateway/__testUtils__/gatewayRbac';
import { namespaceSnapshot } from '../gateway/__testUtils__/namespaceSnapshot';
import {
  describeWithCluster,
  uniqueName,
} from '../kubernetes/__testUtils__/testCluster';

/*
 * Hostile input on every route that parses what a caller sends: YAML that
 * expands, nests or repeats past a limit, JSON nested past one, and values
 * made to make a backtracking regex engine spin. Each must be a fast 400
 * naming the limit (or a finding), never a 500 or a stack trace, and
 * nothing may change in the cluster (the real API server) or the revision
 * history.
 */

jest.setTimeout(120_000);

const HELLO_NAME = uniqueName('hostile');
const HELLO = `/api/runner/entities/component/default/${HELLO_NAME}/gateway`;

const HOSTILE: Array<[string, string, string]> = [
  ['billion laughs', billionLaughs(), 'maxAliasExpansion'],
  ['thousands of merge keys', thousandsOfMergeKeys(), 'maxMergeKeys'],
  ['50,000 keys in one map', manyKeys(), 'maxKeysPerMap'],
  ['lists nested 100,000 deep', deeplyNested(), 'maxDepth'],
  ['20,000 documents', manyDocuments(), 'maxDocuments'],
  ['50,000 aliases', manyAliases(), 'maxAliases'],
];

let kube: GatewayTestCluster;
let backend: GatewayBackend;

const snapshot = () => namespaceSnapshot(kube.namespace);

function expectClientError(res: request.Response, status = 400) {
  expect(res.status).toBe(status);
  expect(res.body.error.stack).toBeUndefined();
  expect(JSON.stringify(res.body)).not.toMatch(/\n\s+at /);
}

async function expectNothingChanged(before: string[]) {
  expect(await snapshot()).toEqual(before);
  const revisions = await request(backend.server).get(`${HELLO}/revisions`);
  expect(revisions.body.items).toEqual([]);
}

describeWithCluster('hostile input', () => {
  beforeAll(async () => {
    kube = await gatewayTestCluster('gw-hostile');
    backend = await startGatewayBackend({
      clusters: [kube.cluster('one')],
      entities: [gatewayEntity(HELLO_NAME, kube.namespace)],
    });
  });
  afterAll(() => kube.remove());

  describe.each(HOSTILE)('%s', (_, yaml, limit) => {
    it.each([
      ['POST import (YAML body)', 'import', 'yaml'],
      ['POST import (JSON body)', 'import', 'json'],
      ['POST validate', 'validate', 'json'],
      ['POST diff', 'diff', 'json'],
      ['POST export', 'export', 'json'],
    ])(
      '%s answers 400 naming the limit, fast, changing nothing',
      async (__, path, as) => {
        const before = await snapshot();
        const started = Date.now();
        const call = request(backend.server).post(`${HELLO}/${path}?bundle=x`);
        const res =
          as === 'yaml'
            ? await call.set('content-type', 'application/yaml').send(yaml)
            : await call.send({ yaml });
        expect(Date.now() - started).toBeLessThan(5000);
        expectClientError(res);
        expect(res.body.error.message).toMatch(/^Too large: the YAML has /);
        expect(res.body.error.message).toContain(`(${limit})`);
        expect(res.body.error.findings).toEqual([
          expect.objectContaining({ source: 'yaml', severity: 'error' }),
        ]);
        await expectNothingChanged(before);
      },
    );
  });

  describe('other hostile input', () => {
    it('refuses JSON nested past the limit on every body route', async () => {
      // Sent as text: a JSON client's own stringify recurses and cannot send it.
      const deep = `${'{"a":'.repeat(10_000)}"x"${'}'.repeat(10_000)}`;
      const input = `{"name":"web","deep":${deep}}`;
      const before = await snapshot();
      for (const [path, body] of [
        ['/validate', `{"template":"httproute","input":${input}}`],
        ['/diff', `{"template":"httproute","input":${input}}`],
        ['/export', `{"template":"httproute","input":${input}}`],
        ['/import', `{"yaml":"a: 1","deep":${deep}}`],
        ['/routes', input],
        ['/routes/web', `{"input":${input},"resourceVersions":{}}`],
      ] as const) {
        const call = path.startsWith('/routes/')
          ? request(backend.server).put(`${HELLO}${path}`)
          : request(backend.server).post(`${HELLO}${path}`);
        const res = await call
          .set('content-type', 'application/json')
          .send(body);
        expectClientError(res);
        expect(res.body.error.message).toBe(
          'Invalid body: JSON nested more than 64 levels deep (maxDepth); gateway inputs and objects nest about 10',
        );
      }
      await expectNothingChanged(before);
    });

    it('checks a header value made to make a backtracking engine spin, in linear time', async () => {
      // 4,000 printable characters and a newline: HTTPRoute's header value pattern
      // ^[!-~]+([\t ]?[!-~]+)*$ backtracks exponentially on it in JavaScript's RegExp.
      const yaml = [
        'apiVersion: gateway.networking.k8s.io/v1',
        'kind: HTTPRoute',
        'metadata: {name: web}',
        'spec:',
        '  parentRefs: [{name: gw}]',
        '  rules:',
        `  - matches: [{headers: [{name: x-a, value: "${'a'.repeat(
          4000,
        )}\\n"}]}]`,
        '',
      ].join('\n');
      const started = Date.now();
      const res = await request(backend.server)
        .post(`${HELLO}/validate?bundle=web`)
        .send({ yaml });
      expect(Date.now() - started).toBeLessThan(5000);
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('invalid');
      expect(res.body.findings).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            path: 'spec.rules[0].matches[0].headers[0].value',
            message: expect.stringContaining(
              "should match '^[!-~]+([\\t ]?[!-~]+)*$'",
            ),
          }),
        ]),
      );
    });
  });
});
