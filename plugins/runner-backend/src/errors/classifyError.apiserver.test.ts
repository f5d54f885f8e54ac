import http from 'node:http';
import net from 'node:net';
import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
} from '@kubernetes/client-node';
import { classifyError } from './classifyError';

/*
 * client-node 1.4 for real, against a stand-in API server (no Kubernetes API
 * server can run on these machines; see docs/architecture.md). The stand-in
 * answers with Status bodies whose messages follow apimachinery's format
 * strings, so the errors reach the classifier exactly as client-node builds
 * them: ApiException with the raw body text, or node-fetch's FetchError.
 */
const TOKEN =
  'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6YmFja3N0YWdlOnJ1bm5lciJ9.c2lnbmF0dXJl';
const ROUTES = '/apis/gateway.networking.k8s.io/v1/namespaces';

function status(
  code: number,
  reason: string,
  message: string,
  details?: object,
) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    details,
    code,
  };
}

function answer(req: http.IncomingMessage): [number, object] {
  if (req.headers.authorization !== `Bearer ${TOKEN}`) {
    return [401, status(401, 'Unauthorized', 'Unauthorized')];
  }
  const url = req.url ?? '';
  if (req.method === 'POST' && url === `${ROUTES}/team-a/httproutes`) {
    return [
      403,
      status(
        403,
        'Forbidden',
        'httproutes.gateway.networking.k8s.io is forbidden: User "system:serviceaccount:backstage:runner" cannot create resource "httproutes" in API group "gateway.networking.k8s.io" in the namespace "team-a"',
        { group: 'gateway.networking.k8s.io', kind: 'httproutes' },
      ),
    ];
  }
  if (req.method === 'POST' && url === `${ROUTES}/team-b/httproutes`) {
    return [
      409,
      status(
        409,
        'AlreadyExists',
        'httproutes.gateway.networking.k8s.io "web" already exists',
        { name: 'web' },
      ),
    ];
  }
  if (req.method === 'POST' && url === `${ROUTES}/team-c/httproutes`) {
    return [
      422,
      status(
        422,
        'Invalid',
        'HTTPRoute.gateway.networking.k8s.io "web" is invalid: spec.parentRefs[0].name: Required value',
        {
          name: 'web',
          kind: 'HTTPRoute',
          causes: [
            {
              reason: 'FieldValueRequired',
              message: 'Required value',
              field: 'spec.parentRefs[0].name',
            },
          ],
        },
      ),
    ];
  }
  if (req.method === 'PUT' && url === `${ROUTES}/team-b/httproutes/web`) {
    return [
      409,
      status(
        409,
        'Conflict',
        'Operation cannot be fulfilled on httproutes.gateway.networking.k8s.io "web": the object has been modified; please apply your changes to the latest version and try again',
        { name: 'web' },
      ),
    ];
  }
  return [
    404,
    status(404, 'NotFound', `namespaces "${url.split('/').pop()}" not found`),
  ];
}

function client(server: string, token = TOKEN): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    // client-node refuses plain HTTP unless TLS verification is off.
    clusters: [{ name: 'dev', server, skipTLSVerify: true }],
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

describe('classifyError with client-node against a stand-in API server', () => {
  let server: http.Server;
  let url: string;
  const route = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'web' },
    spec: {},
  };
  const at = (namespace: string) => ({
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    namespace,
    plural: 'httproutes',
    body: route,
  });
  const context = {
    operation: 'kubernetes' as const,
    cluster: 'dev',
    secrets: [TOKEN],
  };

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const [code, body] = answer(req);
        res.writeHead(code, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  });
  afterAll(() => new Promise(resolve => server.close(resolve)));

  it.each([
    [
      'RBAC denies create',
      'K8S_FORBIDDEN',
      (api: CustomObjectsApi) => api.createNamespacedCustomObject(at('team-a')),
      'cannot create resource "httproutes"',
    ],
    [
      'the name is taken',
      'K8S_ALREADY_EXISTS',
      (api: CustomObjectsApi) => api.createNamespacedCustomObject(at('team-b')),
      '"web" already exists',
    ],
    [
      'the object is invalid',
      'K8S_INVALID',
      (api: CustomObjectsApi) => api.createNamespacedCustomObject(at('team-c')),
      'spec.parentRefs[0].name',
    ],
    [
      'the object changed meanwhile',
      'K8S_CONFLICT',
      (api: CustomObjectsApi) =>
        api.replaceNamespacedCustomObject({ ...at('team-b'), name: 'web' }),
      'the object has been modified',
    ],
  ])('%s → %s', async (_, code, call, says) => {
    const error = await caught(
      call(client(url).makeApiClient(CustomObjectsApi)),
    );
    const result = classifyError(error, context);
    expect(result.code).toBe(code);
    expect(result.userMessage).toContain(says);
    expect(JSON.stringify(result)).not.toContain(TOKEN);
  });

  it('a missing namespace is K8S_NOT_FOUND', async () => {
    const error = await caught(
      client(url).makeApiClient(CoreV1Api).readNamespace({ name: 'team-z' }),
    );
    expect(classifyError(error, context).code).toBe('K8S_NOT_FOUND');
  });

  it('a rejected token is K8S_UNAUTHORIZED, and the token never shows', async () => {
    const stale = `${TOKEN}x`;
    const error = await caught(
      client(url, stale)
        .makeApiClient(CoreV1Api)
        .readNamespace({ name: 'team-a' }),
    );
    const result = classifyError(error, { ...context, secrets: [stale] });
    expect(result).toMatchObject({
      code: 'K8S_UNAUTHORIZED',
      recoverable: false,
    });
    expect(result.remediation).toContain('cluster `dev`');
    expect(JSON.stringify(result)).not.toContain('c2lnbmF0dXJl');
  });

  it('an API server that is not listening is K8S_UNREACHABLE', async () => {
    const closed = net.createServer();
    await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise(resolve => closed.close(resolve));
    const error = await caught(
      client(`http://127.0.0.1:${port}`)
        .makeApiClient(CoreV1Api)
        .listNamespace(),
    );
    expect(classifyError(error, context)).toMatchObject({
      code: 'K8S_UNREACHABLE',
      recoverable: true,
      origin: 'platform',
    });
  });
});
