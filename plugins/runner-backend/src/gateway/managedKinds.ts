import type { ClusterExpectations } from '../kubernetes/ClusterInspector';

/*
 * The only kinds the plugin writes, with the versions its templates use
 * (Gateway API v1.6.1, Envoy Gateway v1.9.0, AI Gateway v1.1.0), in apply
 * order: what an object references comes before it.
 */

export interface ManagedKind {
  apiVersion: string;
  kind: string;
  plural: string;
}

export const MANAGED_KINDS: ManagedKind[] = [
  { apiVersion: 'v1', kind: 'Secret', plural: 'secrets' },
  {
    apiVersion: 'gateway.envoyproxy.io/v1alpha1',
    kind: 'Backend',
    plural: 'backends',
  },
  {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'BackendTLSPolicy',
    plural: 'backendtlspolicies',
  },
  {
    apiVersion: 'aigateway.envoyproxy.io/v1beta1',
    kind: 'AIServiceBackend',
    plural: 'aiservicebackends',
  },
  {
    apiVersion: 'aigateway.envoyproxy.io/v1beta1',
    kind: 'BackendSecurityPolicy',
    plural: 'backendsecuritypolicies',
  },
  {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    plural: 'httproutes',
  },
  {
    apiVersion: 'aigateway.envoyproxy.io/v1beta1',
    kind: 'AIGatewayRoute',
    plural: 'aigatewayroutes',
  },
];

export function managedKind(kind: string): ManagedKind | undefined {
  return MANAGED_KINDS.find(k => k.kind === kind);
}

function group(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

function version(apiVersion: string): string {
  return apiVersion.split('/').pop()!;
}

const PROVIDER_ONLY = new Set([
  'Backend',
  'BackendTLSPolicy',
  'AIServiceBackend',
  'BackendSecurityPolicy',
  'AIGatewayRoute',
]);

/** What `GET /gateway/clusters` checks: the CRDs the templates write, Gateway API's own, and the two controllers. */
export const CLUSTER_EXPECTATIONS: ClusterExpectations = {
  crds: [
    {
      group: 'gateway.networking.k8s.io',
      kind: 'GatewayClass',
      plural: 'gatewayclasses',
      version: 'v1',
      neededFor: ['routes', 'providers'],
    },
    {
      group: 'gateway.networking.k8s.io',
      kind: 'Gateway',
      plural: 'gateways',
      version: 'v1',
      neededFor: ['routes', 'providers'],
    },
    ...MANAGED_KINDS.filter(k => k.kind !== 'Secret').map(k => ({
      group: group(k.apiVersion),
      kind: k.kind,
      plural: k.plural,
      version: version(k.apiVersion),
      // The AI Gateway turns each AIGatewayRoute into an HTTPRoute, so providers need HTTPRoute too.
      neededFor: PROVIDER_ONLY.has(k.kind)
        ? (['providers'] as Array<'providers' | 'routes'>)
        : (['routes', 'providers'] as Array<'providers' | 'routes'>),
    })),
  ],
  controllers: [
    {
      namespace: 'envoy-gateway-system',
      name: 'envoy-gateway',
      neededFor: ['routes', 'providers'],
    },
    {
      namespace: 'envoy-ai-gateway-system',
      name: 'ai-gateway-controller',
      neededFor: ['providers'],
    },
  ],
};
