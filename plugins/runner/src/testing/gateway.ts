// Gateway test data. Not exported from an entry point.
import type {
  GatewayBundleView,
  GatewayClustersResponse,
  GatewayObjectStatus,
} from '@internal/plugin-runner-common';
import type { GatewayTemplate, GatewayTemplateSummary } from '../api';
import { TEMPLATE_SCHEMAS } from './gatewaySchemas';

export function gatewayTemplates(): GatewayTemplateSummary[] {
  return [
    {
      id: 'openai',
      title: 'OpenAI',
      description:
        'OpenAI (or an OpenAI-compatible API) with an API key sent as a bearer token',
    },
    {
      id: 'aws-bedrock',
      title: 'AWS Bedrock',
      description:
        'Amazon Bedrock with an access key or an OIDC token exchanged for an IAM role',
    },
    { id: 'gcp-vertex-ai', title: 'GCP Vertex AI', description: 'Vertex AI' },
    { id: 'azure-openai', title: 'Azure OpenAI', description: 'Azure OpenAI' },
    {
      id: 'httproute',
      title: 'HTTPRoute',
      description: "Expose the entity's Service through a Gateway",
    },
  ];
}

export function templateWithSchema(id: string): GatewayTemplate {
  const summary = gatewayTemplates().find(t => t.id === id);
  if (!summary || !TEMPLATE_SCHEMAS[id]) {
    throw new Error(`No test schema for template ${id}`);
  }
  return { ...summary, inputSchema: TEMPLATE_SCHEMAS[id] };
}

export function noClusters(): GatewayClustersResponse {
  return {
    configured: false,
    message:
      'No Kubernetes cluster is configured (runner.kubernetes.clusters is empty)',
    clusters: [],
    checkedAt: '2025-01-01T00:00:00.000Z',
  };
}

export function devCluster(
  overrides: Partial<GatewayClustersResponse['clusters'][number]> = {},
): GatewayClustersResponse {
  return {
    configured: true,
    defaultCluster: 'dev',
    clusters: [
      {
        name: 'dev',
        url: 'https://dev.example.com:6443',
        default: true,
        reachable: true,
        version: 'v1.31.2',
        crds: [],
        controllers: [],
        ready: { providers: true, routes: true, reasons: [] },
        ...overrides,
      },
    ],
    checkedAt: '2025-01-01T00:00:00.000Z',
  };
}

export function objectStatus(
  kind: string,
  name: string,
  accepted: 'True' | 'False' | 'Unknown',
  reason?: string,
): GatewayObjectStatus {
  return {
    object: {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind,
      name,
      namespace: 'team-a',
    },
    accepted,
    resolvedRefs: accepted === 'True' ? 'True' : 'Unknown',
    stale: false,
    conditions: [],
    parents: [
      {
        parentRef: { name: 'eg', namespace: 'infra' },
        controllerName: 'gateway.envoyproxy.io/gatewayclass-controller',
        accepted,
        resolvedRefs: accepted === 'True' ? 'True' : 'Unknown',
        conditions: reason
          ? [{ type: 'Accepted', status: 'False', reason, message: reason }]
          : [],
      },
    ],
    reason,
  };
}

export function routeView(
  overrides: Partial<GatewayBundleView> = {},
): GatewayBundleView {
  return {
    name: 'web',
    type: 'route',
    template: 'httproute',
    cluster: 'dev',
    namespace: 'team-a',
    objects: [
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: 'web', namespace: 'team-a', resourceVersion: '7' },
        spec: {
          parentRefs: [{ name: 'eg', namespace: 'infra' }],
          hostnames: ['web.example.com'],
          rules: [
            {
              matches: [{ path: { type: 'PathPrefix', value: '/' } }],
              backendRefs: [{ name: 'web', port: 8080, weight: 1 }],
            },
          ],
        },
      },
    ],
    resourceVersions: { 'HTTPRoute/web': '7' },
    secrets: [],
    accepted: 'True',
    status: [objectStatus('HTTPRoute', 'web', 'True')],
    ...overrides,
  };
}

export function providerView(
  overrides: Partial<GatewayBundleView> = {},
): GatewayBundleView {
  return {
    name: 'openai',
    type: 'provider',
    template: 'openai',
    cluster: 'dev',
    namespace: 'team-a',
    objects: [
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'openai-credentials', namespace: 'team-a' },
        data: { apiKey: 'set' },
      },
      {
        apiVersion: 'aigateway.envoyproxy.io/v1beta1',
        kind: 'AIGatewayRoute',
        metadata: { name: 'openai', namespace: 'team-a' },
        spec: {
          parentRefs: [{ name: 'eg', namespace: 'infra' }],
          rules: [
            {
              matches: [
                {
                  headers: [
                    { type: 'Exact', name: 'x-ai-eg-model', value: 'gpt-4o' },
                  ],
                },
              ],
              backendRefs: [{ name: 'openai', weight: 1, priority: 0 }],
            },
          ],
        },
      },
    ],
    resourceVersions: {
      'Secret/openai-credentials': '3',
      'AIGatewayRoute/openai': '4',
    },
    secrets: [{ name: 'openai-credentials', keys: { apiKey: 'set' } }],
    accepted: 'False',
    status: [
      objectStatus('AIGatewayRoute', 'openai', 'False', 'NoMatchingParent'),
    ],
    ...overrides,
  };
}
