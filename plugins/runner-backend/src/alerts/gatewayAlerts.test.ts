import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { migrateToLatest } from '../database/migrations';
import { acceptBundle } from '../gateway/__testUtils__/controllerStatus';
import { gatewayEntity } from '../gateway/__testUtils__/gatewayBackend';
import {
  gatewayTestCluster,
  type GatewayTestCluster,
} from '../gateway/__testUtils__/gatewayRbac';
import { sharedCrdsDir } from '../gateway/__testUtils__/shared';
import { httpRouteInput } from '../gateway/__testUtils__/templateInputs';
import {
  createGatewayServices,
  type GatewayServices,
} from '../gateway/service/createGatewayServices';
import { adminObjects } from '../kubernetes/__testUtils__/adminObjects';
import { eventually } from '../kubernetes/__testUtils__/routes';
import {
  describeWithCluster,
  uniqueName,
} from '../kubernetes/__testUtils__/testCluster';
import { createAlerts } from './wiring';

/*
 * Gateway alerts through the wiring the plugin uses (createAlerts' gateway
 * hooks on createGatewayServices' onChange and onDeleted), against the real
 * cluster: a route the controller does not accept raises
 * gateway-not-accepted (status written by the test, as the controller
 * would), and the alert resolves when the route is deleted — by the plugin,
 * or by anyone else straight in the cluster, which only the watch sees.
 */

jest.setTimeout(90_000);

const databases = createTestDatabases();

describeWithCluster('gateway-not-accepted alerts', () => {
  let kube: GatewayTestCluster;
  let services: GatewayServices;
  let knex: Awaited<ReturnType<typeof databases.init>>;
  const name = uniqueName('alerted');
  const entityRef = `component:default/${name}`;
  let entity: ReturnType<typeof gatewayEntity>;

  beforeAll(async () => {
    kube = await gatewayTestCluster('gw-alerts');
    entity = gatewayEntity(name, kube.namespace);
    knex = await databases.init('SQLITE_3');
    await migrateToLatest(knex);
    const config = new ConfigReader({
      runner: {
        gateway: { crdDirectories: [sharedCrdsDir()] },
        alerts: { rules: { 'gateway-not-accepted': { duration: '0s' } } },
      },
    });
    const logger = mockServices.logger.mock();
    const alerts = createAlerts({
      config,
      knex,
      logger,
      scheduler: mockServices.scheduler.mock(),
      signals: { publish: async () => undefined },
      entityOf: async () => entity,
      configOf: () => undefined,
    });
    services = createGatewayServices({
      config,
      kubernetes: { clusters: [kube.cluster('one')], defaultCluster: 'one' },
      knex,
      logger,
      backoff: { initialMs: 50, maxMs: 200 },
      onDeleted: alerts.onGatewayDeleted,
      onChange: alerts.onGatewaySummary,
    });
    services.start();
  });
  afterAll(async () => {
    await services.close();
    await kube.remove();
  });

  const alertOf = async (route: string) =>
    knex('alerts')
      .where({
        entity_ref: entityRef,
        rule: 'gateway-not-accepted',
        resource_ref: `HTTPRoute/${kube.namespace}/${route}`,
      })
      .first();

  async function rejectedRoute(route: string) {
    const { namespace: _n, entityRef: _e, ...input } = httpRouteInput;
    const created = await services.gateway.create(entity, 'route', {
      ...input,
      name: route,
      hostnames: [`${route}.example.com`],
    });
    await acceptBundle(created.bundle.objects as any[], false);
    await eventually(async () => {
      expect((await alertOf(route))?.state).toBe('open');
    });
  }

  it('resolves the alert of a route the plugin deletes', async () => {
    await rejectedRoute('by-plugin');
    await services.gateway.delete(entity, 'route', 'by-plugin');
    await eventually(async () => {
      const alert = await alertOf('by-plugin');
      expect(alert.state).toBe('resolved');
      expect(JSON.parse(alert.details).resolution).toBe('resource removed');
    });
  });

  it('resolves the alert of a route someone deletes in the cluster', async () => {
    await rejectedRoute('by-kubectl');
    await adminObjects().delete({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'by-kubectl', namespace: kube.namespace },
    });
    await eventually(async () => {
      expect((await alertOf('by-kubectl')).state).toBe('resolved');
    });
  });
});
