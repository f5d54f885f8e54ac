import type {
  GatewayBundleType,
  GatewayFinding,
} from '@internal/plugin-runner-common';
import { KubernetesApiError } from '../../kubernetes/KubernetesApiError';
import { isSecret, type KubernetesObject } from '../bundle';
import {
  isRedactedSecret,
  keepLiveSecretValues,
} from '../changes/keptCredentials';
import { parseImport } from '../changes/yamlIO';
import {
  groupByBundle,
  refKey,
  templateOf,
  bundleTypeOf,
} from '../live/liveObjects';
import { HTTP_ROUTE_TEMPLATE } from '../templates';
import { prepareBundle } from './bundleRequests';
import { loadLiveObjects } from './liveBundles';
import type { GatewayTarget } from './target';

/*
 * A proposed change as validate, diff and export see it: a template input
 * (`{ template, input }`) or YAML (`{ yaml }`), turned into bundles, each
 * next to its live objects when a cluster is configured and answers.
 * Credentials left out of an edit (or "set" in YAML) take the live values,
 * exactly as an update or import would.
 */

export type ProposalRequest =
  | { template: string; input: unknown }
  | { yaml: string; bundle?: string };

export interface ProposedBundle {
  name: string;
  type: GatewayBundleType;
  template: string;
  desired: KubernetesObject[];
  live: Map<string, KubernetesObject>;
  keptSecrets: Set<string>;
  findings: GatewayFinding[];
}

export interface Proposal {
  bundles: ProposedBundle[];
  /** Input that could not be turned into objects (template input errors, YAML errors). */
  findings: GatewayFinding[];
  /** Whether live objects were read; why not otherwise. */
  live: { loaded: true } | { loaded: false; reason: string };
}

async function liveObjects(
  target: GatewayTarget,
): Promise<Proposal['live'] & { objects: KubernetesObject[] }> {
  if (!target.cluster) {
    return { loaded: false, reason: 'no cluster is configured', objects: [] };
  }
  try {
    return {
      loaded: true,
      objects: await loadLiveObjects(target, target.cluster, { fresh: true }),
    };
  } catch (error) {
    const message =
      error instanceof KubernetesApiError || error instanceof Error
        ? error.message
        : String(error);
    return {
      loaded: false,
      reason: `cluster ${target.cluster.name} is unavailable: ${message}`,
      objects: [],
    };
  }
}

function keepSecrets(
  desired: KubernetesObject[],
  live: Map<string, KubernetesObject>,
  onlyRedacted: boolean,
) {
  const keptSecrets = new Set<string>();
  const findings: GatewayFinding[] = [];
  const objects = desired.map(object => {
    if (!isSecret(object) || (onlyRedacted && !isRedactedSecret(object)))
      return object;
    const kept = keepLiveSecretValues([object], live.get(refKey(object)));
    findings.push(...kept.findings);
    kept.kept.forEach(k => keptSecrets.add(k));
    return kept.objects[0];
  });
  return { objects, findings, keptSecrets };
}

export async function buildProposal(
  target: GatewayTarget,
  request: ProposalRequest,
): Promise<Proposal> {
  const live = await liveObjects(target);
  const liveBundles = groupByBundle(live.objects);
  const liveOf = (name: string) =>
    new Map((liveBundles.get(name) ?? []).map(o => [refKey(o), o]));
  const status: Proposal['live'] = live.loaded
    ? { loaded: true }
    : { loaded: false, reason: live.reason };

  if ('yaml' in request) {
    const parsed = parseImport(request.yaml, target.binding, {
      bundle: request.bundle,
    });
    const bundles = [
      ...groupByBundle(parsed.objects.map(o => o.object)).entries(),
    ].map(([name, objects]) => {
      const current = liveOf(name);
      const kept = keepSecrets(objects, current, true);
      return {
        name,
        type: bundleTypeOf(objects),
        template: templateOf(objects),
        desired: kept.objects,
        live: current,
        keptSecrets: kept.keptSecrets,
        findings: live.loaded ? kept.findings : [],
      };
    });
    const findings = [...parsed.findings];
    if (bundles.length === 0 && findings.length === 0) {
      findings.push({
        path: '',
        message: 'Required value: the YAML holds no objects',
        severity: 'error',
        source: 'yaml',
      });
    }
    return { bundles, findings, live: status };
  }

  const type: GatewayBundleType =
    request.template === HTTP_ROUTE_TEMPLATE ? 'route' : 'provider';
  const input =
    type === 'provider' && request.input && typeof request.input === 'object'
      ? {
          provider: request.template,
          ...(request.input as Record<string, unknown>),
        }
      : request.input;
  const name = (input as { name?: unknown } | undefined)?.name;
  const current =
    typeof name === 'string'
      ? liveOf(name)
      : new Map<string, KubernetesObject>();
  const prepared = prepareBundle(
    { type, body: input, allowKeptCredentials: current.size > 0 },
    target.binding,
  );
  if (!prepared.ok)
    return { bundles: [], findings: prepared.findings, live: status };
  const kept = prepared.keepSecret
    ? keepSecrets(prepared.bundle.objects, current, false)
    : {
        objects: prepared.bundle.objects,
        findings: [],
        keptSecrets: new Set<string>(),
      };
  return {
    bundles: [
      {
        name: prepared.name,
        type,
        template: prepared.template,
        desired: kept.objects,
        live: current,
        keptSecrets: kept.keptSecrets,
        findings: kept.findings,
      },
    ],
    findings: [],
    live: status,
  };
}
