import type { GatewayBundleView } from '@internal/plugin-runner-common';

/*
 * The gateway forms' state, and the template input it becomes. Empty fields
 * are left out of the input, so that the server's validation reports a
 * missing required field with its path (`credentials.apiKey`), and so that
 * an edit without credential values keeps the cluster's.
 */

export interface ModelRow {
  name: string;
  modelNameOverride: string;
}

export interface ProviderFormState {
  name: string;
  /** `namespace/name` or `name`; empty: the entity's gateway-parent annotation. */
  parentGateway: string;
  /** Comma- or newline-separated. */
  hostnames: string;
  models: ModelRow[];
  timeoutRequest: string;
  timeoutBackendRequest: string;
  /** The provider's own top-level fields (hostname, region, project, …). */
  fields: Record<string, string>;
  credentialType: string;
  /** Dotted path inside `credentials` → value. */
  credentials: Record<string, string>;
}

export interface BackendRow {
  serviceName: string;
  port: string;
  weight: string;
}

export interface RuleRow {
  pathType: 'PathPrefix' | 'Exact' | 'RegularExpression';
  pathValue: string;
  backends: BackendRow[];
  timeoutRequest: string;
  timeoutBackendRequest: string;
}

export interface RouteFormState {
  name: string;
  parentGateway: string;
  hostnames: string;
  rules: RuleRow[];
}

export function emptyProviderState(credentialType = ''): ProviderFormState {
  return {
    name: '',
    parentGateway: '',
    hostnames: '',
    models: [{ name: '', modelNameOverride: '' }],
    timeoutRequest: '',
    timeoutBackendRequest: '',
    fields: {},
    credentialType,
    credentials: {},
  };
}

export function emptyBackend(serviceName = ''): BackendRow {
  return { serviceName, port: '', weight: '' };
}

export function emptyRule(serviceName = ''): RuleRow {
  return {
    pathType: 'PathPrefix',
    pathValue: '/',
    backends: [emptyBackend(serviceName)],
    timeoutRequest: '',
    timeoutBackendRequest: '',
  };
}

export function emptyRouteState(serviceName = ''): RouteFormState {
  return {
    name: '',
    parentGateway: '',
    hostnames: '',
    rules: [emptyRule(serviceName)],
  };
}

type Input = Record<string, unknown>;

function trimmed(value: string | undefined): string | undefined {
  const text = value?.trim();
  return text ? text : undefined;
}

export function splitList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map(s => s.trim())
    .filter(Boolean);
}

function parentRef(text: string): Input | undefined {
  const value = trimmed(text);
  if (!value) return undefined;
  const [first, second] = value.split('/', 2);
  return second === undefined
    ? { name: first }
    : { namespace: first, name: second };
}

function timeouts(request: string, backendRequest: string): Input | undefined {
  const result: Input = {};
  if (trimmed(request)) result.request = trimmed(request);
  if (trimmed(backendRequest)) result.backendRequest = trimmed(backendRequest);
  return Object.keys(result).length > 0 ? result : undefined;
}

/** Numbers as numbers; anything else as typed, so the server says what is wrong with it. */
function numberOrText(text: string): number | string | undefined {
  const value = trimmed(text);
  if (value === undefined) return undefined;
  return /^\d+$/.test(value) ? Number(value) : value;
}

function withDefined(object: Input): Input {
  return Object.fromEntries(
    Object.entries(object).filter(([, v]) => v !== undefined),
  );
}

function setPath(target: Input, path: string, value: unknown) {
  const keys = path.split('.');
  const last = keys.pop()!;
  let node = target;
  for (const key of keys) {
    node[key] = (node[key] as Input) ?? {};
    node = node[key] as Input;
  }
  node[last] = value;
}

export function providerInput(state: ProviderFormState): Input {
  const credentials: Input = { type: state.credentialType };
  for (const [path, value] of Object.entries(state.credentials)) {
    if (trimmed(value)) setPath(credentials, path, value.trim());
  }
  const fields = Object.fromEntries(
    Object.entries(state.fields)
      .map(([key, value]) => [key, trimmed(value)])
      .filter(([, value]) => value !== undefined),
  );
  const hostnames = splitList(state.hostnames);
  return withDefined({
    name: trimmed(state.name),
    parentGateway: parentRef(state.parentGateway),
    models: state.models
      .filter(m => trimmed(m.name) || trimmed(m.modelNameOverride))
      .map(m =>
        withDefined({
          name: trimmed(m.name),
          modelNameOverride: trimmed(m.modelNameOverride),
        }),
      ),
    hostnames: hostnames.length > 0 ? hostnames : undefined,
    timeouts: timeouts(state.timeoutRequest, state.timeoutBackendRequest),
    ...fields,
    credentials,
  });
}

export function routeInput(state: RouteFormState): Input {
  const hostnames = splitList(state.hostnames);
  return withDefined({
    name: trimmed(state.name),
    parentGateway: parentRef(state.parentGateway),
    hostnames: hostnames.length > 0 ? hostnames : undefined,
    rules: state.rules.map(rule =>
      withDefined({
        matches: trimmed(rule.pathValue)
          ? [{ path: { type: rule.pathType, value: rule.pathValue.trim() } }]
          : undefined,
        backends: rule.backends.map(b =>
          withDefined({
            serviceName: trimmed(b.serviceName),
            port: numberOrText(b.port),
            weight: numberOrText(b.weight),
          }),
        ),
        timeouts: timeouts(rule.timeoutRequest, rule.timeoutBackendRequest),
      }),
    ),
  });
}

// ---- Prefill from a live bundle (edit) ------------------------------------

type K8sObject = Record<string, any>;

function objectOf(view: GatewayBundleView, kind: string): K8sObject {
  return (view.objects.find(o => o.kind === kind) ?? {}) as K8sObject;
}

function parentText(ref: K8sObject | undefined): string {
  if (!ref?.name) return '';
  return ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name;
}

function str(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number'
    ? String(value)
    : '';
}

/** Credential type and its non-secret fields, read back from the BackendSecurityPolicy. */
function credentialsFromPolicy(
  template: string,
  spec: K8sObject,
): { type: string; values: Record<string, string> } {
  const aws = spec.awsCredentials ?? {};
  const gcp = spec.gcpCredentials ?? {};
  const azure = spec.azureCredentials ?? {};
  const oidcOf = (exchange: K8sObject | undefined) => ({
    'oidc.issuer': str(exchange?.oidc?.provider?.issuer),
    'oidc.clientId': str(exchange?.oidc?.clientID),
  });
  switch (template) {
    case 'aws-bedrock':
      return aws.oidcExchangeToken
        ? {
            type: 'oidc',
            values: {
              roleArn: str(aws.oidcExchangeToken.awsRoleArn),
              ...oidcOf(aws.oidcExchangeToken),
            },
          }
        : { type: 'accessKey', values: {} };
    case 'gcp-vertex-ai': {
      const wif = gcp.workloadIdentityFederationConfig;
      return wif
        ? {
            type: 'workloadIdentity',
            values: {
              projectId: str(wif.projectID),
              poolName: str(wif.workloadIdentityPoolName),
              providerName: str(wif.workloadIdentityProviderName),
              serviceAccountName: str(
                wif.serviceAccountImpersonation?.serviceAccountName,
              ),
              ...oidcOf(wif.oidcExchangeToken),
            },
          }
        : { type: 'serviceAccountKey', values: {} };
    }
    case 'azure-openai':
      return spec.type === 'AzureCredentials'
        ? {
            type: 'clientCredentials',
            values: {
              tenantId: str(azure.tenantID),
              clientId: str(azure.clientID),
            },
          }
        : { type: 'apiKey', values: {} };
    default:
      return { type: 'apiKey', values: {} };
  }
}

/** The provider form as the live bundle says it was filled in; credential values stay empty. */
export function providerStateFromBundle(
  view: GatewayBundleView,
): ProviderFormState {
  const route = objectOf(view, 'AIGatewayRoute').spec ?? {};
  const backendHost = str(
    objectOf(view, 'Backend').spec?.endpoints?.[0]?.fqdn?.hostname,
  );
  const policy = objectOf(view, 'BackendSecurityPolicy').spec ?? {};
  const schema = objectOf(view, 'AIServiceBackend').spec?.schema ?? {};
  const rules: K8sObject[] = route.rules ?? [];
  const fields: Record<string, string> = {};
  if (view.template === 'openai' && backendHost !== 'api.openai.com') {
    fields.hostname = backendHost;
  }
  if (view.template === 'aws-bedrock') {
    fields.region = str(policy.awsCredentials?.region);
  }
  if (view.template === 'gcp-vertex-ai') {
    fields.project = str(policy.gcpCredentials?.projectName);
    fields.region = str(policy.gcpCredentials?.region);
  }
  if (view.template === 'azure-openai') {
    fields.resource = backendHost.replace(/\.openai\.azure\.com$/, '');
    fields.apiVersion = str(schema.version);
  }
  const credentials = credentialsFromPolicy(view.template, policy);
  return {
    name: view.name,
    parentGateway: parentText(route.parentRefs?.[0]),
    hostnames: (route.hostnames ?? []).join(', '),
    models: rules.map(rule => ({
      name: str(
        rule.matches?.[0]?.headers?.find(
          (h: K8sObject) => h.name === 'x-ai-eg-model',
        )?.value,
      ),
      modelNameOverride: str(rule.backendRefs?.[0]?.modelNameOverride),
    })),
    timeoutRequest: str(rules[0]?.timeouts?.request),
    timeoutBackendRequest: str(rules[0]?.timeouts?.backendRequest),
    fields,
    credentialType: credentials.type,
    credentials: credentials.values,
  };
}

export function routeStateFromBundle(view: GatewayBundleView): RouteFormState {
  const spec = objectOf(view, 'HTTPRoute').spec ?? {};
  return {
    name: view.name,
    parentGateway: parentText(spec.parentRefs?.[0]),
    hostnames: (spec.hostnames ?? []).join(', '),
    rules: (spec.rules ?? []).map((rule: K8sObject) => ({
      pathType: rule.matches?.[0]?.path?.type ?? 'PathPrefix',
      pathValue: str(rule.matches?.[0]?.path?.value),
      backends: (rule.backendRefs ?? []).map((ref: K8sObject) => ({
        serviceName: str(ref.name),
        port: str(ref.port),
        weight: str(ref.weight),
      })),
      timeoutRequest: str(rule.timeouts?.request),
      timeoutBackendRequest: str(rule.timeouts?.backendRequest),
    })),
  };
}
