import type {
  CategorizedError,
  GatewayBundleType,
  GatewayBundleView,
} from '@internal/plugin-runner-common';
import { classifyError } from '../../errors/classifyError';
import type { ClusterClient } from '../../kubernetes/ClusterClient';
import { KubernetesApiError } from '../../kubernetes/KubernetesApiError';
import {
  redactObject,
  sortForApply,
  summarizeBundle,
  type KubernetesObject,
} from '../bundle';
import type { GatewayLiveState } from '../live/GatewayLiveState';
import {
  bundleTypeOf,
  groupByBundle,
  refKey,
  templateOf,
} from '../live/liveObjects';
import { combine, hasStatus, summarizeStatus } from '../live/statusSummary';
import { MANAGED_KINDS } from '../managedKinds';
import { entityLabelSelector, isOwnedBy } from '../ownership';
import { fromClusterError } from './errors';
import type { GatewayTarget } from './target';

/*
 * An entity's live objects: from the watch cache when it is synced (reads),
 * or straight from the API server (writes, which need the authoritative
 * state and the Secret's stored values). Only objects carrying the entity's
 * ownership label AND annotation count; anything else is never touched.
 */

export async function loadLiveObjects(
  target: GatewayTarget,
  cluster: ClusterClient,
  options: { liveState?: GatewayLiveState; fresh?: boolean },
): Promise<KubernetesObject[]> {
  const { entityRef, namespace } = target.binding;
  if (!options.fresh) {
    const cached = options.liveState?.objectsOf(cluster.name, entityRef);
    if (cached) return cached.filter(o => o.metadata.namespace === namespace);
  }
  const api = cluster.api();
  const selector = entityLabelSelector(entityRef);
  try {
    const lists = await Promise.all(
      MANAGED_KINDS.map(kind =>
        api
          .list(kind.apiVersion, kind.kind, {
            namespace,
            labelSelector: selector,
          })
          .then(list => list.items)
          .catch(error => {
            // A CRD that is not installed holds nothing of this entity.
            if (error instanceof KubernetesApiError && error.code === 404)
              return [];
            throw error;
          }),
      ),
    );
    return lists
      .flat()
      .filter(o =>
        isOwnedBy(o.metadata as KubernetesObject['metadata'], entityRef),
      ) as KubernetesObject[];
  } catch (error) {
    throw fromClusterError(error, cluster.name);
  }
}

/** The live objects of one bundle by `Kind/name`. */
export function bundleMap(
  objects: KubernetesObject[],
  bundle: string,
): Map<string, KubernetesObject> {
  return new Map(
    (groupByBundle(objects).get(bundle) ?? []).map(o => [refKey(o), o]),
  );
}

/**
 * The HTTPRoute generated from an AIGatewayRoute, and (`errorOf`) why it
 * could not be read when it could not: a refused or failed read is not "no
 * generated route", and the status says so instead of looking unattached.
 */
export type GeneratedRouteLookup = ((
  route: KubernetesObject,
) => KubernetesObject | undefined) & {
  errorOf?: (route: KubernetesObject) => CategorizedError | undefined;
};

export function bundleView(
  name: string,
  objects: KubernetesObject[],
  target: GatewayTarget,
  cluster: string,
  generatedRouteOf: GeneratedRouteLookup,
): GatewayBundleView {
  const ordered = sortForApply(objects);
  const status = ordered.filter(hasStatus).map(o => {
    if (o.kind !== 'AIGatewayRoute') return summarizeStatus(o, undefined);
    const error = generatedRouteOf.errorOf?.(o);
    return {
      ...summarizeStatus(o, generatedRouteOf(o)),
      ...(error ? { generatedRouteError: error } : {}),
    };
  });
  const summary = summarizeBundle({
    template: templateOf(ordered),
    entityRef: target.binding.entityRef,
    namespace: target.binding.namespace,
    objects: ordered,
  });
  return {
    name,
    type: bundleTypeOf(ordered),
    template: summary.template,
    cluster,
    namespace: target.binding.namespace,
    objects: ordered.map(redactObject),
    resourceVersions: Object.fromEntries(
      ordered.map(o => [refKey(o), String(o.metadata.resourceVersion ?? '')]),
    ),
    secrets: summary.secrets,
    accepted: combine(status.map(s => s.accepted)),
    status,
  };
}

export function bundleViews(
  objects: KubernetesObject[],
  type: GatewayBundleType | undefined,
  target: GatewayTarget,
  cluster: string,
  generatedRouteOf: GeneratedRouteLookup,
): GatewayBundleView[] {
  return [...groupByBundle(objects).entries()]
    .filter(([, members]) => !type || bundleTypeOf(members) === type)
    .map(([name, members]) =>
      bundleView(name, members, target, cluster, generatedRouteOf),
    );
}

/**
 * Finds the HTTPRoutes the AI Gateway generated from the AIGatewayRoutes
 * among `objects`: from the watch cache when synced, else by reading them.
 */
export async function generatedRouteLookup(
  cluster: ClusterClient,
  objects: KubernetesObject[],
  liveState: GatewayLiveState | undefined,
): Promise<GeneratedRouteLookup> {
  if (liveState?.isSynced(cluster.name)) {
    return route => liveState.generatedRoute(cluster.name, route);
  }
  const found = new Map<string, KubernetesObject>();
  const errors = new Map<string, CategorizedError>();
  for (const route of objects.filter(o => o.kind === 'AIGatewayRoute')) {
    // A missing one is undefined (get answers 404 so); anything else is kept.
    const generated = await cluster
      .api()
      .get({
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        namespace: route.metadata.namespace,
        name: route.metadata.name,
      })
      .catch(error => {
        errors.set(
          refKey(route),
          classifyError(error, {
            operation: 'kubernetes',
            cluster: cluster.name,
          }),
        );
        return undefined;
      });
    const owners: any[] = generated?.metadata.ownerReferences ?? [];
    if (
      generated &&
      owners.some(
        o => o.kind === 'AIGatewayRoute' && o.name === route.metadata.name,
      )
    ) {
      found.set(refKey(route), generated as KubernetesObject);
    }
  }
  return Object.assign((route: KubernetesObject) => found.get(refKey(route)), {
    errorOf: (route: KubernetesObject) => errors.get(refKey(route)),
  });
}
