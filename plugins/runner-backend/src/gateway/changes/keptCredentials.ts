import type {
  GatewayFinding,
  GatewayProviderId,
} from '@internal/plugin-runner-common';
import { isSecret, objectRef, type KubernetesObject } from '../bundle';
import { refKey } from '../live/liveObjects';
import { isPlaceholderValue } from './exportedSecrets';

/*
 * Secrets are write-only, so an edit cannot show the credentials it would
 * have to send back. An edit (or an import of an export, or a rollback) that
 * sends no credential values keeps the Secret's values as they are in the
 * cluster: the template is built with placeholders, and the bundle's Secret
 * then takes the live Secret's data. The values never leave the backend.
 */

/** The write-only fields of each provider's credentials, per credential type (the first optional ones last). */
export const WRITE_ONLY_FIELDS: Record<
  GatewayProviderId,
  Record<string, { required: string[]; optional: string[] }>
> = {
  openai: { apiKey: { required: ['apiKey'], optional: [] } },
  'aws-bedrock': {
    accessKey: {
      required: ['accessKeyId', 'secretAccessKey'],
      optional: ['sessionToken'],
    },
    oidc: { required: ['oidc.clientSecret'], optional: [] },
  },
  'gcp-vertex-ai': {
    serviceAccountKey: { required: ['serviceAccountKey'], optional: [] },
    workloadIdentity: { required: ['oidc.clientSecret'], optional: [] },
  },
  'azure-openai': {
    apiKey: { required: ['apiKey'], optional: [] },
    clientCredentials: { required: ['clientSecret'], optional: [] },
  },
};

// Satisfies the input schema (the service account key must parse as one); never applied.
const PLACEHOLDERS: Record<string, string> = {
  serviceAccountKey: JSON.stringify({
    type: 'service_account',
    private_key: 'kept',
  }),
};
const PLACEHOLDER = 'kept-from-the-cluster';

function getPath(value: any, path: string): unknown {
  return path
    .split('.')
    .reduce(
      (v, key) => (v && typeof v === 'object' ? v[key] : undefined),
      value,
    );
}

function setPath(value: any, path: string, next: unknown) {
  const keys = path.split('.');
  const last = keys.pop()!;
  const parent = keys.reduce(
    (v, key) => (v[key] && typeof v[key] === 'object' ? v[key] : (v[key] = {})),
    value,
  );
  parent[last] = next;
}

function isGiven(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0;
}

/**
 * When a provider input names its credential type but sends none of the
 * write-only values, fills placeholders and says the live values are to be
 * kept. Inputs with some values go through unchanged (the schema then
 * reports what is missing).
 */
export function withKeptCredentials(
  provider: string,
  input: unknown,
): { input: unknown; keep: boolean } {
  const fields = WRITE_ONLY_FIELDS[provider as GatewayProviderId];
  const credentials = (input as any)?.credentials;
  const spec = fields?.[credentials?.type];
  if (!spec) return { input, keep: false };
  const all = [...spec.required, ...spec.optional];
  if (all.some(path => isGiven(getPath(credentials, path))))
    return { input, keep: false };
  const filled = JSON.parse(JSON.stringify(input));
  for (const path of spec.required) {
    setPath(filled.credentials, path, PLACEHOLDERS[path] ?? PLACEHOLDER);
  }
  return { input: filled, keep: true };
}

/**
 * Replaces the values of the bundle's Secret with the live Secret's (base64
 * `data` as stored). A finding when the live Secret is gone or lacks a key
 * the bundle needs, e.g. after changing the credential type.
 */
export function keepLiveSecretValues(
  objects: KubernetesObject[],
  liveSecret: KubernetesObject | undefined,
  inputPath = 'credentials',
): {
  objects: KubernetesObject[];
  findings: GatewayFinding[];
  kept: Set<string>;
} {
  const findings: GatewayFinding[] = [];
  const kept = new Set<string>();
  const result = objects.map(object => {
    if (!isSecret(object)) return object;
    const needed = Object.keys({
      ...((object as any).data ?? {}),
      ...((object as any).stringData ?? {}),
    });
    const liveData: Record<string, string> = ((liveSecret as any)?.data ??
      {}) as Record<string, string>;
    const missing = needed.filter(key => !isGiven(liveData[key]));
    if (!liveSecret || missing.length > 0) {
      findings.push({
        path: inputPath,
        message: !liveSecret
          ? `Required value: Secret ${object.metadata.name} does not exist in the cluster, so its values cannot be kept; send the credentials`
          : `Required value: Secret ${
              object.metadata.name
            } has no ${missing.join(', ')} key; send the credentials`,
        severity: 'error',
        source: 'rule',
        object: objectRef(object),
      });
      return object;
    }
    kept.add(refKey(object));
    const { stringData: _s, ...rest } = object as KubernetesObject & {
      stringData?: unknown;
    };
    return {
      ...rest,
      data: Object.fromEntries(needed.map(key => [key, liveData[key]])),
    } as KubernetesObject;
  });
  return { objects: result, findings, kept };
}

/** Secret values given as "set" / "not set" or an export's placeholders mean: keep what the cluster has. */
export function isRedactedSecret(object: KubernetesObject): boolean {
  if (!isSecret(object)) return false;
  const values = [
    ...Object.values(((object as any).data ?? {}) as Record<string, unknown>),
    ...Object.values(
      ((object as any).stringData ?? {}) as Record<string, unknown>,
    ),
  ];
  return values.length > 0 && values.every(isPlaceholderValue);
}
