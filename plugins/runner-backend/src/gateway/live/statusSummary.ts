import {
  GATEWAY_OWNERSHIP,
  type GatewayCondition,
  type GatewayEntityStatusSummary,
  type GatewayObjectStatus,
  type GatewayRouteParentStatus,
  type GatewayTriState,
} from '@internal/plugin-runner-common';
import { objectRef, type KubernetesObject } from '../bundle';

/*
 * Status conditions summarized per object: Accepted / NotAccepted and
 * ResolvedRefs from `status.conditions` (AI Gateway and Envoy Gateway
 * kinds), `status.parents[].conditions` (routes, per parent Gateway) and
 * `status.ancestors[].conditions` (policies). The AI Gateway reports
 * rejection as a `NotAccepted` condition with status True; Gateway API as
 * `Accepted` with status False. Conditions about an older generation are
 * stale and count as Unknown.
 */

function conditionsOf(value: unknown): GatewayCondition[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter(c => c && typeof c.type === 'string')
    .map(c => ({
      type: c.type,
      status: ['True', 'False'].includes(c.status) ? c.status : 'Unknown',
      ...(c.reason ? { reason: c.reason } : {}),
      ...(c.message ? { message: c.message } : {}),
      ...(typeof c.observedGeneration === 'number'
        ? { observedGeneration: c.observedGeneration }
        : {}),
      ...(c.lastTransitionTime
        ? { lastTransitionTime: c.lastTransitionTime }
        : {}),
    }));
}

function current(
  conditions: GatewayCondition[],
  generation: number | undefined,
) {
  return conditions.filter(
    c =>
      generation === undefined ||
      c.observedGeneration === undefined ||
      c.observedGeneration >= generation,
  );
}

function accepted(conditions: GatewayCondition[]): GatewayTriState {
  const notAccepted = conditions.find(c => c.type === 'NotAccepted');
  if (notAccepted?.status === 'True') return 'False';
  const condition = conditions.find(c => c.type === 'Accepted');
  if (condition) return condition.status;
  return notAccepted?.status === 'False' ? 'True' : 'Unknown';
}

function resolvedRefs(conditions: GatewayCondition[]): GatewayTriState {
  return conditions.find(c => c.type === 'ResolvedRefs')?.status ?? 'Unknown';
}

/** All True → True; any False → False; otherwise Unknown. */
export function combine(states: GatewayTriState[]): GatewayTriState {
  if (states.length === 0) return 'Unknown';
  if (states.includes('False')) return 'False';
  return states.every(s => s === 'True') ? 'True' : 'Unknown';
}

function parentsOf(
  entries: unknown,
  generation: number | undefined,
  refField: string,
): GatewayRouteParentStatus[] {
  if (!Array.isArray(entries)) return [];
  return entries.map(entry => {
    const conditions = current(conditionsOf(entry?.conditions), generation);
    const ref = entry?.[refField] ?? {};
    return {
      parentRef: {
        name: String(ref.name ?? ''),
        ...(ref.namespace ? { namespace: ref.namespace } : {}),
        ...(ref.sectionName ? { sectionName: ref.sectionName } : {}),
      },
      ...(entry?.controllerName
        ? { controllerName: entry.controllerName }
        : {}),
      accepted: accepted(conditions),
      resolvedRefs: resolvedRefs(conditions),
      conditions,
    };
  });
}

function reasonOf(conditions: GatewayCondition[]): string | undefined {
  const bad =
    conditions.find(
      c =>
        (c.type === 'Accepted' && c.status === 'False') ||
        (c.type === 'NotAccepted' && c.status === 'True'),
    ) ??
    conditions.find(c => c.type === 'ResolvedRefs' && c.status === 'False');
  return bad ? [bad.reason, bad.message].filter(Boolean).join(': ') : undefined;
}

/**
 * One object's status. `generatedRoute` is the HTTPRoute the AI Gateway
 * generated from an AIGatewayRoute; its parents say whether Envoy Gateway
 * attached it.
 */
export function summarizeStatus(
  object: KubernetesObject,
  generatedRoute?: KubernetesObject,
): GatewayObjectStatus {
  const status = (object as { status?: any }).status ?? {};
  const generation = object.metadata.generation as number | undefined;
  const own = conditionsOf(status.conditions);
  const fresh = current(own, generation);
  const parents = parentsOf(status.parents, generation, 'parentRef');
  const ancestors = parentsOf(status.ancestors, generation, 'ancestorRef');
  const generated = generatedRoute
    ? parentsOf(
        (generatedRoute as { status?: any }).status?.parents,
        generatedRoute.metadata.generation as number | undefined,
        'parentRef',
      )
    : undefined;
  const perParent = [...parents, ...ancestors];
  const acceptedStates = [
    ...(fresh.some(c => c.type === 'Accepted' || c.type === 'NotAccepted')
      ? [accepted(fresh)]
      : []),
    ...perParent.map(p => p.accepted),
    ...(generated ?? []).map(p => p.accepted),
  ];
  const resolvedStates = [
    ...(fresh.some(c => c.type === 'ResolvedRefs')
      ? [resolvedRefs(fresh)]
      : []),
    ...perParent.map(p => p.resolvedRefs),
    ...(generated ?? []).map(p => p.resolvedRefs),
  ];
  const allConditions = [
    ...fresh,
    ...perParent.flatMap(p => p.conditions),
    ...(generated ?? []).flatMap(p => p.conditions),
  ];
  // Conditions about an older generation: nothing is known about the current
  // one yet, nor about what was generated from the older one.
  const stale =
    own.length > fresh.length || perParent.some(p => p.conditions.length === 0);
  const result: GatewayObjectStatus = {
    object: objectRef(object),
    accepted: stale ? 'Unknown' : combine(acceptedStates),
    resolvedRefs: stale ? 'Unknown' : combine(resolvedStates),
    stale,
    conditions: own,
    ...(parents.length > 0 ? { parents } : {}),
    ...(ancestors.length > 0 ? { parents: [...parents, ...ancestors] } : {}),
    ...(generated ? { generatedRouteParents: generated } : {}),
  };
  const reason = reasonOf(allConditions);
  if (reason) result.reason = reason;
  return result;
}

/** Objects that carry status conditions: Secrets never do. */
export function hasStatus(object: KubernetesObject): boolean {
  return object.kind !== 'Secret';
}

export function entitySummary(
  entityRef: string,
  cluster: string,
  objects: KubernetesObject[],
  generatedRouteOf: (route: KubernetesObject) => KubernetesObject | undefined,
): GatewayEntityStatusSummary {
  const statuses = objects
    .filter(hasStatus)
    .map(o =>
      summarizeStatus(
        o,
        o.kind === 'AIGatewayRoute' ? generatedRouteOf(o) : undefined,
      ),
    );
  return {
    entityRef,
    cluster,
    accepted: combine(statuses.map(s => s.accepted)),
    objects: statuses,
    notAccepted: statuses
      .filter(s => s.accepted === 'False')
      .map(s => s.object),
  };
}

/** The entity an object belongs to, from the plugin's annotation. */
export function ownerOf(object: KubernetesObject): string | undefined {
  return object.metadata.annotations?.[GATEWAY_OWNERSHIP.entityRefAnnotation];
}
