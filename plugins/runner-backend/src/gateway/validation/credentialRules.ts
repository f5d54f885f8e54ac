import type { GatewayFinding } from '@internal/plugin-runner-common';
import { isSecret, objectRef, type KubernetesObject } from '../bundle';
import { fieldError } from './fieldErrors';
import { keyPath } from './fieldPath';
import { isPlainObject } from './schemaWalk';

/*
 * Credentials per provider, judged by what the AI Gateway (v1.1.0) does with
 * them. Errors only where it certainly fails: two BackendSecurityPolicies on
 * one AIServiceBackend (the controller sets it NotAccepted: "multiple
 * BackendSecurityPolicies found"), or a Secret in the bundle without the key
 * the controller reads (it fails the policy). Everything else is a warning
 * that says what will happen: no policy at all is right for a self-hosted
 * OpenAI-compatible server (upstream's own examples do it), and a policy
 * type unusual for the schema still sends what it sends. Findings name
 * keys, never values.
 */

/** The policy types that match each schema's usual upstream. */
const USUAL_POLICY_TYPES: Record<string, string[]> = {
  OpenAI: ['APIKey'],
  Cohere: ['APIKey'],
  AzureOpenAI: ['AzureAPIKey', 'AzureCredentials'],
  AWSBedrock: ['AWSCredentials'],
  AWSAnthropic: ['AWSCredentials'],
  GCPVertexAI: ['GCPCredentials'],
  GCPAnthropic: ['GCPCredentials'],
  Anthropic: ['AnthropicAPIKey', 'APIKey'],
};

/** What the hosted upstream of a schema does with a request that carries no credentials. */
const WITHOUT_CREDENTIALS: Record<string, string> = {
  OpenAI:
    'that is right for a self-hosted OpenAI-compatible server that needs none, while a hosted API such as api.openai.com answers 401',
  Cohere: 'the Cohere API answers 401 unless the upstream needs no key',
  AzureOpenAI: 'Azure OpenAI answers 401',
  AWSBedrock:
    'the requests are not signed, so AWS Bedrock answers 403 unless something in between signs them',
  AWSAnthropic:
    'the requests are not signed, so AWS answers 403 unless something in between signs them',
  GCPVertexAI: 'Vertex AI answers 401',
  GCPAnthropic: 'Vertex AI answers 401',
  Anthropic: 'the Anthropic API answers 401 unless the upstream needs no key',
};

/** How each policy type sends its credential (internal/backendauth of the AI Gateway). */
const SENDS: Record<string, string> = {
  APIKey: 'the key as "Authorization: Bearer"',
  AzureAPIKey: 'the key in an "api-key" header',
  AnthropicAPIKey: 'the key in an "x-api-key" header',
  AWSCredentials: 'an AWS SigV4 signature',
  AzureCredentials: 'an Azure access token as "Authorization: Bearer"',
  GCPCredentials:
    'a Google access token as "Authorization: Bearer", with the Vertex AI path prefix',
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

/** A table's own entry: a schema or type named `constructor` is no key of these tables. */
function own<T>(table: Record<string, T>, key: unknown): T | undefined {
  return typeof key === 'string' && Object.hasOwn(table, key)
    ? table[key]
    : undefined;
}

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
    const usual = own(USUAL_POLICY_TYPES, schemaName);
    if (!usual) continue;
    const attached = policies.filter(p => targets(p, backend));
    if (attached.length === 0) {
      findings.push(
        at(backend, {
          path: '',
          message: `No BackendSecurityPolicy targets AIServiceBackend ${
            backend.metadata.name
          }: the AI Gateway will send its requests without credentials; ${own(
            WITHOUT_CREDENTIALS,
            schemaName,
          )}. To send credentials, add a BackendSecurityPolicy of type ${usual.join(
            ' or ',
          )} targeting it`,
          severity: 'warning',
          source: 'rule',
        }),
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
              `AIServiceBackend ${backend.metadata.name} is already targeted by BackendSecurityPolicy ${attached[0].metadata.name}; the AI Gateway refuses a backend with more than one (NotAccepted: multiple BackendSecurityPolicies found)`,
            ),
          ),
        );
      }
    }
    for (const policy of attached) {
      const type = dig(policy, ['spec', 'type']);
      if (typeof type === 'string' && !usual.includes(type)) {
        findings.push(
          at(policy, {
            path: 'spec.type',
            message: `${type} is not the usual credential for schema ${schemaName} (${usual.join(
              ' or ',
            )}): the AI Gateway will send ${
              own(SENDS, type) ?? `what ${type} sends`
            } to AIServiceBackend ${
              backend.metadata.name
            }'s upstream, which answers 401 or 403 unless it accepts that`,
            severity: 'warning',
            source: 'rule',
          }),
        );
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
  for (const { path, key } of own(SECRET_REFS, type) ?? []) {
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
    if (typeof value !== 'string') {
      // The controller fails the policy: "missing … key" in its status.
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
    } else if (value.trim().length === 0) {
      findings.push(
        at(secret, {
          path: keyPath('stringData', key),
          message: `Key "${key}" is empty: BackendSecurityPolicy ${
            policy.metadata.name
          } (${String(type)}) will send an empty credential`,
          severity: 'warning',
          source: 'rule',
        }),
      );
    }
  }
  return findings;
}
