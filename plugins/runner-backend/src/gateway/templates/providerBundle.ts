import type {
  GatewayProviderId,
  ProviderInputBase,
} from '@internal/plugin-runner-common';
import { sortForApply, type GatewayBundle } from '../bundle';
import { normalizeEntityRef } from '../ownership';
import { aiGatewayRoute } from './aiGatewayRoute';
import {
  aiServiceBackend,
  backend,
  backendSecurityPolicy,
  backendTlsPolicy,
  secret,
  type Owner,
} from './objects';

/** Names of a provider bundle's objects, all derived from the input's `name`. */
export function bundleNames(name: string) {
  return {
    secret: `${name}-credentials`,
    backend: name,
    tlsPolicy: `${name}-tls`,
    aiServiceBackend: name,
    securityPolicy: `${name}-auth`,
    route: name,
  };
}

export interface ProviderSpecifics {
  /** The provider's API host; reached on 443 with TLS verified against system CAs. */
  hostname: string;
  schema: { name: string; version?: string };
  /** BackendSecurityPolicy spec fields besides targetRefs (`type` and its block). */
  credentials: Record<string, unknown> & { type: string };
  /** The Secret's keys and values (write-only). */
  secretData: Record<string, string>;
}

/** The complete bundle: Secret, Backend, BackendTLSPolicy, AIServiceBackend, BackendSecurityPolicy, AIGatewayRoute. */
export function providerBundle(
  input: ProviderInputBase,
  template: GatewayProviderId,
  specifics: ProviderSpecifics,
): GatewayBundle {
  const entityRef = normalizeEntityRef(input.entityRef);
  const owner: Owner = {
    entityRef,
    namespace: input.namespace,
    template,
    bundle: input.name,
  };
  const names = bundleNames(input.name);
  return {
    template,
    entityRef,
    namespace: input.namespace,
    objects: sortForApply([
      secret(names.secret, owner, specifics.secretData),
      backend(names.backend, owner, specifics.hostname),
      backendTlsPolicy(
        names.tlsPolicy,
        owner,
        names.backend,
        specifics.hostname,
      ),
      aiServiceBackend(
        names.aiServiceBackend,
        owner,
        specifics.schema,
        names.backend,
      ),
      backendSecurityPolicy(
        names.securityPolicy,
        owner,
        names.aiServiceBackend,
        specifics.credentials,
      ),
      aiGatewayRoute(input, owner, names.aiServiceBackend),
    ]),
  };
}
