import type { KubernetesObject } from '../bundle';

/*
 * A PUT replaces the whole object, so what the plugin sends keeps what
 * others put on the live object and the plugin does not manage: labels and
 * annotations it does not set (kubectl's, a controller's), finalizers and
 * owner references. It carries the live resourceVersion, so the API server
 * refuses it (409) if the object changed in between.
 */
export function mergeForApply(
  desired: KubernetesObject,
  live: KubernetesObject | undefined,
): KubernetesObject {
  const { resourceVersion: _rv, ...metadata } =
    desired.metadata as KubernetesObject['metadata'] & {
      resourceVersion?: string;
    };
  if (!live) return { ...desired, metadata };
  const liveMeta = live.metadata as Record<string, any>;
  return {
    ...desired,
    metadata: {
      ...metadata,
      labels: { ...(liveMeta.labels ?? {}), ...(metadata.labels ?? {}) },
      annotations: {
        ...(liveMeta.annotations ?? {}),
        ...(metadata.annotations ?? {}),
      },
      ...(liveMeta.finalizers ? { finalizers: liveMeta.finalizers } : {}),
      ...(liveMeta.ownerReferences
        ? { ownerReferences: liveMeta.ownerReferences }
        : {}),
      resourceVersion: liveMeta.resourceVersion,
    },
  };
}
