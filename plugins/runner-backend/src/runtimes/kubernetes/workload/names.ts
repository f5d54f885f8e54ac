import type { RuntimeHandle } from '@internal/plugin-runner-node';

/*
 * How the runtime names and labels what it creates, and how a handle
 * encodes where it lives. The labels on the workload and its pod template
 * are what the stock Backstage Kubernetes tab and `kubectl -l` find.
 */

export const RUNTIME_ID = 'kubernetes';

export const LABELS = {
  /** The entity's name: what Backstage's Kubernetes plugin matches by default. */
  kubernetesId: 'backstage.io/kubernetes-id',
  managedBy: 'app.kubernetes.io/managed-by',
  /** The entity's name, for `kubectl get -l app.kubernetes.io/name=…`. */
  name: 'app.kubernetes.io/name',
  instanceId: 'runner.backstage.io/instance-id',
  /** The runner installation (its database): each adopts and reaps only its own. */
  installation: 'runner.backstage.io/installation',
} as const;

export const MANAGED_BY = 'backstage-runner';

/** Values too long or too free for a label (a label value is at most 63 characters of [A-Za-z0-9._-]). */
export const ANNOTATIONS = {
  entityRef: 'runner.backstage.io/entity-ref',
  configHash: 'runner.backstage.io/config-hash',
  cacheKey: 'runner.backstage.io/cache-key',
  /** What `kubectl rollout restart` sets; a new value rolls every pod. */
  restartedAt: 'kubectl.kubernetes.io/restartedAt',
} as const;

export type WorkloadKind = 'deployment' | 'job';

/** Where a workload lives; the handle's id is these parts joined by `/`. */
export interface WorkloadRef {
  cluster: string;
  namespace: string;
  kind: WorkloadKind;
  /** The workload's name, also the Service's and the Secret's. */
  name: string;
  instanceId: string;
}

/** A DNS-1035 label: lowercase, starts with a letter, at most 63 characters (Service names need it). */
export function workloadName(entityName: string, instanceId: string): string {
  const entity = entityName
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 45)
    .replace(/-+$/, '');
  const id = instanceId
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .slice(0, 8);
  return `runner-${entity || 'component'}-${id}`;
}

/** A label value from free text: [A-Za-z0-9._-], at most 63, alphanumeric at both ends. */
export function labelValue(text: string): string {
  return text
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}

/** Everything of one instance (instance ids are unique across installations). */
export function instanceSelector(instanceId: string): string {
  return `${LABELS.managedBy}=${MANAGED_BY},${LABELS.instanceId}=${labelValue(
    instanceId,
  )}`;
}

/** Everything any runner installation made: what the informers watch. */
export const MANAGED_SELECTOR = `${LABELS.managedBy}=${MANAGED_BY}`;

export function toHandle(ref: WorkloadRef): RuntimeHandle {
  return {
    runtime: RUNTIME_ID,
    id: [ref.cluster, ref.namespace, ref.kind, ref.name, ref.instanceId].join(
      '/',
    ),
  };
}

/** The parts of a handle this runtime made; throws for any other. */
export function fromHandle(handle: RuntimeHandle): WorkloadRef {
  const parts = handle.id.split('/');
  if (
    handle.runtime !== RUNTIME_ID ||
    parts.length !== 5 ||
    (parts[2] !== 'deployment' && parts[2] !== 'job')
  ) {
    throw new TypeError(
      `'${handle.runtime}:${handle.id}' is not a handle of the Kubernetes runtime`,
    );
  }
  const [cluster, namespace, kind, name, instanceId] = parts;
  return { cluster, namespace, kind: kind as WorkloadKind, name, instanceId };
}
