import { GATEWAY_OWNERSHIP } from '@internal/plugin-runner-common';
import type { KubernetesObject } from '../bundle';
import { ownershipAnnotations, ownershipLabels } from '../ownership';

/*
 * Builders for the objects of an AI Gateway provider bundle, with the field
 * names of the CRDs in use: AI Gateway v1.1.0 (aigateway.envoyproxy.io/v1beta1),
 * Envoy Gateway v1.9.0 Backend (gateway.envoyproxy.io/v1alpha1), Gateway API
 * v1.6.1 BackendTLSPolicy (gateway.networking.k8s.io/v1).
 */

export const API = {
  aiGateway: 'aigateway.envoyproxy.io/v1beta1',
  envoyGateway: 'gateway.envoyproxy.io/v1alpha1',
  gatewayApi: 'gateway.networking.k8s.io/v1',
} as const;

/** Header the AI Gateway routes on. */
export const MODEL_HEADER = 'x-ai-eg-model';

export interface Owner {
  entityRef: string;
  namespace: string;
  template: string;
  /** The bundle's name (the input's `name`), shared by all of its objects. */
  bundle: string;
}

export function metadata(
  name: string,
  owner: Owner,
): KubernetesObject['metadata'] {
  return {
    name,
    namespace: owner.namespace,
    labels: {
      ...ownershipLabels(owner.entityRef),
      [GATEWAY_OWNERSHIP.bundleLabel]: owner.bundle,
    },
    annotations: ownershipAnnotations(owner.entityRef, owner.template),
  };
}

export function secret(
  name: string,
  owner: Owner,
  stringData: Record<string, string>,
): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: metadata(name, owner),
    type: 'Opaque',
    stringData,
  };
}

export function backend(
  name: string,
  owner: Owner,
  hostname: string,
  port = 443,
): KubernetesObject {
  return {
    apiVersion: API.envoyGateway,
    kind: 'Backend',
    metadata: metadata(name, owner),
    spec: { endpoints: [{ fqdn: { hostname, port } }] },
  };
}

/** TLS to the provider, verified against the system CA bundle. */
export function backendTlsPolicy(
  name: string,
  owner: Owner,
  backendName: string,
  hostname: string,
): KubernetesObject {
  return {
    apiVersion: API.gatewayApi,
    kind: 'BackendTLSPolicy',
    metadata: metadata(name, owner),
    spec: {
      targetRefs: [
        { group: 'gateway.envoyproxy.io', kind: 'Backend', name: backendName },
      ],
      validation: { wellKnownCACertificates: 'System', hostname },
    },
  };
}

export function aiServiceBackend(
  name: string,
  owner: Owner,
  schema: { name: string; version?: string },
  backendName: string,
): KubernetesObject {
  return {
    apiVersion: API.aiGateway,
    kind: 'AIServiceBackend',
    metadata: metadata(name, owner),
    spec: {
      schema,
      // The AI Gateway requires an Envoy Gateway Backend here.
      backendRef: {
        name: backendName,
        kind: 'Backend',
        group: 'gateway.envoyproxy.io',
      },
    },
  };
}

export function backendSecurityPolicy(
  name: string,
  owner: Owner,
  aiServiceBackendName: string,
  credentials: Record<string, unknown> & { type: string },
): KubernetesObject {
  return {
    apiVersion: API.aiGateway,
    kind: 'BackendSecurityPolicy',
    metadata: metadata(name, owner),
    spec: {
      targetRefs: [
        {
          group: 'aigateway.envoyproxy.io',
          kind: 'AIServiceBackend',
          name: aiServiceBackendName,
        },
      ],
      ...credentials,
    },
  };
}

/** The EG OIDC block used for token exchange; the client secret lives in the bundle's Secret. */
export function oidcExchange(
  oidc: { issuer: string; clientId: string },
  secretName: string,
): Record<string, unknown> {
  return {
    oidc: {
      provider: { issuer: oidc.issuer },
      clientID: oidc.clientId,
      clientSecret: { name: secretName },
    },
  };
}
