import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import { parseAllDocuments, stringify } from 'yaml';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { migrateToLatest } from '../../database/migrations';
import {
  listObjects,
  readObject,
} from '../../kubernetes/__testUtils__/adminObjects';
import { eventually } from '../../kubernetes/__testUtils__/routes';
import {
  startTcpProxy,
  type TcpProxy,
} from '../../kubernetes/__testUtils__/tcpProxy';
import {
  apiServer,
  describeWithCluster,
  uniqueName,
} from '../../kubernetes/__testUtils__/testCluster';
import { gatewayEntity } from '../__testUtils__/gatewayBackend';
import {
  gatewayTestCluster,
  type GatewayTestCluster,
} from '../__testUtils__/gatewayRbac';
import { sharedCrdsDir } from '../__testUtils__/shared';
import { SECRETS, openAIInput } from '../__testUtils__/templateInputs';
import {
  createGatewayServices,
  type GatewayServices,
} from './createGatewayServices';

/*
 * The change semantics of GatewayService that the REST flows do not reach:
 * a partial import, an edit that changes the credential type without new
 * values, rollbacks with nothing (or only a deletion) to go back to, and
 * the watch cache staying quiet after close(). Against the real API server,
 * as a service account with the RBAC of docs/kubernetes-rbac.md, through a
 * TCP proxy that counts the connections the plugin keeps open.
 */

jest.setTimeout(60_000);

const databases = createTestDatabases();
const { namespace: _n, entityRef: _e, ...body } = openAIInput;

describeWithCluster('GatewayService changes', () => {
  let kube: GatewayTestCluster;
  let proxy: TcpProxy;
  let services: GatewayServices;
  let entity: ReturnType<typeof gatewayEntity>;
  const ref = (apiVersion: string, kind: string, name: string) =>
    readObject({ apiVersion, kind, namespace: kube.namespace, name });

  beforeAll(async () => {
    kube = await gatewayTestCluster('gw-writes');
    entity = gatewayEntity(uniqueName('hello'), kube.namespace);
    const { hostname, port } = new URL(apiServer().url);
    proxy = await startTcpProxy({ host: hostname, port: Number(port) });
    const knex = await databases.init('SQLITE_3');
    await migrateToLatest(knex);
    services = createGatewayServices({
      config: new ConfigReader({
        runner: { gateway: { crdDirectories: [sharedCrdsDir()] } },
      }),
      kubernetes: {
        clusters: [kube.cluster('one', { url: proxy.url })],
        defaultCluster: 'one',
      },
      knex,
      logger: mockServices.logger.mock(),
      backoff: { initialMs: 50, maxMs: 200 },
    });
    services.start();
  });
  afterAll(async () => {
    await services.close();
    await proxy.close();
    await kube.remove();
  });

  it('imports part of a bundle without deleting the rest, checking rules against the whole bundle', async () => {
    const { gateway } = services;
    await gateway.create(entity, 'provider', body, 'user:default/ada');
    const backends = () =>
      listObjects(
        'aigateway.envoyproxy.io/v1beta1',
        'AIServiceBackend',
        kube.namespace,
      );
    const before = (await backends())[0].metadata.resourceVersion;
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
    expect((await backends())[0].metadata.resourceVersion).toBe(before);
    expect(
      (await ref('aigateway.envoyproxy.io/v1beta1', 'AIGatewayRoute', 'openai'))
        .spec.hostnames,
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
      (await ref('gateway.envoyproxy.io/v1alpha1', 'Backend', 'openai')).spec
        .endpoints[0].fqdn.hostname,
    ).toBe('api.openai.com');
    const secret = await ref('v1', 'Secret', 'openai-credentials');
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

  it('leaves no connection open after close()', async () => {
    // A watch per managed kind, each on a connection of its own.
    expect(proxy.open).toBeGreaterThanOrEqual(7);
    await services.close();
    // close() aborted every watch: each connection goes.
    await eventually(() => expect(proxy.open).toBe(0), 5000);
  });
});
