import { z } from 'zod';
import type { OpenAIProviderInput } from '@internal/plugin-runner-common';
import {
  hostnameSchema,
  providerBaseShape,
  secretValueSchema,
} from '../inputSchemas';
import { bundleNames, providerBundle } from '../providerBundle';
import type { ProviderTemplate } from '../types';

export const openAIInputSchema = z.object({
  provider: z.literal('openai'),
  ...providerBaseShape,
  hostname: hostnameSchema('backend')
    .optional()
    .describe('Host of the OpenAI(-compatible) API; default api.openai.com'),
  credentials: z.object({
    type: z.literal('apiKey'),
    apiKey: secretValueSchema,
  }),
}) satisfies z.ZodType<unknown, OpenAIProviderInput>;

export const openAITemplate: ProviderTemplate<OpenAIProviderInput> = {
  id: 'openai',
  title: 'OpenAI',
  description:
    'OpenAI (or an OpenAI-compatible API) with an API key sent as a bearer token',
  inputSchema: openAIInputSchema,
  build(input) {
    return providerBundle(input, 'openai', {
      hostname: input.hostname ?? 'api.openai.com',
      schema: { name: 'OpenAI' },
      credentials: {
        type: 'APIKey',
        apiKey: { secretRef: { name: bundleNames(input.name).secret } },
      },
      secretData: { apiKey: input.credentials.apiKey },
    });
  },
};
