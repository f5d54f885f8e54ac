import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import { parseAllDocuments, stringify } from 'yaml';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { migrateToLatest } from '../../database/migrations';
import { KubernetesTestServer } from '../../kubernetes/testing/KubernetesTestServer';
import { gatewayEntity } from '../__testUtils__/gatewayBackend';
import { sharedCrdRegistry, sharedCrdsDir } from '../__testUtils__/shared';
import { SECRETS, openAIInput } from '../__testUtils__/templateInputs';
import {
  createGatewayServices,
  type GatewayServices,
} from './createGatewayServices';

/*
 * The change semantics of GatewayService that the REST flows do not reach:
 * a partial import, an edit that changes the credential type without new
 * values, rollbacks with nothing (or only a deletion) to go back to, and
 * the watch cache staying quiet after close().
 */

jest.setTimeout(60_000);

const entity = gatewayEntity('hello-http');
const databases = createTestDatabases();
const { namespace: _n, entityRef: _e, ...body } = openAIInput;

describe('GatewayService changes', () => {
  let kube: KubernetesTestServer;
  let services: GatewayServices;

  beforeAll(async () => {
    const crds = (await sharedCrdRegistry())
      .customResourceDefinitions()
      .map(c => c.crd);
    kube = await KubernetesTestServer.start({ crds, namespaces: ['team-a'] });
    const knex = await databases.init('SQLITE_3');
    await migrateToLatest(knex);
    services = createGatewayServices({
      config: new ConfigReader({
        runner: { gateway: { crdDirectories: [sharedCrdsDir()] } },
      }),
      kubernetes: {
        clusters: [kube.clusterConfig('one')],
        defaultCluster: 'one',
      },
      knex,
      logger: mockServices.logger.mock(),
      backoff: { initialMs: 50, maxMs: 200 },
    });
    services.start();
  });
  afterAll(() => kube.stop());

  it('imports part of a bundle without deleting the rest, checking rules against the whole bundle', async () => {
    const { gateway } = services;
    await gateway.create(entity, 'provider', body, 'user:default/ada');
    const before = kube.list(
      'aigateway.envoyproxy.io/v1beta1',
      'AIServiceBackend',
      'team-a',
    )[0].metadata.resourceVersion;
    const docs = parseAllDocuments(
      await gateway.exportYaml(entity, 'openai'),
    ).map(d => d.toJS());
    const route = docs.find(d => d.kind === 'AIGatewayRoute');
    route.spec.hostnames = ['only-the-route.example.com'];
    const [result] = await gateway.importYaml(entity, stringify(route), {});
    expect(result.bundle.objects.map((o: any) => o.kind)).toEqual([
      'Secret',
      'Backend',
      'BackendTLSPolicy',
      'AIServiceBackend',
      'BackendSecurityPolicy',
      'AIGatewayRoute',
    ]);
    expect(
      kube.list(
        'aigateway.envoyproxy.io/v1beta1',
        'AIServiceBackend',
        'team-a',
      )[0].metadata.resourceVersion,
    ).toBe(before);
    expect(
      kube.get(
        'aigateway.envoyproxy.io/v1beta1',
        'AIGatewayRoute',
        'team-a',
        'openai',
      )!.spec.hostnames,
    ).toEqual(['only-the-route.example.com']);
  });

  it('refuses an edit that changes the credential type without sending the new values', async () => {
    const { gateway } = services;
    const current = await gateway.get(entity, 'provider', 'openai');
    const sameType = await gateway
      .update(entity, 'provider', 'openai', {
        input: {
          ...body,
          credentials: { type: 'apiKey' },
          hostname: 'api.example.com',
        },
        resourceVersions: current.resourceVersions,
      })
      .then(
        () => undefined,
        e => e,
      );
    // Same type, kept values: accepted.
    expect(sameType).toBeUndefined();
    const after = await gateway.get(entity, 'provider', 'openai');
    const aws = await gateway
      .update(entity, 'provider', 'openai', {
        input: {
          ...body,
          provider: 'aws-bedrock',
          region: 'us-east-1',
          credentials: { type: 'accessKey' },
        },
        resourceVersions: after.resourceVersions,
      })
      .catch(e => e);
    expect(aws).toMatchObject({ statusCode: 422 });
    expect(JSON.stringify(aws.findings)).toContain(
      'has no credentials key; send the credentials',
    );
  });

  it('rolls back one step at a time, never to before the bundle existed or to its deletion', async () => {
    const { gateway } = services;
    const history = await gateway.revisions(entity, 'openai');
    expect(history.map(r => r.action)).toEqual(['update', 'import', 'create']);
    const rolled = await gateway.rollback(entity, 'provider', 'openai');
    expect(rolled.revision).toBe(4);
    expect(
      kube.get('gateway.envoyproxy.io/v1alpha1', 'Backend', 'team-a', 'openai')!
        .spec.endpoints[0].fqdn.hostname,
    ).toBe('api.openai.com');
    const secret = kube.get('v1', 'Secret', 'team-a', 'openai-credentials')!;
    expect(Buffer.from(secret.data.apiKey, 'base64').toString()).toBe(
      SECRETS.openaiKey,
    );

    await gateway.delete(entity, 'provider', 'openai');
    // Back to before the deletion: the Secret's values were never stored, so they cannot come back.
    const undelete = await gateway
      .rollback(entity, 'provider', 'openai')
      .catch(e => e);
    expect(undelete).toMatchObject({ statusCode: 422 });
    expect(JSON.stringify(undelete.findings)).toContain(
      'does not exist in the cluster',
    );
    await gateway.create(entity, 'provider', body);
    // The revision before the new create is the deletion.
    await expect(
      gateway.rollback(entity, 'provider', 'openai'),
    ).rejects.toThrow('is its deletion');
    await gateway.delete(entity, 'provider', 'openai');
  });

  it('leaves no watch open after close()', async () => {
    await services.close();
    // close() aborted every watch: the server sees each connection go.
    const deadline = Date.now() + 3000;
    while (kube.openWatches > 0 && Date.now() < deadline) {
      await new Promise(r => setTimeout(r, 20));
    }
    expect(kube.openWatches).toBe(0);
  });
});
