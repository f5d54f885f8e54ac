import {
  GATEWAY_ANNOTATIONS,
  GATEWAY_PROVIDER_IDS,
  type GatewayBundleType,
  type GatewayFinding,
} from '@internal/plugin-runner-common';
import type { GatewayBundle } from '../bundle';
import { withKeptCredentials } from '../changes/keptCredentials';
import type { GatewayBinding } from '../entityBinding';
import { buildTemplate, HTTP_ROUTE_TEMPLATE } from '../templates';

/*
 * A request body (a template's input) turned into a bundle for one entity.
 * The entity decides what the caller may leave out or must not change: the
 * namespace (its `gateway-namespace` annotation), the owning entity (the
 * URL), the parent Gateway (its `gateway-parent` annotation, unless the
 * input names one). Provider edits may omit credential values to keep the
 * ones in the cluster.
 */

export interface BundleRequest {
  type: GatewayBundleType;
  body: unknown;
  /** The bundle name from the URL (updates): the input's `name` must match or be left out. */
  name?: string;
  /** Allow credential values to be omitted (kept from the live Secret). */
  allowKeptCredentials?: boolean;
}

export type PreparedBundle =
  | {
      ok: true;
      bundle: GatewayBundle;
      name: string;
      template: string;
      keepSecret: boolean;
    }
  | { ok: false; findings: GatewayFinding[]; template?: string };

function inputFinding(path: string, message: string): GatewayFinding {
  return { path, message, severity: 'error', source: 'rule' };
}

export function prepareBundle(
  request: BundleRequest,
  binding: GatewayBinding,
): PreparedBundle {
  const body = request.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return {
      ok: false,
      findings: [
        inputFinding(
          '',
          'Invalid value: the body must be a JSON object (the template input)',
        ),
      ],
    };
  }
  const raw = body as Record<string, any>;
  let template: string;
  if (request.type === 'route') {
    template = HTTP_ROUTE_TEMPLATE;
  } else if (
    (GATEWAY_PROVIDER_IDS as readonly string[]).includes(raw.provider)
  ) {
    template = raw.provider;
  } else {
    return {
      ok: false,
      findings: [
        inputFinding(
          'provider',
          `Unsupported value: ${JSON.stringify(
            raw.provider ?? null,
          )}: supported values: ${GATEWAY_PROVIDER_IDS.map(p =>
            JSON.stringify(p),
          ).join(', ')}`,
        ),
      ],
    };
  }
  const findings: GatewayFinding[] = [];
  if (raw.namespace !== undefined && raw.namespace !== binding.namespace) {
    findings.push(
      inputFinding(
        'namespace',
        `Invalid value: ${JSON.stringify(raw.namespace)}: ${
          binding.entityRef
        } keeps its gateway resources in namespace ${
          binding.namespace
        } (annotation ${GATEWAY_ANNOTATIONS.namespace})`,
      ),
    );
  }
  if (
    raw.entityRef !== undefined &&
    String(raw.entityRef).toLocaleLowerCase('en-US') !==
      binding.entityRef.toLocaleLowerCase('en-US')
  ) {
    findings.push(
      inputFinding(
        'entityRef',
        `Invalid value: ${JSON.stringify(raw.entityRef)}: must be ${
          binding.entityRef
        }, the entity in the URL`,
      ),
    );
  }
  if (
    request.name !== undefined &&
    raw.name !== undefined &&
    raw.name !== request.name
  ) {
    findings.push(
      inputFinding(
        'name',
        `Invalid value: ${JSON.stringify(raw.name)}: must be ${JSON.stringify(
          request.name,
        )}, the name in the URL (a bundle cannot be renamed)`,
      ),
    );
  }
  if (findings.length > 0) return { ok: false, findings, template };

  let input: Record<string, unknown> = {
    ...raw,
    ...(request.name !== undefined ? { name: request.name } : {}),
    namespace: binding.namespace,
    entityRef: binding.entityRef,
    ...(raw.parentGateway === undefined && binding.parentGateway
      ? { parentGateway: binding.parentGateway }
      : {}),
  };
  let keepSecret = false;
  if (request.type === 'provider' && request.allowKeptCredentials) {
    const kept = withKeptCredentials(template, input);
    input = kept.input as Record<string, unknown>;
    keepSecret = kept.keep;
  }
  const built = buildTemplate(template as never, input);
  if (!built.ok) return { ok: false, findings: built.findings, template };
  return {
    ok: true,
    bundle: built.bundle,
    name: String(input.name),
    template,
    keepSecret,
  };
}
