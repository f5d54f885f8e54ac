import { z } from 'zod';
import type { GcpVertexAIProviderInput } from '@internal/plugin-runner-common';
import {
  oidcClientSchema,
  providerBaseShape,
  secretValueSchema,
} from '../inputSchemas';
import { oidcExchange } from '../objects';
import { bundleNames, providerBundle } from '../providerBundle';
import type { ProviderTemplate } from '../types';

const GCP_REGION = /^(global|[a-z]+-[a-z]+\d+)$/;
const GCP_PROJECT = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/;

export const gcpVertexAIInputSchema = z.object({
  provider: z.literal('gcp-vertex-ai'),
  ...providerBaseShape,
  project: z
    .string()
    .regex(GCP_PROJECT, 'must be a GCP project ID such as my-project-123')
    .describe('GCP project'),
  region: z
    .string()
    .regex(
      GCP_REGION,
      'must be a Vertex AI region such as us-central1, or global',
    ),
  credentials: z.discriminatedUnion('type', [
    z.object({
      type: z.literal('serviceAccountKey'),
      serviceAccountKey: secretValueSchema
        .refine(isServiceAccountKey, {
          message: 'must be a service account JSON key file',
        })
        .describe('The JSON key file of the service account (write-only)'),
    }),
    z.object({
      type: z.literal('workloadIdentity'),
      projectId: z
        .string()
        .min(1)
        .describe('Project ID of the workload identity pool'),
      poolName: z.string().min(1),
      providerName: z.string().min(1),
      serviceAccountName: z
        .string()
        .min(1)
        .optional()
        .describe('Service account to impersonate'),
      oidc: oidcClientSchema,
    }),
  ]),
}) satisfies z.ZodType<unknown, GcpVertexAIProviderInput>;

function isServiceAccountKey(text: string): boolean {
  try {
    const key = JSON.parse(text);
    return (
      key?.type === 'service_account' && typeof key.private_key === 'string'
    );
  } catch {
    return false;
  }
}

export const gcpVertexAITemplate: ProviderTemplate<GcpVertexAIProviderInput> = {
  id: 'gcp-vertex-ai',
  title: 'GCP Vertex AI',
  description:
    'Google Vertex AI with a service account key or workload identity federation',
  inputSchema: gcpVertexAIInputSchema,
  build(input) {
    const secretName = bundleNames(input.name).secret;
    const { credentials } = input;
    const base = { projectName: input.project, region: input.region };
    const gcp: { secretData: Record<string, string> } & Record<string, any> =
      credentials.type === 'serviceAccountKey'
        ? {
            gcpCredentials: {
              ...base,
              credentialsFile: { secretRef: { name: secretName } },
            },
            secretData: {
              'service_account.json': credentials.serviceAccountKey,
            },
          }
        : {
            gcpCredentials: {
              ...base,
              workloadIdentityFederationConfig: {
                projectID: credentials.projectId,
                workloadIdentityPoolName: credentials.poolName,
                workloadIdentityProviderName: credentials.providerName,
                ...(credentials.serviceAccountName
                  ? {
                      serviceAccountImpersonation: {
                        serviceAccountName: credentials.serviceAccountName,
                      },
                    }
                  : {}),
                oidcExchangeToken: oidcExchange(credentials.oidc, secretName),
              },
            },
            secretData: { 'client-secret': credentials.oidc.clientSecret },
          };
    return providerBundle(input, 'gcp-vertex-ai', {
      hostname:
        input.region === 'global'
          ? 'aiplatform.googleapis.com'
          : `${input.region}-aiplatform.googleapis.com`,
      schema: { name: 'GCPVertexAI' },
      credentials: {
        type: 'GCPCredentials',
        gcpCredentials: gcp.gcpCredentials,
      },
      secretData: gcp.secretData,
    });
  },
};
