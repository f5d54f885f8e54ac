import {
  createObject,
  readObject,
  writeStatus,
} from '../../kubernetes/__testUtils__/adminObjects';

/*
 * Plays the controllers' part on the test cluster — written by the test, as
 * the controllers would: the status Envoy Gateway and the AI Gateway write
 * (through the status subresource, validated by the real API server against
 * the CRDs), and the HTTPRoute the AI Gateway generates from an
 * AIGatewayRoute. Goes once real controllers run in the test cluster.
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

/**
 * Sets every object of the bundle Accepted (or not), and for an
 * AIGatewayRoute creates the HTTPRoute the AI Gateway would generate.
 * Written by the test, as the controllers would: no controller runs in the
 * test cluster yet, so this stands in for them — through the status
 * subresource of the real API server, which validates it against the CRDs.
 */
export async function acceptBundle(
  objects: Array<{
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace?: string };
  }>,
  accepted = true,
): Promise<void> {
  for (const object of objects) {
    const ref = {
      apiVersion: object.apiVersion,
      kind: object.kind,
      namespace: object.metadata.namespace,
      name: object.metadata.name,
    };
    const current = await readObject(ref);
    if (!current)
      throw new Error(
        `${object.kind} ${object.metadata.name} is not in the cluster`,
      );
    const status = controllerStatus(
      object.kind,
      current.metadata.generation ?? 1,
      accepted,
    );
    if (status === undefined) continue;
    await writeStatus(ref, status);
    const generatedRef = {
      ...ref,
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
    };
    if (object.kind === 'AIGatewayRoute' && !(await readObject(generatedRef))) {
      // What the AI Gateway generates: same name, owned by the AIGatewayRoute
      // (so the garbage collector deletes it with it), attached by Envoy Gateway.
      await createObject({
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
        spec: {
          parentRefs: [parentRef],
          rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }] }],
        },
      } as any);
      await writeStatus(
        generatedRef,
        controllerStatus('HTTPRoute', 1, accepted),
      );
    }
  }
}
