/*
 * Reads a gateway template's input JSON Schema (`GET /gateway/templates/:id`)
 * into the fields a form shows: the provider's own top-level fields (region,
 * project, resource, …) and the credential types with their fields. Only the
 * shapes the backend's templates produce are read; anything else is left to
 * the server's validation, which reports it with its path.
 */

type Schema = Record<string, any>;

/** One text input of the form. `path` is dotted, relative to its parent object. */
export interface SchemaField {
  path: string;
  label: string;
  description?: string;
  required: boolean;
  /** Write-only: a password input whose value is never shown again. */
  secret: boolean;
}

export interface CredentialVariant {
  type: string;
  label: string;
  fields: SchemaField[];
}

/** Fields every provider has; the form shows them itself, or the backend fills them in. */
const COMMON_KEYS = new Set([
  'provider',
  'name',
  'namespace',
  'entityRef',
  'parentGateway',
  'models',
  'hostnames',
  'timeouts',
  'llmRequestCosts',
  'credentials',
]);

const LABELS: Record<string, string> = {
  apiKey: 'API key',
  accessKeyId: 'Access key ID',
  secretAccessKey: 'Secret access key',
  sessionToken: 'Session token',
  roleArn: 'IAM role ARN',
  'oidc.issuer': 'OIDC issuer URL',
  'oidc.clientId': 'OIDC client ID',
  'oidc.clientSecret': 'OIDC client secret',
  serviceAccountKey: 'Service account key (JSON)',
  projectId: 'Workload identity project ID',
  poolName: 'Workload identity pool',
  providerName: 'Workload identity provider',
  serviceAccountName: 'Service account to impersonate',
  tenantId: 'Tenant ID',
  clientId: 'Client ID',
  clientSecret: 'Client secret',
  hostname: 'API host name',
  region: 'Region',
  project: 'GCP project',
  resource: 'Azure OpenAI resource',
  apiVersion: 'API version',
  accessKey: 'Access key',
  oidc: 'OIDC token exchange',
  workloadIdentity: 'Workload identity federation',
  clientCredentials: 'Client credentials',
};

/** "accessKeyId" → "Access key id", unless a better label is known. */
export function fieldLabel(path: string): string {
  if (LABELS[path]) return LABELS[path];
  const last = path.split('.').pop() ?? path;
  if (LABELS[last]) return LABELS[last];
  const words = last.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function isSecret(schema: Schema): boolean {
  return /write-only/i.test(String(schema.description ?? ''));
}

/** String fields of an object schema, one level of nested objects flattened (`oidc.issuer`). */
function stringFields(
  schema: Schema,
  skip: Set<string>,
  prefix = '',
  parentRequired = true,
): SchemaField[] {
  const required = new Set<string>(schema.required ?? []);
  const fields: SchemaField[] = [];
  for (const [key, property] of Object.entries<Schema>(
    schema.properties ?? {},
  )) {
    if (!prefix && skip.has(key)) continue;
    const path = `${prefix}${key}`;
    const isRequired = parentRequired && required.has(key);
    if (property.type === 'string' && property.const === undefined) {
      fields.push({
        path,
        label: fieldLabel(path),
        description: property.description,
        required: isRequired,
        secret: isSecret(property),
      });
    } else if (property.type === 'object' && !prefix) {
      fields.push(...stringFields(property, skip, `${path}.`, isRequired));
    }
  }
  return fields;
}

/** The provider's own fields: hostname, region, project, resource, apiVersion. */
export function providerFields(inputSchema: Schema): SchemaField[] {
  return stringFields(inputSchema, COMMON_KEYS).filter(
    f => !f.path.includes('.'),
  );
}

/** The credential types the template accepts, each with its fields. */
export function credentialVariants(inputSchema: Schema): CredentialVariant[] {
  const credentials: Schema | undefined = inputSchema.properties?.credentials;
  if (!credentials) return [];
  const variants: Schema[] = credentials.oneOf ??
    credentials.anyOf ?? [credentials];
  return variants
    .filter(v => typeof v.properties?.type?.const === 'string')
    .map(v => {
      const type = v.properties.type.const as string;
      return {
        type,
        label: fieldLabel(type),
        fields: stringFields(v, new Set(['type'])),
      };
    });
}

/** The description of a top-level property, e.g. of `hostnames`. */
export function describe(inputSchema: Schema, key: string): string | undefined {
  return inputSchema.properties?.[key]?.description;
}
