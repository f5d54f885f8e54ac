import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { migrateDownAll, migrateToLatest } from '../../database/migrations';
import { SECRETS } from '../__testUtils__/templateInputs';
import { GatewayRevisionStore } from './GatewayRevisionStore';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const secret = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'openai-credentials', namespace: 'team-a' },
  stringData: { apiKey: SECRETS.openaiKey },
  data: { other: Buffer.from(SECRETS.azureKey).toString('base64') },
};
const route = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'web', namespace: 'team-a', resourceVersion: '1007' },
  spec: { hostnames: ['web.example.com'] },
};

describe.each(databases.eachSupportedId())(
  'GatewayRevisionStore on %s',
  databaseId => {
    it('numbers revisions per bundle, stores no secret value, lists newest first, and migrates down', async () => {
      const knex = await databases.init(databaseId);
      await migrateToLatest(knex);
      const store = new GatewayRevisionStore(knex);
      const base = {
        entityRef: 'component:default/hello-http',
        template: 'openai',
        cluster: 'one',
      };

      const first = await store.record({
        ...base,
        bundle: 'openai',
        action: 'create',
        objects: [secret as any],
        actor: 'user:default/ada',
      });
      const [second, other] = await Promise.all([
        store.record({
          ...base,
          bundle: 'openai',
          action: 'update',
          objects: [secret as any],
        }),
        store.record({
          ...base,
          bundle: 'web',
          template: 'httproute',
          action: 'create',
          objects: [route as any],
        }),
      ]);
      expect([first.revision, second.revision, other.revision]).toEqual([
        1, 2, 1,
      ]);
      expect(first).toMatchObject({
        actor: 'user:default/ada',
        action: 'create',
        cluster: 'one',
      });
      expect(new Date(first.createdAt).getTime()).not.toBeNaN();

      const raw = JSON.stringify(await knex('gateway_revisions').select());
      for (const value of [
        SECRETS.openaiKey,
        SECRETS.azureKey,
        Buffer.from(SECRETS.azureKey).toString('base64'),
      ]) {
        expect(raw).not.toContain(value);
      }
      expect(first.objects[0]).toMatchObject({
        stringData: { apiKey: 'set', other: 'set' },
      });

      const history = await store.list(base.entityRef, 'openai');
      expect(history.map(r => r.revision)).toEqual([2, 1]);
      expect(
        (await store.list(base.entityRef)).map(
          r => `${r.bundle}#${r.revision}`,
        ),
      ).toEqual(['openai#2', 'openai#1', 'web#1']);
      const at = (rv: string) =>
        store.findObjectAt(base.entityRef, 'web', 'HTTPRoute', 'web', rv);
      expect(await at('1007')).toMatchObject({ spec: route.spec });
      // A later version (a controller wrote status) still had the recorded spec.
      expect(await at('1010')).toMatchObject({ spec: route.spec });
      expect(await at('1')).toBeUndefined();

      await migrateDownAll(knex);
      expect(await knex.schema.hasTable('gateway_revisions')).toBe(false);
    });
  },
);
