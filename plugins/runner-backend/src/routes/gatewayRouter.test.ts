import request from 'supertest';
import { parseAllDocuments, stringify } from 'yaml';
import type { GatewayBundleView } from '@internal/plugin-runner-common';
import { acceptBundle } from '../gateway/__testUtils__/controllerStatus';
import {
  gatewayEntity,
  startGatewayBackend,
  type GatewayBackend,
} from '../gateway/__testUtils__/gatewayBackend';
import { sharedCrdRegistry } from '../gateway/__testUtils__/shared';
import {
  SECRETS,
  awsAccessKeyInput,
  azureKeyInput,
  gcpKeyInput,
  httpRouteInput,
  openAIInput,
} from '../gateway/__testUtils__/templateInputs';
import { KubernetesTestServer } from '../kubernetes/testing/KubernetesTestServer';

/*
 * The gateway REST API end to end against the in-process stand-in API
 * server (no real one can run here), through the plugin's real client
 * (client-node): every provider bundle and an HTTPRoute created, validated,
 * diffed, applied, watched to Accepted, edited, exported, imported, rolled
 * back and deleted; then a scan of every response, log line and audit event
 * for secret values.
 */

jest.setTimeout(120_000);

const ENTITY = '/api/runner/entities/component/default/hello-http/gateway';
const responses: string[] = [];

async function record<T extends request.Response>(
  pending: Promise<T>,
): Promise<T> {
  const res = await pending;
  responses.push(res.text ?? '');
  return res;
}

async function eventually<T>(
  check: () => Promise<T>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise(r => setTimeout(r, 50));
    }
  }
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

describe('gateway REST API against the test API server', () => {
  let kube: KubernetesTestServer;
  let backend: GatewayBackend;

  beforeAll(async () => {
    const crds = (await sharedCrdRegistry())
      .customResourceDefinitions()
      .map(c => c.crd);
    kube = await KubernetesTestServer.start({
      crds,
      namespaces: ['team-a', 'envoy-gateway-system'],
    });
    backend = await startGatewayBackend({
      clusters: [kube.clusterConfig('one')],
      entities: [gatewayEntity('hello-http'), gatewayEntity('other-team')],
    });
  });
  afterAll(() => kube.stop());

  it.each(FLOWS)(
    '%s: validate, diff, create, Accepted, edit, conflict, export, import, rollback, delete',
    async (template, collection, input, edit) => {
      const api = (path = '') => `${ENTITY}${path}`;
      const name = input.name;
      const server = backend.server;

      // Validate: all three layers, nothing stored.
      const rvBefore = kube.resourceVersion;
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
      expect(kube.requests.some(r => r.query.dryRun === 'All')).toBe(true);
      expect(kube.resourceVersion).toBe(rvBefore);

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
        namespace: 'team-a',
        type: collection === 'routes' ? 'route' : 'provider',
      });
      for (const object of bundle.objects as any[]) {
        expect(
          kube.get(
            object.apiVersion,
            object.kind,
            'team-a',
            object.metadata.name,
          ),
        ).toBeDefined();
      }
      // Providers show their Secret's keys as "set"; a route has no Secret.
      expect(bundle.secrets.length).toBe(collection === 'providers' ? 1 : 0);
      expect(
        bundle.secrets.flatMap(secret => Object.values(secret.keys)),
      ).not.toContain('not set');

      // Controllers accept it; the watch cache and onChange see it.
      acceptBundle(kube, bundle.objects as any[]);
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
          .filter(c => c.entityRef === 'component:default/hello-http')
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
      const secretData = () =>
        kube.get('v1', 'Secret', 'team-a', `${name}-credentials`)?.data;
      const secretBefore = secretData();
      expect(secretBefore === undefined).toBe(collection === 'routes');
      const updated = await record(
        request(server)
          .put(api(`/${collection}/${name}`))
          .send({ input: edited, resourceVersions: accepted.resourceVersions }),
      );
      expect(updated.status).toBe(200);
      expect(updated.body.revision).toBe(2);
      expect(secretData()).toEqual(secretBefore);
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
      const afterImport = kube.get(
        routeKind === 'HTTPRoute'
          ? 'gateway.networking.k8s.io/v1'
          : 'aigateway.envoyproxy.io/v1beta1',
        routeKind,
        'team-a',
        name,
      )!;
      expect(afterImport.spec.parentRefs[0].sectionName).toBe('edited');
      expect(secretData()).toEqual(secretBefore);

      // Roll back one step: the import's change is undone, the Secret stays.
      const rolledBack = await record(
        request(server)
          .post(api('/rollback'))
          .send({ type: collection === 'routes' ? 'route' : 'provider', name }),
      );
      expect(rolledBack.status).toBe(200);
      expect(rolledBack.body.revision).toBe(4);
      const afterRollback = kube.get(
        afterImport.apiVersion,
        routeKind,
        'team-a',
        name,
      )!;
      expect(afterRollback.spec.parentRefs[0].sectionName).toBe(
        input.parentGateway.sectionName,
      );
      expect(secretData()).toEqual(secretBefore);
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
          kube.get(
            object.apiVersion,
            object.kind,
            'team-a',
            object.metadata.name,
          ),
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
