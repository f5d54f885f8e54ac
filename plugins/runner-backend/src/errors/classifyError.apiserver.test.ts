import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
} from '@kubernetes/client-node';
import { freePort } from '../kubernetes/__testUtils__/apiServerProcess';
import {
  apiServer,
  createTestNamespace,
  describeWithCluster,
  serviceAccountWithRules,
} from '../kubernetes/__testUtils__/testCluster';
import { classifyError } from './classifyError';

/*
 * client-node 1.4 for real, against the real API server: each refusal comes
 * as client-node builds it (ApiException with the raw Status body, or
 * node-fetch's FetchError), from a service account that may create and
 * replace HTTPRoutes in one namespace and nothing else.
 */

jest.setTimeout(60_000);

function client(server: string, token: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: 'dev',
        server,
        caData: Buffer.from(apiServer().caData).toString('base64'),
      },
    ],
    users: [{ name: 'runner', token }],
    contexts: [{ name: 'dev', cluster: 'dev', user: 'runner' }],
    currentContext: 'dev',
  });
  return kc;
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the API server to refuse');
}

describeWithCluster(
  'classifyError with client-node against the API server',
  () => {
    let allowed: { name: string; remove: () => Promise<void> };
    let denied: { name: string; remove: () => Promise<void> };
    let token: string;
    let api: CustomObjectsApi;
    const route = (hostnames = ['web.example.com']) => ({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'web' },
      spec: { parentRefs: [{ name: 'gw' }], hostnames },
    });
    const at = (namespace: string, body: object = route()) => ({
      group: 'gateway.networking.k8s.io',
      version: 'v1',
      namespace,
      plural: 'httproutes',
      body,
    });
    let context: {
      operation: 'kubernetes';
      cluster: string;
      secrets: string[];
    };

    beforeAll(async () => {
      allowed = await createTestNamespace('classify');
      denied = await createTestNamespace('classify-denied');
      token = (
        await serviceAccountWithRules({
          namespace: allowed.name,
          rules: [
            {
              apiGroups: ['gateway.networking.k8s.io'],
              resources: ['httproutes'],
              verbs: ['get', 'create', 'update'],
            },
          ],
        })
      ).token;
      context = { operation: 'kubernetes', cluster: 'dev', secrets: [token] };
      api = client(apiServer().url, token).makeApiClient(CustomObjectsApi);
      await api.createNamespacedCustomObject(at(allowed.name));
    });
    afterAll(async () => {
      await allowed.remove();
      await denied.remove();
    });

    it.each([
      [
        'RBAC denies create',
        'K8S_FORBIDDEN',
        () => api.createNamespacedCustomObject(at(denied.name)),
        'cannot create resource "httproutes"',
      ],
      [
        'the name is taken',
        'K8S_ALREADY_EXISTS',
        () => api.createNamespacedCustomObject(at(allowed.name)),
        '"web" already exists',
      ],
      [
        'the object is invalid',
        'K8S_INVALID',
        () =>
          api.createNamespacedCustomObject(
            at(allowed.name, {
              ...route(['UPPER.example.com']),
              metadata: { name: 'bad' },
            }),
          ),
        'spec.hostnames[0]',
      ],
      [
        'the object changed meanwhile',
        'K8S_CONFLICT',
        () =>
          api.replaceNamespacedCustomObject({
            ...at(allowed.name, {
              ...route(),
              metadata: { name: 'web', resourceVersion: '1' },
            }),
            name: 'web',
          }),
        'the object has been modified',
      ],
    ])('%s → %s', async (_, code, call, says) => {
      const result = classifyError(await caught(call()), context);
      expect(result.code).toBe(code);
      expect(result.userMessage).toContain(says);
      expect(JSON.stringify(result)).not.toContain(token);
    });

    it('a missing object is K8S_NOT_FOUND', async () => {
      const error = await caught(
        api.getNamespacedCustomObject({
          group: 'gateway.networking.k8s.io',
          version: 'v1',
          namespace: allowed.name,
          plural: 'httproutes',
          name: 'nothing-here',
        }),
      );
      expect(classifyError(error, context).code).toBe('K8S_NOT_FOUND');
    });

    it('a rejected token is K8S_UNAUTHORIZED, and the token never shows', async () => {
      const stale = `${token}x`;
      const error = await caught(
        client(apiServer().url, stale)
          .makeApiClient(CoreV1Api)
          .readNamespace({ name: allowed.name }),
      );
      const result = classifyError(error, { ...context, secrets: [stale] });
      expect(result).toMatchObject({
        code: 'K8S_UNAUTHORIZED',
        recoverable: false,
      });
      expect(result.remediation).toContain('cluster `dev`');
      expect(JSON.stringify(result)).not.toContain(token.slice(-20));
    });

    it('an API server that is not listening is K8S_UNREACHABLE', async () => {
      const error = await caught(
        client(`https://127.0.0.1:${await freePort()}`, token)
          .makeApiClient(CoreV1Api)
          .listNamespace(),
      );
      expect(classifyError(error, context)).toMatchObject({
        code: 'K8S_UNREACHABLE',
        recoverable: true,
        origin: 'platform',
      });
    });
  },
);
