import { z } from 'zod';
import type { AwsBedrockProviderInput } from '@internal/plugin-runner-common';
import {
  oidcClientSchema,
  providerBaseShape,
  secretValueSchema,
} from '../inputSchemas';
import { oidcExchange } from '../objects';
import { bundleNames, providerBundle } from '../providerBundle';
import type { ProviderTemplate } from '../types';

const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d+$/;

export const awsBedrockInputSchema = z.object({
  provider: z.literal('aws-bedrock'),
  ...providerBaseShape,
  region: z
    .string()
    .regex(AWS_REGION, 'must be an AWS region such as us-east-1')
    .describe('AWS region of Bedrock'),
  credentials: z.discriminatedUnion('type', [
    z.object({
      type: z.literal('accessKey'),
      accessKeyId: secretValueSchema,
      secretAccessKey: secretValueSchema,
      sessionToken: secretValueSchema.optional(),
    }),
    z.object({
      type: z.literal('oidc'),
      roleArn: z
        .string()
        .regex(
          /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/,
          'must be an IAM role ARN',
        ),
      oidc: oidcClientSchema,
    }),
  ]),
}) satisfies z.ZodType<unknown, AwsBedrockProviderInput>;

/** The shared-credentials file format the AI Gateway reads from the Secret's `credentials` key. */
function credentialsFile(
  accessKeyId: string,
  secretAccessKey: string,
  sessionToken?: string,
) {
  return [
    '[default]',
    `aws_access_key_id = ${accessKeyId}`,
    `aws_secret_access_key = ${secretAccessKey}`,
    ...(sessionToken ? [`aws_session_token = ${sessionToken}`] : []),
    '',
  ].join('\n');
}

export const awsBedrockTemplate: ProviderTemplate<AwsBedrockProviderInput> = {
  id: 'aws-bedrock',
  title: 'AWS Bedrock',
  description:
    'Amazon Bedrock with an access key or an OIDC token exchanged for an IAM role',
  inputSchema: awsBedrockInputSchema,
  build(input) {
    const secretName = bundleNames(input.name).secret;
    const { credentials } = input;
    const aws: { secretData: Record<string, string> } & Record<string, any> =
      credentials.type === 'accessKey'
        ? {
            awsCredentials: {
              region: input.region,
              credentialsFile: { secretRef: { name: secretName } },
            },
            secretData: {
              credentials: credentialsFile(
                credentials.accessKeyId,
                credentials.secretAccessKey,
                credentials.sessionToken,
              ),
            },
          }
        : {
            awsCredentials: {
              region: input.region,
              oidcExchangeToken: {
                awsRoleArn: credentials.roleArn,
                ...oidcExchange(credentials.oidc, secretName),
              },
            },
            secretData: { 'client-secret': credentials.oidc.clientSecret },
          };
    return providerBundle(input, 'aws-bedrock', {
      hostname: `bedrock-runtime.${input.region}.amazonaws.com`,
      schema: { name: 'AWSBedrock' },
      credentials: {
        type: 'AWSCredentials',
        awsCredentials: aws.awsCredentials,
      },
      secretData: aws.secretData,
    });
  },
};
