/**
 * Inputs of the AI Gateway provider templates. The backend validates them
 * (and serves their JSON schema under `GET /gateway/templates/:provider`);
 * these types describe the request bodies for API clients.
 */

/** @public */
export const GATEWAY_PROVIDER_IDS = [
  'openai',
  'aws-bedrock',
  'gcp-vertex-ai',
  'azure-openai',
] as const;

/** @public */
export type GatewayProviderId = (typeof GATEWAY_PROVIDER_IDS)[number];

/**
 * The Gateway that routes attach to.
 *
 * @public
 */
export interface GatewayParentRefInput {
  name: string;
  /** Defaults to the route's namespace. */
  namespace?: string;
  /** A listener of the Gateway. */
  sectionName?: string;
}

/**
 * Another AIServiceBackend that shares a model's traffic (by weight) or stands
 * by as a fallback (by priority).
 *
 * @public
 */
export interface ProviderAdditionalBackendInput {
  name: string;
  namespace?: string;
  weight?: number;
  priority?: number;
  modelNameOverride?: string;
}

/**
 * One model the provider serves. Clients choose it with the `x-ai-eg-model` header.
 *
 * @public
 */
export interface ProviderModelInput {
  /** Value of the `x-ai-eg-model` header. */
  name: string;
  /** Model name sent to the provider instead, e.g. a Bedrock model ID or an Azure deployment. */
  modelNameOverride?: string;
  /** Weight of this provider's backend in the model's rule (default 1). */
  weight?: number;
  /** Priority of this provider's backend: 0 is tried first, higher numbers are fallbacks (default 0). */
  priority?: number;
  additionalBackends?: ProviderAdditionalBackendInput[];
}

/**
 * Gateway API durations such as `30s` or `1m30s`.
 *
 * @public
 */
export interface RouteTimeoutsInput {
  request?: string;
  backendRequest?: string;
}

/** @public */
export type LlmRequestCostType =
  | 'OutputToken'
  | 'InputToken'
  | 'CachedInputToken'
  | 'CacheCreationInputToken'
  | 'TotalToken'
  | 'ReasoningToken'
  | 'CEL';

/** @public */
export interface LlmRequestCostInput {
  metadataKey: string;
  type: LlmRequestCostType;
  /** Only for type `CEL`. */
  cel?: string;
}

/**
 * Fields every provider template takes.
 *
 * @public
 */
export interface ProviderInputBase {
  /** Prefix of every object name in the bundle. */
  name: string;
  /** Target namespace of the bundle. */
  namespace: string;
  /** The owning catalog entity, e.g. `component:default/hello-http`. */
  entityRef: string;
  parentGateway: GatewayParentRefInput;
  models: ProviderModelInput[];
  hostnames?: string[];
  timeouts?: RouteTimeoutsInput;
  /** Token usage recorded as dynamic metadata; defaults to input, output and total tokens. */
  llmRequestCosts?: LlmRequestCostInput[];
}

/**
 * An OIDC client used to exchange a token for cloud credentials.
 *
 * @public
 */
export interface OidcClientInput {
  issuer: string;
  clientId: string;
  /** Write-only: stored in the bundle's Secret, never returned. */
  clientSecret: string;
}

/** @public */
export interface OpenAIProviderInput extends ProviderInputBase {
  provider: 'openai';
  /** Host of the OpenAI(-compatible) API; default `api.openai.com`. */
  hostname?: string;
  credentials: { type: 'apiKey'; apiKey: string };
}

/** @public */
export type AwsBedrockCredentialsInput =
  | {
      type: 'accessKey';
      accessKeyId: string;
      secretAccessKey: string;
      sessionToken?: string;
    }
  | { type: 'oidc'; roleArn: string; oidc: OidcClientInput };

/** @public */
export interface AwsBedrockProviderInput extends ProviderInputBase {
  provider: 'aws-bedrock';
  /** AWS region, e.g. `us-east-1`. */
  region: string;
  credentials: AwsBedrockCredentialsInput;
}

/** @public */
export type GcpVertexAICredentialsInput =
  | {
      type: 'serviceAccountKey';
      /** The service account's JSON key file. */
      serviceAccountKey: string;
    }
  | {
      type: 'workloadIdentity';
      /** Project ID of the workload identity pool. */
      projectId: string;
      poolName: string;
      providerName: string;
      /** Service account to impersonate, if any. */
      serviceAccountName?: string;
      oidc: OidcClientInput;
    };

/** @public */
export interface GcpVertexAIProviderInput extends ProviderInputBase {
  provider: 'gcp-vertex-ai';
  /** GCP project name. */
  project: string;
  /** Vertex AI region, e.g. `us-central1`, or `global`. */
  region: string;
  credentials: GcpVertexAICredentialsInput;
}

/** @public */
export type AzureOpenAICredentialsInput =
  | { type: 'apiKey'; apiKey: string }
  | {
      type: 'clientCredentials';
      tenantId: string;
      clientId: string;
      clientSecret: string;
    };

/** @public */
export interface AzureOpenAIProviderInput extends ProviderInputBase {
  provider: 'azure-openai';
  /** Azure OpenAI resource name: the `<resource>` of `<resource>.openai.azure.com`. */
  resource: string;
  /** Azure OpenAI API version (default `2024-10-21`). */
  apiVersion?: string;
  credentials: AzureOpenAICredentialsInput;
}

/** @public */
export type GatewayProviderInput =
  | OpenAIProviderInput
  | AwsBedrockProviderInput
  | GcpVertexAIProviderInput
  | AzureOpenAIProviderInput;
