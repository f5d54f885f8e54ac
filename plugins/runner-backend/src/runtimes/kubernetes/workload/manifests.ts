import type { LaunchSpec, RuntimeArtifact } from '@internal/plugin-runner-node';
import type { KubeObject } from '../../../kubernetes/ClusterApi';
import {
  ANNOTATIONS,
  LABELS,
  MANAGED_BY,
  labelValue,
  type WorkloadRef,
} from './names';
import { podSpec } from './podSpec';

/*
 * The objects of one instance: a Deployment (replicas) or a Job
 * (run-to-completion, with a deadline and a TTL), a Service for its ports,
 * and a Secret for its secret env. All carry the same labels, on the
 * workload and on its pod template.
 */

export interface ManifestOptions {
  fallbackUser: number;
  imagePullSecret?: string;
  /** Deployment: a rollout without progress for this long is reported as stalled. */
  progressDeadlineSeconds: number;
  /** Job: deleted (with its pods) this long after it finished. */
  jobTtlSeconds: number;
}

export function labelsFor(
  ref: WorkloadRef,
  spec: LaunchSpec,
): Record<string, string> {
  return {
    [LABELS.kubernetesId]: labelValue(spec.entityName),
    [LABELS.name]: labelValue(spec.entityName),
    [LABELS.managedBy]: MANAGED_BY,
    [LABELS.instanceId]: labelValue(ref.instanceId),
    [LABELS.installation]: labelValue(spec.installationId),
  };
}

function metadata(
  ref: WorkloadRef,
  spec: LaunchSpec,
  artifact: RuntimeArtifact,
) {
  return {
    name: ref.name,
    namespace: ref.namespace,
    labels: labelsFor(ref, spec),
    annotations: {
      [ANNOTATIONS.entityRef]: spec.entityRef,
      [ANNOTATIONS.configHash]: spec.configHash,
      [ANNOTATIONS.cacheKey]: artifact.cacheKey,
    },
  };
}

export function secretFor(
  ref: WorkloadRef,
  spec: LaunchSpec,
  artifact: RuntimeArtifact,
): KubeObject | undefined {
  if (Object.keys(spec.secretEnv).length === 0) return undefined;
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: metadata(ref, spec, artifact),
    type: 'Opaque',
    stringData: spec.secretEnv,
  };
}

export function workloadFor(
  ref: WorkloadRef,
  spec: LaunchSpec,
  artifact: RuntimeArtifact,
  options: ManifestOptions,
): KubeObject {
  const meta = metadata(ref, spec, artifact);
  const template = {
    metadata: { labels: meta.labels, annotations: meta.annotations },
    spec: podSpec(artifact, spec, {
      fallbackUser: options.fallbackUser,
      imagePullSecret: options.imagePullSecret,
      secretName: secretFor(ref, spec, artifact) ? ref.name : undefined,
      restartPolicy: ref.kind === 'job' ? 'Never' : 'Always',
    }),
  };
  if (ref.kind === 'job') {
    return {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: meta,
      spec: {
        backoffLimit: 0,
        ...(spec.runTimeoutMs
          ? {
              activeDeadlineSeconds: Math.max(
                1,
                Math.ceil(spec.runTimeoutMs / 1000),
              ),
            }
          : {}),
        ttlSecondsAfterFinished: options.jobTtlSeconds,
        template,
      },
    };
  }
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta,
    spec: {
      replicas: spec.replicas ?? 1,
      revisionHistoryLimit: 2,
      progressDeadlineSeconds: options.progressDeadlineSeconds,
      selector: {
        matchLabels: { [LABELS.instanceId]: meta.labels[LABELS.instanceId] },
      },
      template,
    },
  };
}

/** A ClusterIP Service for the component's ports; undefined when it has none. */
export function serviceFor(
  ref: WorkloadRef,
  spec: LaunchSpec,
  artifact: RuntimeArtifact,
): KubeObject | undefined {
  if (spec.ports.length === 0) return undefined;
  const meta = metadata(ref, spec, artifact);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta,
    spec: {
      type: 'ClusterIP',
      selector: { [LABELS.instanceId]: meta.labels[LABELS.instanceId] },
      ports: spec.ports.map(p => ({
        name: `${p.protocol}-${p.containerPort}`,
        port: p.containerPort,
        targetPort: p.containerPort,
        protocol: p.protocol.toUpperCase(),
      })),
    },
  };
}

/** Makes `owner` the owner of an object, so Kubernetes' garbage collector removes it with the workload. */
export function ownedBy(owner: KubeObject): Record<string, unknown> {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
  };
}
