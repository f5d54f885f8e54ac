/*
 * client-node 1.4 errors: FetchErrors captured against closed ports, unknown
 * hosts and a self-signed server; ApiExceptions built the way its generated
 * APIs build them, around Status bodies in apimachinery's formats.
 */
import { ApiException } from '@kubernetes/client-node';
import { isCategorizedError } from '@internal/plugin-runner-common';
import { classifyError } from './classifyError';
import { fetchError, type Row } from './__testUtils__/errorShapes';

/**
 * A Status body as the API server sends it; messages follow the format
 * strings of k8s.io/apimachinery/pkg/api/errors/errors.go (NewForbidden,
 * NewConflict, NewAlreadyExists, NewInvalid, NewNotFound, NewResourceExpired,
 * NewInternalError) and apiserver's responsewriters/errors.go (forbiddenMessage).
 */
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

/** client-node 1.4's ApiException, as its generated APIs throw it: the body is the raw response text. */
function apiException(code: number, body: object | undefined) {
  return new ApiException(
    code,
    'Unknown API Status Code!',
    body && JSON.stringify(body),
    {
      'content-type': 'application/json',
      'audit-id': '8c1f0c36-6f8e-4c5e-9f1e-2b9d0b8f4a11',
    },
  );
}

const rows: Row[] = [
  // client-node 1.4 CoreV1Api.listNamespace against https://127.0.0.1:1
  {
    from: 'client-node: refused',
    error: fetchError(
      'request to https://127.0.0.1:1/api/v1/namespaces failed, reason: connect ECONNREFUSED 127.0.0.1:1',
      'ECONNREFUSED',
    ),
    op: 'kubernetes',
    code: 'K8S_UNREACHABLE',
  },
  // the same, no operation given: the API path gives it away
  {
    from: 'client-node: refused, no operation',
    error: fetchError(
      'request to https://127.0.0.1:1/api/v1/namespaces failed, reason: connect ECONNREFUSED 127.0.0.1:1',
      'ECONNREFUSED',
    ),
    code: 'K8S_UNREACHABLE',
  },
  // client-node 1.4 against https://k8s.invalid:6443
  {
    from: 'client-node: DNS',
    error: fetchError(
      'request to https://k8s.invalid:6443/api/v1/namespaces failed, reason: getaddrinfo ENOTFOUND k8s.invalid',
      'ENOTFOUND',
    ),
    op: 'kubernetes',
    code: 'K8S_UNREACHABLE',
  },
  // client-node 1.4 against a local HTTPS server with a self-signed certificate
  {
    from: 'client-node: self-signed',
    error: fetchError(
      'request to https://127.0.0.1:18771/api/v1/namespaces failed, reason: self-signed certificate',
      'DEPTH_ZERO_SELF_SIGNED_CERT',
    ),
    op: 'kubernetes',
    code: 'K8S_UNREACHABLE',
    says: 'caData or caFile',
  },
  {
    from: 'apiserver: RBAC',
    error: apiException(
      403,
      status(
        403,
        'Forbidden',
        'httproutes.gateway.networking.k8s.io is forbidden: User "system:serviceaccount:backstage:runner" cannot create resource "httproutes" in API group "gateway.networking.k8s.io" in the namespace "team-a"',
        { group: 'gateway.networking.k8s.io', kind: 'httproutes' },
      ),
    ),
    op: 'kubernetes',
    code: 'K8S_FORBIDDEN',
    says: 'cannot create resource "httproutes"',
  },
  {
    from: 'apiserver: optimistic lock',
    error: apiException(
      409,
      status(
        409,
        'Conflict',
        'Operation cannot be fulfilled on httproutes.gateway.networking.k8s.io "web": the object has been modified; please apply your changes to the latest version and try again',
        { name: 'web', group: 'gateway.networking.k8s.io', kind: 'httproutes' },
      ),
    ),
    op: 'kubernetes',
    code: 'K8S_CONFLICT',
  },
  {
    from: 'apiserver: already exists',
    error: apiException(
      409,
      status(
        409,
        'AlreadyExists',
        'httproutes.gateway.networking.k8s.io "web" already exists',
        { name: 'web', group: 'gateway.networking.k8s.io', kind: 'httproutes' },
      ),
    ),
    op: 'kubernetes',
    code: 'K8S_ALREADY_EXISTS',
  },
  {
    from: 'apiserver: invalid',
    error: apiException(
      422,
      status(
        422,
        'Invalid',
        'HTTPRoute.gateway.networking.k8s.io "web" is invalid: spec.parentRefs[0].name: Required value',
        {
          name: 'web',
          group: 'gateway.networking.k8s.io',
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
    ),
    op: 'kubernetes',
    code: 'K8S_INVALID',
    says: 'spec.parentRefs[0].name',
  },
  {
    from: 'apiserver: namespace missing',
    error: apiException(
      404,
      status(404, 'NotFound', 'namespaces "team-a" not found', {
        name: 'team-a',
        kind: 'namespaces',
      }),
    ),
    op: 'kubernetes',
    code: 'K8S_NOT_FOUND',
  },
  // NewGenericServerResponse(404): a resource type the server does not serve (CRD missing)
  {
    from: 'apiserver: CRD missing',
    error: apiException(
      404,
      status(
        404,
        'NotFound',
        'the server could not find the requested resource',
      ),
    ),
    op: 'kubernetes',
    code: 'K8S_NOT_FOUND',
  },
  {
    from: 'apiserver: watch expired',
    error: apiException(
      410,
      status(410, 'Expired', 'too old resource version: 1201 (1450)'),
    ),
    op: 'kubernetes',
    code: 'K8S_GONE',
  },
  {
    from: 'apiserver: webhook down',
    error: apiException(
      500,
      status(
        500,
        'InternalError',
        'Internal error occurred: failed calling webhook "validate.gateway.envoyproxy.io": failed to call webhook: Post "https://envoy-gateway.envoy-gateway-system.svc:9443/validate?timeout=10s": dial tcp 10.96.12.7:9443: connect: connection refused',
      ),
    ),
    op: 'kubernetes',
    code: 'K8S_SERVER_ERROR',
  },
  // client-node throws 401 with no body at all
  {
    from: 'client-node: 401',
    error: new ApiException(401, 'Unauthorized', undefined, {
      'content-type': 'application/json',
    }),
    code: 'K8S_UNAUTHORIZED',
  },
];

describe('classifyError: Kubernetes API errors', () => {
  it.each(rows)('$code ← $from', ({ error, op, code, says }) => {
    const result = classifyError(error, { operation: op, cluster: 'dev' });
    expect(result.code).toBe(code);
    expect(isCategorizedError(result)).toBe(true);
    expect(result.userMessage).toContain(says ?? '');
  });

  it('keeps the Kubernetes Status, not the echoed headers, in the detail', () => {
    const invalid = rows.find(r => r.from === 'apiserver: invalid')!;
    const { detail } = classifyError(invalid.error, {
      operation: 'kubernetes',
    });
    expect(detail).toContain('HTTP 422 Invalid');
    expect(detail).toContain('spec.parentRefs[0].name: Required value');
    expect(detail).not.toContain('audit-id');
  });

  it('tells K8s conflicts to retry and rejections to fix', () => {
    const [conflict, exists] = [
      'apiserver: optimistic lock',
      'apiserver: already exists',
    ].map(from =>
      classifyError(rows.find(r => r.from === from)!.error, {
        operation: 'kubernetes',
      }),
    );
    expect(conflict).toMatchObject({
      recoverable: true,
      origin: 'platform',
      severity: 'low',
    });
    expect(exists).toMatchObject({ recoverable: false, origin: 'user' });
  });

  it('names the cluster in the remediation', () => {
    const refused = classifyError(
      rows.find(r => r.from === 'client-node: refused')!.error,
      { operation: 'kubernetes', cluster: 'dev' },
    );
    expect(refused.remediation).toContain('cluster `dev`');
  });
});
