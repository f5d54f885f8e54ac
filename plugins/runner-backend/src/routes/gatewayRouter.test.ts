import request from 'supertest';
import { parseAllDocuments, stringify } from 'yaml';
import type { GatewayBundleView } from '@internal/plugin-runner-common';
import { acceptBundle } from '../gateway/__testUtils__/controllerStatus';
import {
  gatewayEntity,
  startGatewayBackend,
  type GatewayBackend,
} from '../gateway/__testUtils__/gatewayBackend';
import {
  gatewayTestCluster,
  type GatewayTestCluster,
} from '../gateway/__testUtils__/gatewayRbac';
import {
  SECRETS,
  awsAccessKeyInput,
  azureKeyInput,
  gcpKeyInput,
  httpRouteInput,
  openAIInput,
} from '../gateway/__testUtils__/templateInputs';
import { readObject } from '../kubernetes/__testUtils__/adminObjects';
import { eventually } from '../kubernetes/__testUtils__/routes';
import {
  describeWithCluster,
  uniqueName,
} from '../kubernetes/__testUtils__/testCluster';

/*
 * The gateway REST API end to end against the real API server, as a
 * service account with the RBAC of docs/kubernetes-rbac.md, through the
 * plugin's real client (client-node): every provider bundle and an
 * HTTPRoute created, validated, diffed, applied, watched to Accepted (status
 * written by the test, as the controllers would), edited, exported,
 * imported, rolled back and deleted; then a scan of every response, log line
 * and audit event for secret values. The entity's name is unique: other
 * suites share the cluster and the plugin watches it cluster-wide.
 */

jest.setTimeout(120_000);

const NAME = uniqueName('hello-http');
const ENTITY_REF = `component:default/${NAME}`;
const ENTITY = `/api/runner/entities/component/default/${NAME}/gateway`;
const responses: string[] = [];

async function record<T extends request.Response>(
  pending: Promise<T>,
): Promise<T> {
  const res = await pending;
  responses.push(res.text ?? '');
  return res;
}

/** An edit that sends no credential values: the Secret keeps what it has. */
function withoutCredentialValues(input: Record<string, any>) {
  if (!input.credentials) return input;
  const { type, roleArn, oidc, tenantId, clientId } = input.credentials;
  const credentials = Object.fromEntries(
    Object.entries({
      type,
      roleArn,
      tenantId,
      clientId,
      oidc: oidc && { ...oidc, clientSecret: undefined },
    }).filter(([, v]) => v !== undefined),
  );
  return { ...input, credentials };
}

/** The request body of a template: what the entity's annotations provide is left out. */
function body(input: Record<string, any>) {
  const { namespace: _n, entityRef: _e, ...rest } = input;
  return rest;
}

const FLOWS: Array<
  [string, 'routes' | 'providers', Record<string, any>, (input: any) => any]
> = [
  [
    'openai',
    'providers',
    openAIInput,
    i => ({ ...i, models: [...i.models, { name: 'gpt-4.1' }] }),
  ],
  [
    'aws-bedrock',
    'providers',
    awsAccessKeyInput,
    i => ({ ...i, timeouts: { request: '90s' } }),
  ],
  [
    'gcp-vertex-ai',
    'providers',
    gcpKeyInput,
    i => ({ ...i, hostnames: ['vertex.example.com'] }),
  ],
  [
    'azure-openai',
    'providers',
    azureKeyInput,
    i => ({ ...i, apiVersion: '2025-01-01-preview' }),
  ],
  [
    'httproute',
    'routes',
    httpRouteInput,
    i => ({ ...i, hostnames: ['hello.example.org'] }),
  ],
];

describeWithCluster('gateway REST API against the API server', () => {
  let kube: GatewayTestCluster;
  let backend: GatewayBackend;
  const live = (apiVersion: string, kind: string, name: string) =>
    readObject({ apiVersion, kind, namespace: kube.namespace, name });

  beforeAll(async () => {
    kube = await gatewayTestCluster('gw-rest');
    backend = await startGatewayBackend({
      clusters: [kube.cluster('one')],
      entities: [
        gatewayEntity(NAME, kube.namespace),
        gatewayEntity(`${NAME}-other`, kube.namespace),
      ],
    });
  });
  afterAll(() => kube.remove());

  it.each(FLOWS)(
    '%s: validate, diff, create, Accepted, edit, conflict, export, import, rollback, delete',
    async (template, collection, input, edit) => {
      const api = (path = '') => `${ENTITY}${path}`;
      const name = input.name;
      const server = backend.server;

      // Validate: all three layers, nothing stored.
      const validated = await record(
        request(server)
          .post(api('/validate'))
          .send({ template, input: body(input) }),
      );
      expect(validated.status).toBe(200);
      expect(validated.body).toMatchObject({
        valid: true,
        findings: [],
        layers: { dryRun: 'ran on cluster one' },
      });
      expect(validated.body.layers.schema).toContain('cluster one');

      // Diff against nothing yet: everything is created.
      const diff = await record(
        request(server)
          .post(api('/diff'))
          .send({ template, input: body(input) }),
      );
      expect(diff.body.againstLive).toBe(true);
      expect(diff.body.objects.every((o: any) => o.action === 'create')).toBe(
        true,
      );
      // The dry run of validate stored nothing.
      for (const o of diff.body.objects) {
        expect(
          await live(o.object.apiVersion, o.object.kind, o.object.name),
        ).toBeUndefined();
      }

      // Create.
      const created = await record(
        request(server)
          .post(api(`/${collection}`))
          .send(body(input)),
      );
      expect(created.status).toBe(201);
      expect(created.body.revision).toBe(1);
      const bundle: GatewayBundleView = created.body.bundle;
      expect(bundle).toMatchObject({
        name,
        cluster: 'one',
        namespace: kube.namespace,
        type: collection === 'routes' ? 'route' : 'provider',
      });
      for (const object of bundle.objects as any[]) {
        expect(
          await live(object.apiVersion, object.kind, object.metadata.name),
        ).toBeDefined();
      }
      // Providers show their Secret's keys as "set"; a route has no Secret.
      expect(bundle.secrets.length).toBe(collection === 'providers' ? 1 : 0);
      expect(
        bundle.secrets.flatMap(secret => Object.values(secret.keys)),
      ).not.toContain('not set');

      // Controllers accept it; the watch cache and onChange see it.
      await acceptBundle(bundle.objects as any[]);
      const accepted = await eventually(async () => {
        const res = await record(
          request(server).get(api(`/${collection}/${name}`)),
        );
        expect(res.body.accepted).toBe('True');
        return res.body as GatewayBundleView;
      });
      expect(accepted.status.every(s => s.accepted === 'True')).toBe(true);
      // A route's own parents; a provider's through the HTTPRoute the AI Gateway generated.
      const routeStatus = accepted.status.find(s =>
        ['AIGatewayRoute', 'HTTPRoute'].includes(s.object.kind),
      )!;
      expect(
        collection === 'providers'
          ? routeStatus.generatedRouteParents?.[0]
          : routeStatus.parents?.[0],
      ).toMatchObject({
        accepted: 'True',
        resolvedRefs: 'True',
        parentRef: { name: 'ai-gateway' },
      });
      await eventually(async () => {
        const last = backend.changes
          .filter(c => c.entityRef === ENTITY_REF)
          .at(-1);
        expect(last?.summary.accepted).toBe('True');
      });
      const listed = await record(request(server).get(api(`/${collection}`)));
      expect(listed.body.items.map((i: any) => i.name)).toContain(name);

      // Edit: a diff first, then the update with the versions just read; credentials are kept.
      const edited = withoutCredentialValues(body(edit(input)));
      const editDiff = await record(
        request(server).post(api('/diff')).send({ template, input: edited }),
      );
      const changedObjects = editDiff.body.objects.filter(
        (o: any) => o.action === 'update',
      );
      expect(changedObjects.length).toBeGreaterThan(0);
      expect(
        editDiff.body.objects
          .filter((o: any) => o.object.kind === 'Secret')
          .every((o: any) => o.action === 'unchanged'),
      ).toBe(true);
      const secretData = async () =>
        (await live('v1', 'Secret', `${name}-credentials`))?.data;
      const secretBefore = await secretData();
      expect(secretBefore === undefined).toBe(collection === 'routes');
      const updated = await record(
        request(server)
          .put(api(`/${collection}/${name}`))
          .send({ input: edited, resourceVersions: accepted.resourceVersions }),
      );
      expect(updated.status).toBe(200);
      expect(updated.body.revision).toBe(2);
      expect(await secretData()).toEqual(secretBefore);
      // A new generation: the controllers have not looked at it yet.
      const routeKind =
        collection === 'providers' ? 'AIGatewayRoute' : 'HTTPRoute';
      expect(
        updated.body.bundle.status.some(
          (s: any) => s.stale && s.accepted === 'Unknown',
        ),
      ).toBe(true);

      // The versions read before the edit are stale now: 409 naming what changed.
      const stale = await record(
        request(server)
          .put(api(`/${collection}/${name}`))
          .send({ input: edited, resourceVersions: accepted.resourceVersions }),
      );
      expect(stale.status).toBe(409);
      expect(stale.body.error.message).toMatch(
        /\/[a-z-]+ \(resourceVersion \d+ → \d+; changed: [^)]*spec\./,
      );

      // Export, change it, import it back.
      const exported = await record(
        request(server).get(api(`/export?bundle=${name}`)),
      );
      expect(exported.status).toBe(200);
      expect(exported.headers['content-type']).toContain('application/yaml');
      expect(exported.text).toContain(`kind: ${routeKind}`);
      expect(exported.text).not.toContain('resourceVersion');
      const docs = parseAllDocuments(exported.text).map(d => d.toJS());
      docs.find(d => d.kind === routeKind).spec.parentRefs[0].sectionName =
        'edited';
      const changedYaml = docs.map(d => stringify(d)).join('---\n');
      // The same YAML validates and diffs before it is imported.
      const yamlValid = await record(
        request(server).post(api('/validate')).send({ yaml: changedYaml }),
      );
      expect(yamlValid.body).toMatchObject({ valid: true, findings: [] });
      const yamlDiff = await record(
        request(server).post(api('/diff')).send({ yaml: changedYaml }),
      );
      expect(
        yamlDiff.body.objects.filter((o: any) => o.action !== 'unchanged'),
      ).toEqual([
        {
          object: expect.objectContaining({ kind: routeKind, name }),
          action: 'update',
          changes: [
            expect.objectContaining({
              path: 'spec.parentRefs[0].sectionName',
              after: 'edited',
            }),
          ],
        },
      ]);
      const imported = await record(
        request(server)
          .post(api('/import'))
          .set('content-type', 'application/yaml')
          .send(changedYaml),
      );
      expect(imported.status).toBe(200);
      expect(imported.body.items[0]).toMatchObject({
        revision: 3,
        bundle: { name },
      });
      const afterImport = await live(
        routeKind === 'HTTPRoute'
          ? 'gateway.networking.k8s.io/v1'
          : 'aigateway.envoyproxy.io/v1beta1',
        routeKind,
        name,
      );
      expect(afterImport.spec.parentRefs[0].sectionName).toBe('edited');
      expect(await secretData()).toEqual(secretBefore);

      // Roll back one step: the import's change is undone, the Secret stays.
      const rolledBack = await record(
        request(server)
          .post(api('/rollback'))
          .send({ type: collection === 'routes' ? 'route' : 'provider', name }),
      );
      expect(rolledBack.status).toBe(200);
      expect(rolledBack.body.revision).toBe(4);
      const afterRollback = await live(afterImport.apiVersion, routeKind, name);
      expect(afterRollback.spec.parentRefs[0].sectionName).toBe(
        input.parentGateway.sectionName,
      );
      expect(await secretData()).toEqual(secretBefore);
      const revisions = await record(
        request(server).get(api(`/revisions?bundle=${name}`)),
      );
      expect(
        revisions.body.items.map((r: any) => `${r.revision}:${r.action}`),
      ).toEqual(['4:rollback', '3:import', '2:update', '1:create']);
      expect(revisions.body.items[3].actor).toBe('user:default/mock');

      // Delete in reverse order; nothing is left.
      const deleted = await record(
        request(server).delete(api(`/${collection}/${name}`)),
      );
      expect(deleted.status).toBe(204);
      for (const object of bundle.objects as any[]) {
        expect(
          await live(object.apiVersion, object.kind, object.metadata.name),
        ).toBeUndefined();
      }
      const gone = await record(
        request(server).get(api(`/${collection}/${name}`)),
      );
      expect(gone.status).toBe(404);
    },
  );

  it('never puts a secret value in a response, a log line or an audit event', async () => {
    // Also a body that does not parse, which body-parser would otherwise quote.
    const broken = await record(
      request(testBackend())
        .post(`${ENTITY}/providers`)
        .set('content-type', 'application/json')
        .send(`{"credentials":{"apiKey":"${SECRETS.openaiKey}"`),
    );
    expect(broken.status).toBe(400);
    const values = Object.values(SECRETS).flatMap(v => [
      v,
      Buffer.from(v).toString('base64'),
      JSON.stringify(v).slice(1, -1),
    ]);
    const haystacks = {
      responses: responses.join('\n'),
      logs: backend.logLines.join('\n'),
      audits: JSON.stringify(backend.audits),
    };
    expect(responses.length).toBeGreaterThan(50);
    // The haystacks hold what they should: the service's own log lines, every change audited.
    expect(
      backend.logLines.some(l =>
        l.includes('Gateway create of openai (openai)'),
      ),
    ).toBe(true);
    expect(
      backend.audits.filter(a => a.eventId === 'gateway-create').length,
    ).toBeGreaterThanOrEqual(FLOWS.length);
    for (const [where, text] of Object.entries(haystacks)) {
      for (const value of values) {
        if (text.includes(value))
          throw new Error(`a secret value appears in ${where}`);
      }
    }
  });

  function testBackend() {
    return backend.server;
  }
});
