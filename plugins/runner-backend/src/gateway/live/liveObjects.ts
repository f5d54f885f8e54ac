import {
  GATEWAY_OWNERSHIP,
  type GatewayBundleType,
} from '@internal/plugin-runner-common';
import type { KubernetesObject } from '../bundle';
import { HTTP_ROUTE_TEMPLATE } from '../templates';

/*
 * Shapes of live objects: what the API server adds (and what to take away
 * before comparing, exporting or recording), how an object names its bundle,
 * and whether a bundle is a route or a provider.
 */

/** Metadata the API server owns; never part of what the plugin proposes. */
const SERVER_METADATA = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
];

/** The object as a user would write it: no server metadata, no status. */
export function withoutServerFields(
  object: KubernetesObject,
): KubernetesObject {
  const { status: _status, ...rest } = object as KubernetesObject & {
    status?: unknown;
  };
  const metadata: Record<string, unknown> = { ...object.metadata };
  for (const field of SERVER_METADATA) delete metadata[field];
  return { ...rest, metadata } as KubernetesObject;
}

/** `Kind/name`: how resourceVersions and diffs name an object within one bundle. */
export function refKey(object: {
  kind: string;
  metadata: { name: string };
}): string {
  return `${object.kind}/${object.metadata.name}`;
}

export function bundleNameOf(object: KubernetesObject): string | undefined {
  return object.metadata.labels?.[GATEWAY_OWNERSHIP.bundleLabel];
}

export function templateOf(objects: KubernetesObject[]): string {
  for (const object of objects) {
    const template =
      object.metadata.annotations?.[GATEWAY_OWNERSHIP.templateAnnotation];
    if (template) return template;
  }
  return bundleTypeOf(objects) === 'route' ? HTTP_ROUTE_TEMPLATE : 'custom';
}

/** A bundle with an HTTPRoute and nothing of the AI Gateway is a route; anything else a provider. */
export function bundleTypeOf(
  objects: Array<{ kind: string }>,
): GatewayBundleType {
  return objects.length > 0 && objects.every(o => o.kind === 'HTTPRoute')
    ? 'route'
    : 'provider';
}

/** Live objects grouped by their bundle label, in a stable order. */
export function groupByBundle(
  objects: KubernetesObject[],
): Map<string, KubernetesObject[]> {
  const bundles = new Map<string, KubernetesObject[]>();
  for (const object of objects) {
    const name = bundleNameOf(object);
    if (!name) continue;
    bundles.set(name, [...(bundles.get(name) ?? []), object]);
  }
  return new Map([...bundles.entries()].sort(([a], [b]) => a.localeCompare(b)));
}
