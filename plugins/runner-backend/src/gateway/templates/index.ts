import { z } from 'zod';
import {
  GATEWAY_PROVIDER_IDS,
  type GatewayFinding,
  type GatewayProviderId,
  type GatewayProviderInput,
} from '@internal/plugin-runner-common';
import type { GatewayBundle } from '../bundle';
import { findingsFromZodError } from './findingsFromZod';
import {
  buildHttpRoute,
  httpRouteInputSchema,
  HTTP_ROUTE_TEMPLATE,
} from './httpRoute';
import { awsBedrockTemplate } from './providers/awsBedrock';
import { azureOpenAITemplate } from './providers/azureOpenAI';
import { gcpVertexAITemplate } from './providers/gcpVertexAI';
import { openAITemplate } from './providers/openai';
import type { ProviderTemplate } from './types';

/*
 * The template catalogue the REST layer serves: list, input JSON schema per
 * template, and build (input in, bundle or input findings out).
 */

export const PROVIDER_TEMPLATES: {
  [P in GatewayProviderId]: ProviderTemplate<
    Extract<GatewayProviderInput, { provider: P }>
  >;
} = {
  openai: openAITemplate,
  'aws-bedrock': awsBedrockTemplate,
  'gcp-vertex-ai': gcpVertexAITemplate,
  'azure-openai': azureOpenAITemplate,
};

export type TemplateId = GatewayProviderId | typeof HTTP_ROUTE_TEMPLATE;

export function isTemplateId(id: string): id is TemplateId {
  return (
    id === HTTP_ROUTE_TEMPLATE ||
    (GATEWAY_PROVIDER_IDS as readonly string[]).includes(id)
  );
}

function inputSchemaOf(id: TemplateId): z.ZodType {
  return id === HTTP_ROUTE_TEMPLATE
    ? httpRouteInputSchema
    : PROVIDER_TEMPLATES[id].inputSchema;
}

export interface TemplateDescription {
  id: TemplateId;
  title: string;
  description: string;
}

export function listTemplates(): TemplateDescription[] {
  return [
    ...GATEWAY_PROVIDER_IDS.map(id => {
      const { title, description } = PROVIDER_TEMPLATES[id];
      return { id, title, description };
    }),
    {
      id: HTTP_ROUTE_TEMPLATE,
      title: 'HTTPRoute',
      description: "Expose the entity's Service through a Gateway",
    },
  ];
}

/** JSON Schema (draft 2020-12) of a template's request body, for forms and docs. */
export function templateInputJsonSchema(
  id: TemplateId,
): Record<string, unknown> {
  return z.toJSONSchema(inputSchemaOf(id), {
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
}

export type TemplateResult =
  | { ok: true; bundle: GatewayBundle }
  | { ok: false; findings: GatewayFinding[] };

/** Validates the input and builds the bundle; input errors come back as findings with paths. */
export function buildTemplate(id: TemplateId, input: unknown): TemplateResult {
  const parsed = inputSchemaOf(id).safeParse(input);
  if (!parsed.success)
    return { ok: false, findings: findingsFromZodError(parsed.error) };
  if (id === HTTP_ROUTE_TEMPLATE) {
    return { ok: true, bundle: buildHttpRoute(parsed.data as any) };
  }
  const template = PROVIDER_TEMPLATES[
    id
  ] as ProviderTemplate<GatewayProviderInput>;
  return {
    ok: true,
    bundle: template.build(parsed.data as GatewayProviderInput),
  };
}

export { HTTP_ROUTE_TEMPLATE };
export type { ProviderTemplate };
