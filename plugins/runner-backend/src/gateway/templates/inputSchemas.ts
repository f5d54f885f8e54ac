import { z } from 'zod';
import { parseEntityRef } from '@backstage/catalog-model';
import { hostnameProblem, type HostnameField } from '../validation/hostnames';

/*
 * Building blocks of the template input schemas. They are zod schemas so the
 * same definition validates requests and, through z.toJSONSchema, describes
 * the forms (`GET /gateway/templates/:provider`). No transforms: every schema
 * here must stay representable as JSON Schema.
 */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_MESSAGE =
  'must be a lowercase RFC 1123 label: a-z, 0-9 and "-", starting and ending with a letter or digit';

/** Prefix of every object name; short enough for the longest suffix (`-credentials`). */
export const bundleNameSchema = z
  .string()
  .min(1)
  .max(40)
  .regex(DNS_LABEL, LABEL_MESSAGE)
  .describe('Prefix of every object name in the bundle');

export const namespaceSchema = z
  .string()
  .min(1)
  .max(63)
  .regex(DNS_LABEL, LABEL_MESSAGE)
  .describe('Target namespace');

export const entityRefSchema = z
  .string()
  .min(1)
  .refine(
    ref => {
      try {
        parseEntityRef(ref);
        return /^[^:]+:/.test(ref);
      } catch {
        return false;
      }
    },
    { message: 'must be an entity ref such as component:default/my-service' },
  )
  .describe('Owning catalog entity, e.g. component:default/my-service');

export const parentGatewaySchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(253)
      .regex(DNS_SUBDOMAIN, 'must be a lowercase RFC 1123 subdomain'),
    namespace: namespaceSchema.optional(),
    sectionName: z
      .string()
      .min(1)
      .max(253)
      .regex(DNS_SUBDOMAIN, 'must be a lowercase RFC 1123 subdomain')
      .optional(),
  })
  .describe('The Gateway the route attaches to');

export const durationSchema = z
  .string()
  .regex(
    /^([0-9]{1,5}(h|m|s|ms)){1,4}$/,
    'must be a Gateway API duration such as 30s, 500ms or 1m30s',
  );

export const timeoutsSchema = z
  .object({
    request: durationSchema
      .optional()
      .describe('Whole request, including retries'),
    backendRequest: durationSchema
      .optional()
      .describe('One request to a backend'),
  })
  .describe('Gateway API timeouts');

/** A host name field of a template; what only deserves a warning is left to the business rules on the objects. */
export function hostnameSchema(field: HostnameField) {
  return z
    .string()
    .max(253)
    .superRefine((value, ctx) => {
      const problem = hostnameProblem(value, field);
      if (problem?.severity === 'error') {
        ctx.addIssue({ code: 'custom', message: problem.message });
      }
    });
}

export const secretValueSchema = z
  .string()
  .min(1)
  .describe('Write-only: stored in a Secret, never returned');

const weightSchema = z.number().int().min(0).max(1_000_000);
const prioritySchema = z.number().int().min(0).max(1_000_000);

export const modelSchema = z.object({
  name: z
    .string()
    .min(1)
    .max(4096)
    .describe('Value of the x-ai-eg-model header'),
  modelNameOverride: z
    .string()
    .min(1)
    .optional()
    .describe('Model name sent to the provider instead'),
  weight: weightSchema
    .optional()
    .describe("Weight of this provider's backend (default 1)"),
  priority: prioritySchema
    .optional()
    .describe('0 is tried first; higher numbers are fallbacks (default 0)'),
  additionalBackends: z
    .array(
      z.object({
        name: z
          .string()
          .min(1)
          .max(253)
          .regex(DNS_SUBDOMAIN, 'must be a lowercase RFC 1123 subdomain'),
        namespace: namespaceSchema.optional(),
        weight: weightSchema.optional(),
        priority: prioritySchema.optional(),
        modelNameOverride: z.string().min(1).optional(),
      }),
    )
    .max(
      15,
      'at most 15 additional backends: an AI Gateway rule has at most 16 backendRefs',
    )
    .optional()
    .describe(
      'Other AIServiceBackends for weighted splits or priority fallback',
    ),
});

export const llmRequestCostSchema = z.object({
  metadataKey: z.string().min(1),
  type: z.enum([
    'OutputToken',
    'InputToken',
    'CachedInputToken',
    'CacheCreationInputToken',
    'TotalToken',
    'ReasoningToken',
    'CEL',
  ]),
  cel: z.string().min(1).optional(),
});

export const oidcClientSchema = z.object({
  issuer: z.url().describe('OIDC issuer URL'),
  clientId: z.string().min(1),
  clientSecret: secretValueSchema,
});

/** Fields every provider template shares (see ProviderInputBase in runner-common). */
export const providerBaseShape = {
  name: bundleNameSchema,
  namespace: namespaceSchema,
  entityRef: entityRefSchema,
  parentGateway: parentGatewaySchema,
  models: z
    .array(modelSchema)
    .min(1)
    .max(
      15,
      'at most 15 models: each becomes a rule and an AIGatewayRoute has at most 15',
    )
    .superRefine((models, ctx) => {
      const seen = new Set<string>();
      models.forEach((model, i) => {
        if (seen.has(model.name)) {
          ctx.addIssue({
            code: 'custom',
            path: [i, 'name'],
            message: 'model names must be unique',
          });
        }
        seen.add(model.name);
      });
    }),
  hostnames: z
    .array(hostnameSchema('route'))
    .max(16)
    .optional()
    .describe('Host names the route answers'),
  timeouts: timeoutsSchema.optional(),
  llmRequestCosts: z
    .array(llmRequestCostSchema)
    .max(36)
    .optional()
    .describe(
      'Token usage recorded as metadata; default input, output and total tokens',
    ),
};
