import type { GatewayFinding } from '@internal/plugin-runner-common';
import { isSecret, objectRef, type KubernetesObject } from '../bundle';
import { fieldError } from './fieldErrors';
import { keyPath } from './fieldPath';
import { isPlainObject } from './schemaWalk';

/*
 * Credentials required per provider: every AIServiceBackend of a schema that
 * needs credentials must be targeted by exactly one BackendSecurityPolicy
 * (the AI Gateway rejects two) of a type that provider understands, and each
 * Secret that policy reads, when it is part of the bundle, must hold the key
 * the AI Gateway reads, non-empty. Findings name keys, never values.
 */

const ACCEPTED_POLICY_TYPES: Record<string, string[]> = {
  OpenAI: ['APIKey'],
  Cohere: ['APIKey'],
  AzureOpenAI: ['AzureAPIKey', 'AzureCredentials'],
  AWSBedrock: ['AWSCredentials'],
  AWSAnthropic: ['AWSCredentials'],
  GCPVertexAI: ['GCPCredentials'],
  GCPAnthropic: ['GCPCredentials'],
  Anthropic: ['AnthropicAPIKey', 'APIKey'],
};

/** Where each policy type keeps its Secret references, and which key the AI Gateway reads. */
const SECRET_REFS: Record<string, Array<{ path: string[]; key: string }>> = {
  APIKey: [{ path: ['apiKey', 'secretRef'], key: 'apiKey' }],
  AzureAPIKey: [{ path: ['azureAPIKey', 'secretRef'], key: 'apiKey' }],
  AnthropicAPIKey: [{ path: ['anthropicAPIKey', 'secretRef'], key: 'apiKey' }],
  AWSCredentials: [
    {
      path: ['awsCredentials', 'credentialsFile', 'secretRef'],
      key: 'credentials',
    },
    {
      path: ['awsCredentials', 'oidcExchangeToken', 'oidc', 'clientSecret'],
      key: 'client-secret',
    },
  ],
  AzureCredentials: [
    { path: ['azureCredentials', 'clientSecretRef'], key: 'client-secret' },
    {
      path: ['azureCredentials', 'oidcExchangeToken', 'oidc', 'clientSecret'],
      key: 'client-secret',
    },
  ],
  GCPCredentials: [
    {
      path: ['gcpCredentials', 'credentialsFile', 'secretRef'],
      key: 'service_account.json',
    },
    {
      path: [
        'gcpCredentials',
        'workloadIdentityFederationConfig',
        'oidcExchangeToken',
        'oidc',
        'clientSecret',
      ],
      key: 'client-secret',
    },
  ],
};

function dig(value: unknown, path: string[]): unknown {
  return path.reduce<unknown>(
    (v, k) => (isPlainObject(v) ? v[k] : undefined),
    value,
  );
}

function ofKind(objects: KubernetesObject[], kind: string) {
  return objects.filter(o => o.kind === kind);
}

function at(object: KubernetesObject, finding: GatewayFinding): GatewayFinding {
  return { ...finding, object: objectRef(object) };
}

function targets(policy: KubernetesObject, backend: KubernetesObject): boolean {
  const refs = dig(policy, ['spec', 'targetRefs']);
  return (
    Array.isArray(refs) &&
    refs.some(
      ref =>
        isPlainObject(ref) &&
        ref.kind === 'AIServiceBackend' &&
        ref.name === backend.metadata.name,
    )
  );
}

export function credentialRules(objects: KubernetesObject[]): GatewayFinding[] {
  const findings: GatewayFinding[] = [];
  const policies = ofKind(objects, 'BackendSecurityPolicy');
  for (const backend of ofKind(objects, 'AIServiceBackend')) {
    const schemaName = dig(backend, ['spec', 'schema', 'name']);
    const accepted =
      typeof schemaName === 'string'
        ? ACCEPTED_POLICY_TYPES[schemaName]
        : undefined;
    if (!accepted) continue;
    const attached = policies.filter(p => targets(p, backend));
    if (attached.length === 0) {
      findings.push(
        at(
          backend,
          fieldError.required(
            '',
            'rule',
            `credentials are required for ${schemaName}: add a BackendSecurityPolicy of type ${accepted.join(
              ' or ',
            )} targeting AIServiceBackend ${backend.metadata.name}`,
          ),
        ),
      );
    }
    if (attached.length > 1) {
      for (const policy of attached.slice(1)) {
        findings.push(
          at(
            policy,
            fieldError.forbidden(
              'spec.targetRefs',
              'rule',
              `AIServiceBackend ${backend.metadata.name} is already targeted by BackendSecurityPolicy ${attached[0].metadata.name}; the AI Gateway allows one policy per backend`,
            ),
          ),
        );
      }
    }
    for (const policy of attached) {
      const type = dig(policy, ['spec', 'type']);
      if (typeof type === 'string' && !accepted.includes(type)) {
        const finding = fieldError.notSupported(
          'spec.type',
          type,
          accepted,
          'rule',
        );
        finding.message += ` (AIServiceBackend ${backend.metadata.name} speaks ${schemaName})`;
        findings.push(at(policy, finding));
      }
    }
  }
  for (const policy of policies)
    findings.push(...secretKeyRules(policy, objects));
  return findings;
}

function secretKeyRules(
  policy: KubernetesObject,
  objects: KubernetesObject[],
): GatewayFinding[] {
  const findings: GatewayFinding[] = [];
  const type = dig(policy, ['spec', 'type']);
  for (const { path, key } of SECRET_REFS[String(type)] ?? []) {
    const ref = dig(policy.spec, path);
    if (!isPlainObject(ref) || typeof ref.name !== 'string') continue;
    const namespace =
      typeof ref.namespace === 'string'
        ? ref.namespace
        : policy.metadata.namespace;
    const secret = objects.find(
      o =>
        isSecret(o) &&
        o.metadata.name === ref.name &&
        (o.metadata.namespace ?? namespace) === namespace,
    );
    const refPath = ['spec', ...path, 'name'].join('.');
    if (!secret) {
      findings.push(
        at(policy, {
          path: refPath,
          message: `Secret ${namespace}/${ref.name} is not part of this bundle; it must exist with key "${key}" before the policy can work`,
          severity: 'warning',
          source: 'rule',
        }),
      );
      continue;
    }
    const value =
      dig(secret, ['stringData', key]) ?? dig(secret, ['data', key]);
    if (typeof value !== 'string' || value.length === 0) {
      findings.push(
        at(
          secret,
          fieldError.required(
            keyPath('stringData', key),
            'rule',
            `BackendSecurityPolicy ${policy.metadata.name} (${String(
              type,
            )}) reads key "${key}" from this Secret`,
          ),
        ),
      );
    }
  }
  return findings;
}
