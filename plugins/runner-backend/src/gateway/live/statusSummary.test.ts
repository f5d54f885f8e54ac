import type { KubernetesObject } from '../bundle';
import { controllerStatus } from '../__testUtils__/controllerStatus';
import { entitySummary, summarizeStatus } from './statusSummary';

function object(
  kind: string,
  generation: number,
  status: unknown,
): KubernetesObject {
  return {
    apiVersion:
      kind === 'HTTPRoute' || kind === 'BackendTLSPolicy'
        ? 'gateway.networking.k8s.io/v1'
        : 'aigateway.envoyproxy.io/v1beta1',
    kind,
    metadata: { name: 'x', namespace: 'team-a', generation },
    status,
  } as KubernetesObject;
}

describe('status summaries', () => {
  it('reads Accepted and ResolvedRefs per parent of a route', () => {
    const summary = summarizeStatus(
      object('HTTPRoute', 1, controllerStatus('HTTPRoute', 1)),
    );
    expect(summary).toMatchObject({
      accepted: 'True',
      resolvedRefs: 'True',
      stale: false,
      parents: [
        {
          parentRef: { name: 'ai-gateway', namespace: 'envoy-gateway-system' },
          accepted: 'True',
          resolvedRefs: 'True',
        },
      ],
    });
  });

  it('reads ancestors of a policy and conditions of AI Gateway kinds, including NotAccepted=True', () => {
    expect(
      summarizeStatus(
        object('BackendTLSPolicy', 2, controllerStatus('BackendTLSPolicy', 2)),
      ).accepted,
    ).toBe('True');
    const rejected = summarizeStatus(
      object(
        'AIServiceBackend',
        1,
        controllerStatus('AIServiceBackend', 1, false),
      ),
    );
    expect(rejected).toMatchObject({
      accepted: 'False',
      reason: 'Invalid: NotAccepted is True',
    });
    expect(
      summarizeStatus(object('AIGatewayRoute', 1, undefined)),
    ).toMatchObject({ accepted: 'Unknown', stale: false });
  });

  it('treats conditions about an older generation as unknown, whatever the generated route says', () => {
    const generated = object('HTTPRoute', 1, controllerStatus('HTTPRoute', 1));
    const current = summarizeStatus(
      object('AIGatewayRoute', 1, controllerStatus('AIGatewayRoute', 1)),
      generated,
    );
    expect(current).toMatchObject({
      accepted: 'True',
      generatedRouteParents: [{ accepted: 'True' }],
    });
    const edited = summarizeStatus(
      object('AIGatewayRoute', 2, controllerStatus('AIGatewayRoute', 1)),
      generated,
    );
    expect(edited).toMatchObject({ accepted: 'Unknown', stale: true });
  });

  it('sums an entity up: False when anything is rejected, naming it; Secrets carry no status', () => {
    const summary = entitySummary(
      'component:default/hello-http',
      'one',
      [
        { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } },
        object('HTTPRoute', 1, controllerStatus('HTTPRoute', 1)),
        {
          ...object(
            'AIServiceBackend',
            1,
            controllerStatus('AIServiceBackend', 1, false),
          ),
          metadata: { name: 'bad', generation: 1 },
        },
      ] as KubernetesObject[],
      () => undefined,
    );
    expect(summary).toMatchObject({
      accepted: 'False',
      notAccepted: [{ kind: 'AIServiceBackend', name: 'bad' }],
    });
    expect(summary.objects).toHaveLength(2);
  });
});
