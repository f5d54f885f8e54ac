import type {
  GatewayBundleSummary,
  GatewayObjectRef,
  GatewaySecretSummary,
} from '@internal/plugin-runner-common';

/** A Kubernetes object as the plugin writes it. */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [field: string]: unknown;
  };
  [field: string]: unknown;
}

/** The complete set of objects one template produces for one entity. */
export interface GatewayBundle {
  /** Provider id (`openai`, …) or `httproute`. */
  template: string;
  entityRef: string;
  namespace: string;
  /** In apply order: what an object references comes before it. */
  objects: KubernetesObject[];
}

/*
 * Secrets are write-only: a bundle holds credential values only until it is
 * applied. Everything shown, returned, logged or audited goes through
 * redactBundle/summarizeBundle, which keep key names and say "set" or
 * "not set" in place of values.
 */

const SECRET_FIELDS = ['data', 'stringData'] as const;

export function isSecret(object: {
  apiVersion?: unknown;
  kind?: unknown;
}): boolean {
  return object.apiVersion === 'v1' && object.kind === 'Secret';
}

function secretKeys(
  secret: KubernetesObject,
): Record<string, 'set' | 'not set'> {
  const keys: Record<string, 'set' | 'not set'> = {};
  for (const field of SECRET_FIELDS) {
    const entries = secret[field];
    if (!entries || typeof entries !== 'object') continue;
    for (const [key, value] of Object.entries(
      entries as Record<string, unknown>,
    )) {
      const isSet = typeof value === 'string' && value.length > 0;
      if (keys[key] !== 'set') keys[key] = isSet ? 'set' : 'not set';
    }
  }
  return keys;
}

/** A copy of the object safe to show: a Secret's values become "set" / "not set". */
export function redactObject(object: KubernetesObject): KubernetesObject {
  if (!isSecret(object)) return object;
  const { data: _data, stringData: _stringData, ...rest } = object;
  const keys = secretKeys(object);
  return Object.keys(keys).length > 0 ? { ...rest, stringData: keys } : rest;
}

export function redactBundle(bundle: GatewayBundle): GatewayBundle {
  return { ...bundle, objects: bundle.objects.map(redactObject) };
}

export function objectRef(object: KubernetesObject): GatewayObjectRef {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.metadata.name,
    ...(object.metadata.namespace
      ? { namespace: object.metadata.namespace }
      : {}),
  };
}

export function summarizeBundle(bundle: GatewayBundle): GatewayBundleSummary {
  const secrets: GatewaySecretSummary[] = bundle.objects
    .filter(isSecret)
    .map(secret => ({
      name: secret.metadata.name,
      ...(secret.metadata.namespace
        ? { namespace: secret.metadata.namespace }
        : {}),
      keys: secretKeys(secret),
    }));
  return {
    template: bundle.template,
    entityRef: bundle.entityRef,
    namespace: bundle.namespace,
    objects: bundle.objects.map(objectRef),
    secrets,
  };
}

/** Every secret value in the bundle, e.g. to scrub logs or to test that nothing leaks. */
export function secretValues(objects: KubernetesObject[]): string[] {
  const values: string[] = [];
  for (const secret of objects.filter(isSecret)) {
    for (const field of SECRET_FIELDS) {
      const entries = secret[field];
      if (!entries || typeof entries !== 'object') continue;
      for (const value of Object.values(entries as Record<string, unknown>)) {
        if (typeof value !== 'string' || value === '') continue;
        values.push(
          field === 'data'
            ? Buffer.from(value, 'base64').toString('utf8')
            : value,
        );
        values.push(value);
      }
    }
  }
  return values;
}

// Referenced objects first, so nothing is applied before what it points at.
const APPLY_ORDER = [
  'Secret',
  'Backend',
  'BackendTLSPolicy',
  'AIServiceBackend',
  'BackendSecurityPolicy',
  'HTTPRoute',
  'AIGatewayRoute',
];

function rank(object: KubernetesObject): number {
  const index = APPLY_ORDER.indexOf(object.kind);
  return index < 0 ? APPLY_ORDER.length : index;
}

/** Objects in apply order; delete in the reverse order. */
export function sortForApply(objects: KubernetesObject[]): KubernetesObject[] {
  return [...objects].sort((a, b) => rank(a) - rank(b));
}
