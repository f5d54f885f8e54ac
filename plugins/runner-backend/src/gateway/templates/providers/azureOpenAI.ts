import { z } from 'zod';
import type { AzureOpenAIProviderInput } from '@internal/plugin-runner-common';
import { providerBaseShape, secretValueSchema } from '../inputSchemas';
import { bundleNames, providerBundle } from '../providerBundle';
import type { ProviderTemplate } from '../types';

const DEFAULT_API_VERSION = '2024-10-21';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const azureOpenAIInputSchema = z.object({
  provider: z.literal('azure-openai'),
  ...providerBaseShape,
  resource: z
    .string()
    .regex(
      /^[a-z0-9]([-a-z0-9]{0,62}[a-z0-9])?$/,
      'must be an Azure OpenAI resource name (lowercase letters, digits, "-")',
    )
    .describe('The <resource> of <resource>.openai.azure.com'),
  apiVersion: z
    .string()
    .regex(
      /^\d{4}-\d{2}-\d{2}(-preview)?$/,
      'must be an API version such as 2024-10-21',
    )
    .optional()
    .describe(`Azure OpenAI API version (default ${DEFAULT_API_VERSION})`),
  credentials: z.discriminatedUnion('type', [
    z.object({ type: z.literal('apiKey'), apiKey: secretValueSchema }),
    z.object({
      type: z.literal('clientCredentials'),
      tenantId: z.string().regex(UUID, 'must be an Entra tenant ID (a UUID)'),
      clientId: z
        .string()
        .regex(UUID, 'must be an application (client) ID (a UUID)'),
      clientSecret: secretValueSchema,
    }),
  ]),
}) satisfies z.ZodType<unknown, AzureOpenAIProviderInput>;

export const azureOpenAITemplate: ProviderTemplate<AzureOpenAIProviderInput> = {
  id: 'azure-openai',
  title: 'Azure OpenAI',
  description: 'Azure OpenAI with an API key or Entra ID client credentials',
  inputSchema: azureOpenAIInputSchema,
  build(input) {
    const secretName = bundleNames(input.name).secret;
    const { credentials } = input;
    const azure: { secretData: Record<string, string> } & Record<string, any> =
      credentials.type === 'apiKey'
        ? {
            credentials: {
              type: 'AzureAPIKey',
              azureAPIKey: { secretRef: { name: secretName } },
            },
            secretData: { apiKey: credentials.apiKey },
          }
        : {
            credentials: {
              type: 'AzureCredentials',
              azureCredentials: {
                clientID: credentials.clientId,
                tenantID: credentials.tenantId,
                clientSecretRef: { name: secretName },
              },
            },
            secretData: { 'client-secret': credentials.clientSecret },
          };
    return providerBundle(input, 'azure-openai', {
      hostname: `${input.resource}.openai.azure.com`,
      schema: {
        name: 'AzureOpenAI',
        version: input.apiVersion ?? DEFAULT_API_VERSION,
      },
      credentials: azure.credentials,
      secretData: azure.secretData,
    });
  },
};
