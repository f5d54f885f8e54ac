import type {
  LlmRequestCostInput,
  ProviderInputBase,
} from '@internal/plugin-runner-common';
import type { KubernetesObject } from '../bundle';
import { API, MODEL_HEADER, metadata, type Owner } from './objects';

/*
 * The AIGatewayRoute of a provider bundle: one rule per model, matching the
 * `x-ai-eg-model` header, sending to this provider's AIServiceBackend plus
 * any additional backends (by weight, or by priority for fallback).
 */

export const DEFAULT_LLM_REQUEST_COSTS: LlmRequestCostInput[] = [
  { metadataKey: 'llm_input_token', type: 'InputToken' },
  { metadataKey: 'llm_output_token', type: 'OutputToken' },
  { metadataKey: 'llm_total_token', type: 'TotalToken' },
];

/** Rule names are RFC 1123 subdomains derived from the model name, unique within the route. */
export function ruleNames(models: string[]): string[] {
  const used = new Set<string>();
  return models.map((model, i) => {
    let base = model
      .toLowerCase()
      .replace(/[^a-z0-9.-]+/g, '-')
      .replace(/\.{2,}/g, '.')
      .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
      .slice(0, 200)
      .replace(/[^a-z0-9]+$/, '');
    if (!base) base = `model-${i}`;
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}-${n}`;
    used.add(name);
    return name;
  });
}

function withOverride<T extends object>(ref: T, modelNameOverride?: string) {
  return modelNameOverride ? { ...ref, modelNameOverride } : ref;
}

export function aiGatewayRoute(
  input: ProviderInputBase,
  owner: Owner,
  aiServiceBackendName: string,
): KubernetesObject {
  const names = ruleNames(input.models.map(m => m.name));
  const parent = input.parentGateway;
  return {
    apiVersion: API.aiGateway,
    kind: 'AIGatewayRoute',
    metadata: metadata(input.name, owner),
    spec: {
      parentRefs: [
        {
          group: 'gateway.networking.k8s.io',
          kind: 'Gateway',
          name: parent.name,
          ...(parent.namespace ? { namespace: parent.namespace } : {}),
          ...(parent.sectionName ? { sectionName: parent.sectionName } : {}),
        },
      ],
      ...(input.hostnames?.length ? { hostnames: input.hostnames } : {}),
      rules: input.models.map((model, i) => ({
        name: names[i],
        matches: [
          {
            headers: [{ type: 'Exact', name: MODEL_HEADER, value: model.name }],
          },
        ],
        backendRefs: [
          withOverride(
            {
              name: aiServiceBackendName,
              weight: model.weight ?? 1,
              priority: model.priority ?? 0,
            },
            model.modelNameOverride,
          ),
          ...(model.additionalBackends ?? []).map(extra =>
            withOverride(
              {
                name: extra.name,
                ...(extra.namespace ? { namespace: extra.namespace } : {}),
                weight: extra.weight ?? 1,
                priority: extra.priority ?? 0,
              },
              extra.modelNameOverride,
            ),
          ),
        ],
        ...(input.timeouts && Object.keys(input.timeouts).length > 0
          ? { timeouts: { ...input.timeouts } }
          : {}),
      })),
      llmRequestCosts: (input.llmRequestCosts ?? DEFAULT_LLM_REQUEST_COSTS).map(
        cost => ({ ...cost }),
      ),
    },
  };
}
