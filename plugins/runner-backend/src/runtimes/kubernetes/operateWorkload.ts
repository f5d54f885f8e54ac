import { runtimeError } from '@internal/plugin-runner-node';
import type { KubeObject } from '../../kubernetes/ClusterApi';
import type { ResolvedTarget } from './ClusterTargets';
import { isTerminating } from './observe/podFacts';
import { apiCall, type ApiCallContext } from './wire/apiFailure';
import type { NamespaceWatch } from './wire/NamespaceWatch';
import {
  ANNOTATIONS,
  LABELS,
  instanceSelector,
  type WorkloadRef,
} from './workload/names';
import { KINDS, pathOf, type InstanceKind } from './workload/resources';

/*
 * Stop (scale to zero, or suspend a Job), scale, restart (a rollout, as
 * `kubectl rollout restart`), and remove: every object of the instance by
 * its label, then verified gone with a list of each kind. Waits watch the
 * informers' caches, never poll.
 */

export interface OperateDeps {
  target: ResolvedTarget;
  watch: NamespaceWatch;
  ref: WorkloadRef;
  /** How long pods may take to end beyond their grace period. */
  settleMs: number;
}

function contextOf(ref: WorkloadRef, action: string): ApiCallContext {
  return { cluster: ref.cluster, namespace: ref.namespace, action };
}

function workloadKind(ref: WorkloadRef): InstanceKind {
  return ref.kind === 'job' ? 'Job' : 'Deployment';
}

async function patchWorkload(
  deps: OperateDeps,
  body: unknown,
  action: string,
): Promise<boolean> {
  const { target, ref } = deps;
  return apiCall(
    contextOf(ref, `${action} ${workloadKind(ref)} ${ref.name}`),
    async () => {
      const path = pathOf(workloadKind(ref), ref.namespace, ref.name);
      if (!(await target.http.getOrUndefined(path))) return false;
      await target.http.json('PATCH', path, {
        body,
        contentType: 'application/merge-patch+json',
      });
      return true;
    },
  );
}

function livePods(deps: OperateDeps): KubeObject[] {
  return deps.watch
    .of('Pod', deps.ref.instanceId)
    .filter(p => !['Succeeded', 'Failed'].includes(p.status?.phase));
}

async function waitForPods(
  deps: OperateDeps,
  condition: () => boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  if (!(await deps.watch.waitFor(condition, timeoutMs))) {
    throw runtimeError(
      'OPERATION_TIMEOUT',
      `${what} of ${deps.ref.namespace}/${
        deps.ref.name
      } did not finish within ${timeoutMs} ms; pods left: ${livePods(deps)
        .map(p => p.metadata.name)
        .join(', ')}`,
    );
  }
}

export async function stopWorkload(
  deps: OperateDeps,
  timeoutSeconds: number,
): Promise<void> {
  const body =
    deps.ref.kind === 'job'
      ? { spec: { suspend: true } }
      : { spec: { replicas: 0 } };
  if (!(await patchWorkload(deps, body, 'stop'))) return;
  await waitForPods(
    deps,
    () => livePods(deps).length === 0,
    timeoutSeconds * 1000 + deps.settleMs,
    'stop',
  );
}

export async function scaleWorkload(
  deps: OperateDeps,
  replicas: number,
): Promise<void> {
  if (deps.ref.kind === 'job') {
    throw runtimeError(
      'INVALID_INPUT',
      `scale ${deps.ref.name} to ${replicas}`,
      {
        userMessage:
          'A run-to-completion instance runs one pod and cannot be scaled.',
        remediation:
          'Start another instance instead, or run the component as a service (`runner.components.<name>.runTimeout` unset).',
      },
    );
  }
  if (!Number.isInteger(replicas) || replicas < 0) {
    throw runtimeError('INVALID_INPUT', `replicas ${replicas}`, {
      userMessage: `Replicas must be a whole number of at least 0, not ${replicas}.`,
      remediation: 'Send `replicas` as a whole number, e.g. `3`.',
    });
  }
  await patchWorkload(deps, { spec: { replicas } }, 'scale');
}

export async function restartWorkload(deps: OperateDeps): Promise<void> {
  if (deps.ref.kind === 'job') {
    throw runtimeError('INVALID_INPUT', `restart ${deps.ref.name}`, {
      userMessage:
        'A run-to-completion instance cannot be restarted; start a new one.',
      remediation:
        'Start another instance of the component (`POST /api/runner/entities/<kind>/<namespace>/<name>/instances`).',
    });
  }
  const patch = {
    spec: {
      template: {
        metadata: {
          annotations: { [ANNOTATIONS.restartedAt]: new Date().toISOString() },
        },
      },
    },
  };
  await patchWorkload(deps, patch, 'restart');
}

/** Kinds listed by label; the Secret is read by name, so the runner never lists a namespace's Secrets. */
const LISTED: InstanceKind[] = [
  'Deployment',
  'Job',
  'Service',
  'ReplicaSet',
  'Pod',
];

/** What of the instance is left, by a list of each kind with its label (and the Secret by name). */
async function leftovers(deps: OperateDeps): Promise<KubeObject[]> {
  const { target, ref } = deps;
  const lists = await Promise.all(
    LISTED.map(kind =>
      apiCall(contextOf(ref, `list ${KINDS[kind].plural}`), () =>
        target.http.json('GET', pathOf(kind, ref.namespace), {
          query: { labelSelector: instanceSelector(ref.instanceId) },
        }),
      ).then((list: any) =>
        (list.items ?? []).map((o: any) => ({ ...o, kind } as KubeObject)),
      ),
    ),
  );
  const secret = await apiCall(contextOf(ref, `get Secret ${ref.name}`), () =>
    target.http.getOrUndefined(pathOf('Secret', ref.namespace, ref.name)),
  );
  const ours =
    secret?.metadata?.labels?.[LABELS.instanceId] === ref.instanceId
      ? [{ ...secret, kind: 'Secret' } as KubeObject]
      : [];
  return [...lists.flat(), ...ours];
}

export async function removeWorkload(
  deps: OperateDeps,
  graceSeconds: number,
): Promise<void> {
  const { target, ref } = deps;
  for (const object of await leftovers(deps)) {
    const kind = object.kind as InstanceKind;
    // ReplicaSets go with their Deployment (Background: the garbage
    // collector takes them and their pods); pods end with their grace period.
    if (kind === 'ReplicaSet' || (kind === 'Pod' && isTerminating(object)))
      continue;
    await apiCall(
      contextOf(ref, `delete ${kind} ${object.metadata.name}`),
      async () => {
        await target.http
          .json('DELETE', pathOf(kind, ref.namespace, object.metadata.name), {
            query: { propagationPolicy: 'Background' },
          })
          .catch(error => {
            if (error?.code !== 404) throw error;
          });
      },
    );
  }
  const timeoutMs = graceSeconds * 1000 + deps.settleMs;
  await waitForPods(
    deps,
    () =>
      deps.watch.of('Pod', ref.instanceId).length === 0 &&
      deps.watch.of('ReplicaSet', ref.instanceId).length === 0 &&
      deps.watch.of('Deployment', ref.instanceId).length === 0 &&
      deps.watch.of('Job', ref.instanceId).length === 0,
    timeoutMs,
    'remove',
  );
  const left = await leftovers(deps);
  if (left.length > 0) {
    throw runtimeError(
      'OPERATION_TIMEOUT',
      `after removing ${ref.namespace}/${ref.name}, still there: ${left
        .map(o => `${o.kind}/${o.metadata.name}`)
        .join(', ')}`,
    );
  }
}
