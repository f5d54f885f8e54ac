import request from 'supertest';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  type AuthorizePermissionRequest,
} from '@backstage/plugin-permission-common';
import type { Entity } from '@backstage/catalog-model';
import { migrateToLatest } from '../database/migrations';
import { AlertService } from '../alerts/AlertService';
import { AlertStore } from '../alerts/AlertStore';
import type { AlertNotifier } from '../alerts/AlertNotifier';
import { EntityAccess } from '../access/EntityAccess';
import { createAlertsRouter } from './alertsRouter';

/*
 * The alerts REST API through a real backend: httpRouter, auth, the error
 * handler, auditor and SQLite, with the permission decisions and the catalog
 * mocked. Only alerts wiring is mounted, as plugin.ts will mount it.
 */

function component(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default' },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  };
}

const HELLO = 'component:default/hello-http';
const SECRET = 'component:default/secret';

async function startBackend() {
  const context: {
    store?: AlertStore;
    changes: string[];
  } = { changes: [] };
  const notifier: AlertNotifier = {
    opened: async alert => {
      context.changes.push(`opened:${alert.id}`);
    },
    changed: async (event, alert) => {
      context.changes.push(`${event}:${alert.id}`);
    },
  };
  const auditor = mockServices.auditor.mock();
  // Read is allowed everywhere but on SECRET; updates only on HELLO.
  const permissions = mockServices.permissions.mock({
    authorize: async (requests: AuthorizePermissionRequest[]) =>
      requests.map(r => {
        const ref = (r as { resourceRef?: string }).resourceRef;
        const allowed =
          r.permission.name === 'runner.alert.read'
            ? ref !== SECRET
            : ref === HELLO;
        return {
          result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
        };
      }),
  });
  const testPlugin = createBackendPlugin({
    pluginId: 'runner',
    register(env) {
      env.registerInit({
        deps: {
          httpRouter: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
          permissions: coreServices.permissions,
          auditor: coreServices.auditor,
          database: coreServices.database,
          logger: coreServices.logger,
          catalog: catalogServiceRef,
        },
        async init(deps) {
          const knex = await deps.database.getClient();
          await migrateToLatest(knex);
          context.store = new AlertStore(knex);
          deps.httpRouter.use(
            createAlertsRouter({
              access: new EntityAccess(deps),
              alerts: new AlertService({
                store: context.store,
                notifier,
                logger: deps.logger,
              }),
            }),
          );
        },
      });
    },
  });
  const { server } = await startTestBackend({
    features: [
      testPlugin,
      catalogServiceMock.factory({
        entities: [component('hello-http'), component('secret')],
      }),
      permissions.factory,
      auditor.factory,
    ],
  });
  const seed = async (entityRef: string, rule: 'cpu' | 'oom') =>
    (
      await context.store!.open(
        {
          entityRef,
          instanceId: '00000000-0000-4000-8000-000000000001',
          rule,
          severity: 'high',
          firstSeen: new Date('2026-11-26T10:00:00Z'),
          at: new Date('2026-11-26T10:05:00Z'),
          message: `${rule} alert`,
          details: {},
        },
        false,
      )
    ).alert;
  return { server, seed, context, auditor };
}

describe('alerts API', () => {
  it('lists an entity’s alerts by state and acknowledges them, audited', async () => {
    const { server, seed, context, auditor } = await startBackend();
    const cpu = await seed(HELLO, 'cpu');
    const oom = await seed(HELLO, 'oom');
    await context.store!.resolve(oom.id, new Date('2026-11-26T10:06:00Z'));

    const open = await request(server).get(
      `/api/runner/alerts?entityRef=${encodeURIComponent(
        'Component:default/hello-http',
      )}`,
    );
    expect(open.status).toBe(200);
    expect(open.body.items.map((a: any) => a.id)).toEqual([cpu.id]);
    const all = await request(server).get(
      `/api/runner/alerts?entityRef=${HELLO}&state=all&limit=5`,
    );
    expect(all.body.items.map((a: any) => a.state)).toEqual([
      'open',
      'resolved',
    ]);

    const acked = await request(server).post(
      `/api/runner/alerts/${cpu.id}/acknowledge`,
    );
    expect(acked.status).toBe(200);
    expect(acked.body).toMatchObject({
      id: cpu.id,
      state: 'open',
      acknowledgedBy: 'user:default/mock',
    });
    expect(context.changes).toEqual([`acknowledged:${cpu.id}`]);
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'alert-acknowledge',
        meta: { alertId: cpu.id },
      }),
    );
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'alert-read',
        severityLevel: 'low',
        meta: { entityRef: HELLO, queryType: 'open' },
      }),
    );

    // Resolved alerts cannot be acknowledged.
    const conflict = await request(server).post(
      `/api/runner/alerts/${oom.id}/acknowledge`,
    );
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.message).toContain('resolved');
  });

  it.each([
    ['no entityRef', '/api/runner/alerts', 'entityRef: is required'],
    [
      'a partial entityRef',
      '/api/runner/alerts?entityRef=hello-http',
      'entityRef: must be a full entity ref',
    ],
    [
      'two entityRefs',
      `/api/runner/alerts?entityRef=${HELLO}&entityRef=${SECRET}`,
      'entityRef: must be one entity ref',
    ],
    [
      'an unknown state',
      `/api/runner/alerts?entityRef=${HELLO}&state=closed`,
      'state: must be open, resolved or all',
    ],
    [
      'a zero limit',
      `/api/runner/alerts?entityRef=${HELLO}&limit=0`,
      'limit: must be a whole number from 1 to 500',
    ],
    [
      'an unknown parameter',
      `/api/runner/alerts?entityRef=${HELLO}&severity=high`,
      'severity',
    ],
  ])('answers %s with a 400 naming the parameter', async (_, url, text) => {
    const { server } = await startBackend();
    const res = await request(server).get(url);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(text);
  });

  it('answers 400 for a malformed id, 404 for an unknown alert or entity, 403 when denied', async () => {
    const { server, seed, context } = await startBackend();
    const secret = await seed(SECRET, 'cpu');

    const malformed = await request(server).post(
      '/api/runner/alerts/nope/acknowledge',
    );
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toContain('id: must be an alert id');

    const unknown = await request(server).post(
      '/api/runner/alerts/00000000-0000-4000-8000-00000000dead/acknowledge',
    );
    expect(unknown.status).toBe(404);

    const noEntity = await request(server).get(
      '/api/runner/alerts?entityRef=component:default/nowhere',
    );
    expect(noEntity.status).toBe(404);
    expect(noEntity.body.error.message).toContain('No catalog entity');

    const denied = await request(server).get(
      `/api/runner/alerts?entityRef=${SECRET}`,
    );
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toContain('runner.alert.read');

    const notAcked = await request(server).post(
      `/api/runner/alerts/${secret.id}/acknowledge`,
    );
    expect(notAcked.status).toBe(403);
    expect(notAcked.body.error.message).toContain('runner.alert.update');
    expect(
      (await context.store!.get(secret.id)).acknowledgedBy,
    ).toBeUndefined();
    expect(context.changes).toEqual([]);
  });
});
