import type { InstancePort } from '@internal/plugin-runner-common';
import type { LaunchSpec, RuntimeArtifact } from '@internal/plugin-runner-node';
import type { KubeObject } from '../../kubernetes/ClusterApi';
import { KubernetesApiError } from '../../kubernetes/KubernetesApiError';
import type { ResolvedTarget } from './ClusterTargets';
import { apiCall, type ApiCallContext } from './wire/apiFailure';
import {
  ownedBy,
  secretFor,
  serviceFor,
  workloadFor,
  type ManifestOptions,
} from './workload/manifests';
import { LABELS, type WorkloadRef } from './workload/names';
import { pathOf, type InstanceKind } from './workload/resources';

/*
 * Creates an instance's objects in dependency order: the Secret first (pods
 * read it at start), then the workload, then the Service, owned by the
 * workload so Kubernetes' garbage collector removes it too. A retried
 * launch finds its own objects (same instance label) and keeps them.
 */

/** POST, or the existing object when it belongs to the same instance. */
async function createOwn(
  target: ResolvedTarget,
  kind: InstanceKind,
  object: KubeObject,
  context: ApiCallContext,
): Promise<KubeObject> {
  const ns = target.namespace;
  return apiCall(
    { ...context, action: `create ${kind} ${object.metadata.name}` },
    async () => {
      try {
        return await target.http.json('POST', pathOf(kind, ns), {
          body: object,
          query: { fieldManager: 'backstage-runner' },
        });
      } catch (error) {
        if (!(error instanceof KubernetesApiError && error.code === 409))
          throw error;
        const existing = await target.http.json(
          'GET',
          pathOf(kind, ns, object.metadata.name),
        );
        if (
          existing?.metadata?.labels?.[LABELS.instanceId] !==
          object.metadata.labels?.[LABELS.instanceId]
        ) {
          throw error;
        }
        return existing;
      }
    },
  );
}

function endpointsOf(service: KubeObject | undefined): InstancePort[] {
  const ip = service?.spec?.clusterIP;
  if (!service || !ip || ip === 'None') return [];
  return (service.spec.ports ?? []).map((p: any) => ({
    containerPort: Number(p.targetPort ?? p.port),
    protocol: String(p.protocol ?? 'TCP').toLowerCase() as 'tcp' | 'udp',
    hostIp: ip,
    hostPort: p.port,
  }));
}

/** The Service's ClusterIP and ports, or none when it has no Service. */
export async function endpointsFor(
  target: ResolvedTarget,
  ref: WorkloadRef,
): Promise<InstancePort[]> {
  const service = await target.http
    .getOrUndefined(pathOf('Service', ref.namespace, ref.name))
    .catch(() => undefined);
  return endpointsOf(service);
}

export async function launchWorkload(
  target: ResolvedTarget,
  ref: WorkloadRef,
  artifact: RuntimeArtifact,
  spec: LaunchSpec,
  options: ManifestOptions,
): Promise<InstancePort[]> {
  const context: ApiCallContext = {
    cluster: ref.cluster,
    namespace: ref.namespace,
    action: 'create',
    entityRef: spec.entityRef,
    entityName: spec.entityName,
  };
  const secret = secretFor(ref, spec, artifact);
  if (secret) await createOwn(target, 'Secret', secret, context);
  const workload = await createOwn(
    target,
    ref.kind === 'job' ? 'Job' : 'Deployment',
    workloadFor(ref, spec, artifact, options),
    context,
  );
  const owned = {
    ...workload,
    apiVersion: ref.kind === 'job' ? 'batch/v1' : 'apps/v1',
    kind: ref.kind === 'job' ? 'Job' : 'Deployment',
  };
  const service = serviceFor(ref, spec, artifact);
  const created = service
    ? await createOwn(
        target,
        'Service',
        {
          ...service,
          metadata: { ...service.metadata, ownerReferences: [ownedBy(owned)] },
        },
        context,
      )
    : undefined;
  if (secret) {
    await apiCall({ ...context, action: `patch Secret ${ref.name}` }, () =>
      target.http.json('PATCH', pathOf('Secret', ref.namespace, ref.name), {
        body: { metadata: { ownerReferences: [ownedBy(owned)] } },
        contentType: 'application/merge-patch+json',
      }),
    );
  }
  return endpointsOf(created);
}

/**
 * Deletes what a failed launch may have created: by name, and only objects
 * of this instance (its label, then its uid as a precondition). Errors are
 * ignored; remove() verifies later.
 */
export async function discardWorkload(
  target: ResolvedTarget,
  ref: WorkloadRef,
): Promise<void> {
  const kinds: InstanceKind[] = [
    ref.kind === 'job' ? 'Job' : 'Deployment',
    'Service',
    'Secret',
  ];
  await Promise.all(
    kinds.map(async kind => {
      const path = pathOf(kind, ref.namespace, ref.name);
      const object = await target.http
        .getOrUndefined(path)
        .catch(() => undefined);
      if (object?.metadata?.labels?.[LABELS.instanceId] !== ref.instanceId)
        return;
      await target.http
        .json('DELETE', path, {
          body: {
            propagationPolicy: 'Background',
            preconditions: { uid: object.metadata.uid },
          },
        })
        .catch(() => undefined);
    }),
  );
}
