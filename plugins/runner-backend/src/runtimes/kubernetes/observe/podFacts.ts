import type { CategorizedError } from '@internal/plugin-runner-common';
import {
  runtimeFailure,
  type RuntimeExit,
  type RuntimeUnit,
} from '@internal/plugin-runner-node';
import type { KubeObject } from '../../../kubernetes/ClusterApi';

/*
 * What pods say about a workload, in the runtime's words: one unit per pod,
 * and the failure its containers, conditions and events show, categorized.
 * Kubernetes keeps retrying most of these forever; the runtime reports them
 * as soon as the kubelet or the scheduler names them.
 */

export interface FailureContext {
  cluster: string;
  namespace: string;
  entityName: string;
  image?: string;
}

const IMAGE_PULL = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'ErrImageNeverPull',
]);
const CONFIG = new Set([
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
]);

function exitOf(terminated: any): RuntimeExit | undefined {
  if (!terminated) return undefined;
  return {
    code: typeof terminated.exitCode === 'number' ? terminated.exitCode : null,
    oomKilled: terminated.reason === 'OOMKilled',
    reason: terminated.reason,
    at: terminated.finishedAt,
  };
}

function containersOf(pod: KubeObject): any[] {
  return pod.status?.containerStatuses ?? [];
}

function condition(object: KubeObject, type: string): any {
  return (object.status?.conditions ?? []).find((c: any) => c.type === type);
}

export function isTerminating(pod: KubeObject): boolean {
  return Boolean(pod.metadata.deletionTimestamp);
}

export function isReady(pod: KubeObject): boolean {
  return !isTerminating(pod) && condition(pod, 'Ready')?.status === 'True';
}

export function restartsOf(pod: KubeObject): number {
  return containersOf(pod).reduce((n, c) => n + (c.restartCount ?? 0), 0);
}

export function unitOf(pod: KubeObject): RuntimeUnit {
  const container = containersOf(pod)[0];
  const scheduled = condition(pod, 'PodScheduled');
  const base = {
    name: pod.metadata.name,
    ready: isReady(pod),
    restarts: restartsOf(pod),
    node: pod.spec?.nodeName,
    lastExit: exitOf(container?.lastState?.terminated),
    startedAt: container?.state?.running?.startedAt,
  };
  if (container?.state?.waiting) {
    return {
      ...base,
      phase: 'waiting',
      reason: container.state.waiting.reason,
      message: container.state.waiting.message,
    };
  }
  if (container?.state?.terminated) {
    return {
      ...base,
      phase: 'terminated',
      reason: container.state.terminated.reason,
      message: container.state.terminated.message,
    };
  }
  if (container?.state?.running) return { ...base, phase: 'running' };
  return {
    ...base,
    phase: 'pending',
    reason:
      scheduled?.status === 'False' ? scheduled.reason : pod.status?.reason,
    message:
      scheduled?.status === 'False' ? scheduled.message : pod.status?.message,
  };
}

function exitWords(exit: RuntimeExit | undefined): string {
  if (!exit) return 'no exit recorded yet';
  return `exit code ${exit.code ?? 'unknown'}${
    exit.reason ? ` (${exit.reason})` : ''
  }`;
}

/** The most telling failure among an instance's pods, or undefined. */
export function podFailure(
  pods: KubeObject[],
  context: FailureContext,
): CategorizedError | undefined {
  const values = {
    cluster: context.cluster,
    namespace: context.namespace,
    name: context.entityName,
    image: context.image,
  };
  const live = pods.filter(p => !isTerminating(p));
  // An OOM kill explains the crash loop that follows it: checked first.
  for (const pod of live) {
    for (const c of containersOf(pod)) {
      const exit =
        exitOf(c.state?.terminated) ?? exitOf(c.lastState?.terminated);
      if (exit?.oomKilled) {
        return runtimeFailure(
          'K8S_OOM_KILLED',
          `pod ${pod.metadata.name}: container ${
            c.name
          } was OOMKilled (${exitWords(exit)}, ${
            c.restartCount ?? 0
          } restarts); memory limit ${
            pod.spec?.containers?.[0]?.resources?.limits?.memory ?? 'none'
          } bytes`,
          { values },
        );
      }
    }
  }
  for (const pod of live) {
    for (const c of containersOf(pod)) {
      const waiting = c.state?.waiting;
      if (!waiting) continue;
      const where = `pod ${pod.metadata.name} on node ${
        pod.spec?.nodeName ?? '?'
      }: ${waiting.reason}`;
      if (IMAGE_PULL.has(waiting.reason)) {
        return runtimeFailure(
          'K8S_IMAGE_PULL_FAILED',
          `${where}: ${waiting.message ?? ''} (image ${c.image})`,
          { values: { ...values, image: c.image } },
        );
      }
      if (CONFIG.has(waiting.reason)) {
        return runtimeFailure(
          'K8S_POD_CONFIG_INVALID',
          `${where}: ${waiting.message ?? ''}`,
          { values },
        );
      }
      if (waiting.reason === 'CrashLoopBackOff') {
        const last = exitOf(c.lastState?.terminated);
        return runtimeFailure(
          'K8S_CRASH_LOOP',
          `${where}: the container exited ${
            c.restartCount ?? 0
          } times; last run: ${exitWords(last)}`,
          {
            userMessage: `The container keeps exiting (last ${exitWords(
              last,
            )}) and Kubernetes keeps restarting it (CrashLoopBackOff).`,
            values,
          },
        );
      }
    }
  }
  for (const pod of live) {
    const scheduled = condition(pod, 'PodScheduled');
    if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
      return runtimeFailure(
        'K8S_UNSCHEDULABLE',
        `pod ${pod.metadata.name}: ${
          scheduled.message ?? 'Unschedulable'
        }; requests ${JSON.stringify(
          pod.spec?.containers?.[0]?.resources?.requests ?? {},
        )}`,
        {
          userMessage: `No node can take the pod: ${
            scheduled.message ?? 'the scheduler gave no reason'
          }`,
          values,
        },
      );
    }
  }
  return undefined;
}

/**
 * Pods that could not even be created: the ReplicaSet's or Job's
 * FailedCreate (a full ResourceQuota, an admission policy).
 */
export function creationFailure(
  message: string,
  context: FailureContext,
): CategorizedError {
  const values = {
    cluster: context.cluster,
    namespace: context.namespace,
    name: context.entityName,
  };
  if (/exceeded quota/i.test(message)) {
    return runtimeFailure('K8S_QUOTA_EXCEEDED', message, {
      userMessage: `The namespace's ResourceQuota has no room for the pods: ${message.replace(
        /^.*?exceeded quota: /i,
        'exceeded quota: ',
      )}`,
      values,
    });
  }
  if (/PodSecurity|violates/i.test(message)) {
    return runtimeFailure('K8S_POD_CONFIG_INVALID', message, { values });
  }
  return runtimeFailure(
    /forbidden/i.test(message) ? 'K8S_FORBIDDEN' : 'K8S_INVALID',
    message,
    {
      userMessage: `Kubernetes refused to create the workload's pods: ${message}`,
      values,
    },
  );
}

export function conditionOf(object: KubeObject | undefined, type: string): any {
  return object ? condition(object, type) : undefined;
}
