import type { InstancePort } from '@internal/plugin-runner-common';
import {
  runtimeFailure,
  type RuntimeExit,
  type RuntimeObservation,
  type RuntimeState,
} from '@internal/plugin-runner-node';
import type { KubeObject } from '../../../kubernetes/ClusterApi';
import { toHandle, type WorkloadRef } from '../workload/names';
import {
  conditionOf,
  creationFailure,
  isReady,
  isTerminating,
  podFailure,
  restartsOf,
  unitOf,
  type FailureContext,
} from './podFacts';

/*
 * One observation of a workload from the informers' caches: its state in
 * the runtime's words, its pods as units, and the failure they show. A pure
 * function of what the caches hold, so every change recomputes it whole.
 */

export interface WorkloadObjects {
  workload: KubeObject | undefined;
  pods: KubeObject[];
  replicaSets: KubeObject[];
  /** The namespace's events; those about this workload's objects are read. */
  events: KubeObject[];
}

/** The newest FailedCreate message about one of `names`, if any. */
function failedCreate(
  events: KubeObject[],
  names: Set<string>,
): string | undefined {
  const about = events
    .filter(
      e => e.reason === 'FailedCreate' && names.has(e.involvedObject?.name),
    )
    .sort((a, b) =>
      String(a.lastTimestamp).localeCompare(String(b.lastTimestamp)),
    );
  return about[about.length - 1]?.message;
}

function latestExit(pods: KubeObject[]): RuntimeExit | undefined {
  const exits = pods
    .map(p => {
      const unit = unitOf(p);
      return unit.phase === 'terminated'
        ? {
            code:
              p.status?.containerStatuses?.[0]?.state?.terminated?.exitCode ??
              null,
            oomKilled: unit.reason === 'OOMKilled',
            reason: unit.reason,
            at: p.status?.containerStatuses?.[0]?.state?.terminated?.finishedAt,
          }
        : unit.lastExit;
    })
    .filter((e): e is RuntimeExit => e !== undefined)
    .sort((a, b) => String(a.at).localeCompare(String(b.at)));
  return exits[exits.length - 1];
}

export function observe(
  ref: WorkloadRef,
  objects: WorkloadObjects,
  endpoints: InstancePort[],
  context: FailureContext,
): RuntimeObservation {
  const { workload, pods } = objects;
  const base = {
    handle: toHandle(ref),
    at: new Date().toISOString(),
    restarts: pods.reduce((n, p) => n + restartsOf(p), 0),
    units: pods.map(p =>
      isTerminating(p)
        ? { ...unitOf(p), ready: false, reason: 'Terminating' }
        : unitOf(p),
    ),
    endpoints,
    exit: latestExit(pods),
  };
  const ready = pods.filter(isReady).length;
  if (!workload) {
    return {
      ...base,
      state: 'gone',
      replicas: { desired: 0, ready },
      reason: 'NotFound',
    };
  }
  const names = new Set([
    workload.metadata.name,
    ...objects.replicaSets.map(r => r.metadata.name),
    ...pods.map(p => p.metadata.name),
  ]);
  const created = failedCreate(objects.events, names);
  return ref.kind === 'job'
    ? jobObservation(base, workload, pods, ready, created, context)
    : deploymentObservation(base, workload, objects, ready, created, context);
}

type Base = Omit<RuntimeObservation, 'state' | 'replicas'>;

function anyRunning(pods: KubeObject[]): boolean {
  return pods.some(p => p.status?.containerStatuses?.[0]?.state?.running);
}

/** Why nothing runs yet: the first unit's reason (ContainerCreating, Unschedulable, …). */
function waitingReason(base: Base): string {
  return base.units.find(u => u.reason)?.reason ?? 'Pending';
}

function deploymentObservation(
  base: Base,
  deployment: KubeObject,
  objects: WorkloadObjects,
  ready: number,
  failedCreateMessage: string | undefined,
  context: FailureContext,
): RuntimeObservation {
  const desired = deployment.spec?.replicas ?? 1;
  const replicas = { desired, ready };
  const live = objects.pods.filter(p => !isTerminating(p));
  const replicaFailure =
    objects.replicaSets
      .map(r => conditionOf(r, 'ReplicaFailure'))
      .find(c => c?.status === 'True') ??
    [conditionOf(deployment, 'ReplicaFailure')].find(c => c?.status === 'True');
  const progressing = conditionOf(deployment, 'Progressing');
  const failure =
    (desired > 0 ? podFailure(live, context) : undefined) ??
    (replicaFailure && desired > live.length
      ? creationFailure(
          replicaFailure.message ?? failedCreateMessage ?? '',
          context,
        )
      : undefined) ??
    (progressing?.status === 'False' &&
    progressing.reason === 'ProgressDeadlineExceeded'
      ? runtimeFailure('K8S_ROLLOUT_STALLED', progressing.message ?? '', {
          values: { name: context.entityName },
        })
      : undefined);
  if (failure) {
    return {
      ...base,
      state: ready > 0 ? 'degraded' : 'failed',
      replicas,
      reason: failure.code,
      message: failure.userMessage,
      failure,
    };
  }
  if (desired === 0) {
    const state: RuntimeState =
      objects.pods.length > 0 ? 'stopping' : 'stopped';
    return { ...base, state, replicas, reason: 'ScaledToZero' };
  }
  const status = deployment.status ?? {};
  const rolledOut =
    (status.observedGeneration ?? 0) >= (deployment.metadata.generation ?? 1) &&
    status.updatedReplicas === desired &&
    (status.replicas ?? 0) === desired &&
    live.length === desired;
  if (rolledOut && ready >= desired) {
    return { ...base, state: 'running', replicas, reason: 'Available' };
  }
  const started = anyRunning(live);
  return {
    ...base,
    state: started ? 'starting' : 'pending',
    replicas,
    reason: started ? 'RollingOut' : waitingReason(base),
  };
}

function jobObservation(
  base: Base,
  job: KubeObject,
  pods: KubeObject[],
  ready: number,
  failedCreateMessage: string | undefined,
  context: FailureContext,
): RuntimeObservation {
  const replicas = {
    desired: job.spec?.suspend ? 0 : job.spec?.parallelism ?? 1,
    ready,
  };
  const values = { name: context.entityName, namespace: context.namespace };
  const failed = conditionOf(job, 'Failed');
  const failedWith = (
    failure: ReturnType<typeof runtimeFailure>,
  ): RuntimeObservation => ({
    ...base,
    state: 'failed',
    replicas,
    reason: failure.code,
    message: failure.userMessage,
    failure,
  });
  if (conditionOf(job, 'Complete')?.status === 'True') {
    return { ...base, state: 'exited', replicas, reason: 'Complete' };
  }
  if (failed?.status === 'True') {
    if (failed.reason === 'DeadlineExceeded') {
      return failedWith(
        runtimeFailure(
          'K8S_JOB_DEADLINE_EXCEEDED',
          `job ${job.metadata.name}: ${
            failed.message ?? ''
          } (activeDeadlineSeconds ${job.spec?.activeDeadlineSeconds})`,
          { values: { ...values, job: job.metadata.name } },
        ),
      );
    }
    const oom = base.exit?.oomKilled;
    return failedWith(
      runtimeFailure(
        oom ? 'K8S_OOM_KILLED' : 'K8S_JOB_FAILED',
        `job ${job.metadata.name}: ${failed.reason ?? 'Failed'}: ${
          failed.message ?? ''
        }; ${
          base.exit
            ? `exit code ${base.exit.code} (${base.exit.reason})`
            : 'no exit recorded'
        }`,
        {
          ...(oom
            ? {}
            : {
                userMessage: `The run-to-completion job's container exited with code ${
                  base.exit?.code ?? 'unknown'
                }.`,
              }),
          values: { ...values, job: job.metadata.name },
        },
      ),
    );
  }
  if (job.spec?.suspend) {
    const active = pods.some(
      p =>
        !isTerminating(p) && !['Succeeded', 'Failed'].includes(p.status?.phase),
    );
    return {
      ...base,
      state: active ? 'stopping' : 'stopped',
      replicas,
      reason: 'Suspended',
    };
  }
  const failure =
    podFailure(pods, context) ??
    (failedCreateMessage && pods.length === 0
      ? creationFailure(failedCreateMessage, context)
      : undefined);
  if (failure) return failedWith(failure);
  const running = anyRunning(pods);
  return {
    ...base,
    state: running ? 'running' : 'pending',
    replicas,
    reason: running ? 'Running' : waitingReason(base),
  };
}
