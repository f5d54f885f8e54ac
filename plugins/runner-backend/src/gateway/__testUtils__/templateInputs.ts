import type {
  AwsBedrockProviderInput,
  AzureOpenAIProviderInput,
  GcpVertexAIProviderInput,
  GatewayProviderInput,
  HttpRouteInput,
  OpenAIProviderInput,
} from '@internal/plugin-runner-common';

/*
 * Valid template inputs for tests. Every credential is a recognisable fake
 * string so tests can scan output for leaks.
 */

export const SECRETS = {
  openaiKey: 'sk-test-OPENAI-0123456789abcdef',
  awsAccessKeyId: 'AKIATESTACCESSKEYID01',
  awsSecretAccessKey: 'test/AWS/secret+access+key/0123456789',
  awsSessionToken: 'test-session-token-0123456789',
  oidcClientSecret: 'test-oidc-client-secret-0123456789',
  gcpPrivateKey:
    '-----BEGIN PRIVATE KEY-----\\nTESTGCPKEY0123456789\\n-----END PRIVATE KEY-----\\n',
  azureKey: 'test-azure-api-key-0123456789',
  azureClientSecret: 'test-azure-client-secret-0123456789',
};

const base = {
  namespace: 'team-a',
  entityRef: 'component:default/hello-http',
  parentGateway: { name: 'ai-gateway', namespace: 'envoy-gateway-system' },
};

export const openAIInput: OpenAIProviderInput = {
  provider: 'openai',
  name: 'openai',
  ...base,
  models: [
    { name: 'gpt-4o-mini' },
    {
      name: 'gpt-4o',
      weight: 80,
      priority: 0,
      additionalBackends: [
        { name: 'azure-openai', weight: 20 },
        {
          name: 'aws-bedrock',
          priority: 1,
          modelNameOverride: 'anthropic.claude-3-5-sonnet-20241022-v2:0',
        },
      ],
    },
  ],
  hostnames: ['ai.example.com', '*.ai.example.com'],
  timeouts: { request: '60s', backendRequest: '30s' },
  credentials: { type: 'apiKey', apiKey: SECRETS.openaiKey },
};

export const awsAccessKeyInput: AwsBedrockProviderInput = {
  provider: 'aws-bedrock',
  name: 'bedrock',
  ...base,
  region: 'us-east-1',
  models: [
    {
      name: 'claude-3-5-sonnet',
      modelNameOverride: 'anthropic.claude-3-5-sonnet-20241022-v2:0',
    },
  ],
  credentials: {
    type: 'accessKey',
    accessKeyId: SECRETS.awsAccessKeyId,
    secretAccessKey: SECRETS.awsSecretAccessKey,
    sessionToken: SECRETS.awsSessionToken,
  },
};

export const awsOidcInput: AwsBedrockProviderInput = {
  ...awsAccessKeyInput,
  name: 'bedrock-oidc',
  credentials: {
    type: 'oidc',
    roleArn: 'arn:aws:iam::123456789012:role/bedrock-invoke',
    oidc: {
      issuer: 'https://issuer.example.com',
      clientId: 'ai-gateway',
      clientSecret: SECRETS.oidcClientSecret,
    },
  },
};

export const gcpKeyInput: GcpVertexAIProviderInput = {
  provider: 'gcp-vertex-ai',
  name: 'vertex',
  ...base,
  project: 'my-project-123',
  region: 'us-central1',
  models: [
    { name: 'gemini-2.5-flash' },
    { name: 'gemini-2.5-pro', priority: 0 },
  ],
  llmRequestCosts: [
    { metadataKey: 'llm_input_token', type: 'InputToken' },
    {
      metadataKey: 'llm_cost',
      type: 'CEL',
      cel: 'input_tokens * 3 + output_tokens * 15',
    },
  ],
  credentials: {
    type: 'serviceAccountKey',
    serviceAccountKey: JSON.stringify({
      type: 'service_account',
      project_id: 'my-project-123',
      private_key: SECRETS.gcpPrivateKey,
      client_email: 'ai@my-project-123.iam.gserviceaccount.com',
    }),
  },
};

export const gcpWorkloadIdentityInput: GcpVertexAIProviderInput = {
  ...gcpKeyInput,
  name: 'vertex-wif',
  region: 'global',
  credentials: {
    type: 'workloadIdentity',
    projectId: '123456789012',
    poolName: 'ai-gateway-pool',
    providerName: 'ai-gateway-provider',
    serviceAccountName: 'vertex-caller',
    oidc: {
      issuer: 'https://issuer.example.com',
      clientId: 'ai-gateway',
      clientSecret: SECRETS.oidcClientSecret,
    },
  },
};

export const azureKeyInput: AzureOpenAIProviderInput = {
  provider: 'azure-openai',
  name: 'azure',
  ...base,
  resource: 'my-openai',
  models: [{ name: 'gpt-4o', modelNameOverride: 'gpt-4o-deployment' }],
  credentials: { type: 'apiKey', apiKey: SECRETS.azureKey },
};

export const azureClientCredentialsInput: AzureOpenAIProviderInput = {
  ...azureKeyInput,
  name: 'azure-entra',
  apiVersion: '2025-01-01-preview',
  credentials: {
    type: 'clientCredentials',
    tenantId: '11111111-2222-3333-4444-555555555555',
    clientId: '66666666-7777-8888-9999-000000000000',
    clientSecret: SECRETS.azureClientSecret,
  },
};

export const ALL_PROVIDER_INPUTS: Array<[string, GatewayProviderInput]> = [
  ['openai (api key)', openAIInput],
  ['aws-bedrock (access key)', awsAccessKeyInput],
  ['aws-bedrock (oidc)', awsOidcInput],
  ['gcp-vertex-ai (service account key)', gcpKeyInput],
  ['gcp-vertex-ai (workload identity)', gcpWorkloadIdentityInput],
  ['azure-openai (api key)', azureKeyInput],
  ['azure-openai (client credentials)', azureClientCredentialsInput],
];

export const httpRouteInput: HttpRouteInput = {
  name: 'hello-http',
  ...base,
  parentGateway: {
    name: 'public',
    namespace: 'envoy-gateway-system',
    sectionName: 'https',
  },
  hostnames: ['hello.example.com', '*.hello.example.com'],
  rules: [
    {
      name: 'api',
      matches: [
        {
          path: { type: 'PathPrefix', value: '/api' },
          method: 'GET',
          headers: [{ name: 'x-canary', value: 'true' }],
        },
      ],
      backends: [
        { serviceName: 'hello-http', port: 8080, weight: 90 },
        { serviceName: 'hello-http-canary', port: 8080, weight: 10 },
      ],
      timeouts: { request: '10s', backendRequest: '5s' },
    },
    { backends: [{ serviceName: 'hello-http', port: 8080 }] },
  ],
};
