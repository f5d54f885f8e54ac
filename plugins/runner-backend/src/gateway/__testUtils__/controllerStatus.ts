import type { KubernetesTestServer } from '../../kubernetes/testing/KubernetesTestServer';

/*
 * Plays the controllers' part on the test API server: writes the status
 * Envoy Gateway and the AI Gateway would write (through the status
 * subresource, validated against the CRDs), and the HTTPRoute the AI
 * Gateway generates from an AIGatewayRoute.
 */

const EG = 'gateway.envoyproxy.io/gatewayclass-controller';

function condition(
  type: string,
  status: 'True' | 'False',
  reason: string,
  generation: number,
) {
  return {
    type,
    status,
    reason,
    message: `${type} is ${status}`,
    lastTransitionTime: '2026-11-26T10:00:00Z',
    observedGeneration: generation,
  };
}

const parentRef = {
  group: 'gateway.networking.k8s.io',
  kind: 'Gateway',
  name: 'ai-gateway',
  namespace: 'envoy-gateway-system',
};

/** Status for one object, Accepted (or NotAccepted) as its controller reports it. */
export function controllerStatus(
  kind: string,
  generation: number,
  accepted = true,
): unknown {
  const state = accepted ? 'True' : 'False';
  const ok = (type: string) =>
    condition(type, state, accepted ? type : 'Invalid', generation);
  switch (kind) {
    case 'HTTPRoute':
      return {
        parents: [
          {
            parentRef,
            controllerName: EG,
            conditions: [
              ok('Accepted'),
              condition('ResolvedRefs', 'True', 'ResolvedRefs', generation),
            ],
          },
        ],
      };
    case 'BackendTLSPolicy':
      return {
        ancestors: [
          {
            ancestorRef: parentRef,
            controllerName: EG,
            conditions: [ok('Accepted')],
          },
        ],
      };
    case 'AIGatewayRoute':
    case 'AIServiceBackend':
    case 'BackendSecurityPolicy':
      // The AI Gateway says NotAccepted=True when it rejects an object.
      return {
        conditions: [
          accepted
            ? ok('Accepted')
            : condition('NotAccepted', 'True', 'Invalid', generation),
        ],
      };
    case 'Backend':
      return { conditions: [ok('Accepted')] };
    default:
      return undefined;
  }
}

/** Sets every object of the bundle Accepted (or not); returns the generated HTTPRoute name for AIGatewayRoutes. */
export function acceptBundle(
  server: KubernetesTestServer,
  objects: Array<{
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace?: string };
  }>,
  accepted = true,
): void {
  for (const object of objects) {
    const current = server.get(
      object.apiVersion,
      object.kind,
      object.metadata.namespace,
      object.metadata.name,
    );
    if (!current)
      throw new Error(
        `${object.kind} ${object.metadata.name} is not in the test server`,
      );
    const status = controllerStatus(
      object.kind,
      current.metadata.generation ?? 1,
      accepted,
    );
    if (status === undefined) continue;
    server.setStatus(
      object.apiVersion,
      object.kind,
      object.metadata.namespace,
      object.metadata.name,
      status,
    );
    if (
      object.kind === 'AIGatewayRoute' &&
      !server.get(
        'gateway.networking.k8s.io/v1',
        'HTTPRoute',
        object.metadata.namespace,
        object.metadata.name,
      )
    ) {
      // What the AI Gateway generates: same name, owned by the AIGatewayRoute, attached by Envoy Gateway.
      server.seed({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: {
          name: object.metadata.name,
          namespace: object.metadata.namespace,
          ownerReferences: [
            {
              apiVersion: object.apiVersion,
              kind: 'AIGatewayRoute',
              name: object.metadata.name,
              uid: current.metadata.uid,
              controller: true,
            },
          ],
        },
        spec: { parentRefs: [parentRef], rules: [] },
        status: controllerStatus('HTTPRoute', 1, accepted),
      });
    }
  }
}
