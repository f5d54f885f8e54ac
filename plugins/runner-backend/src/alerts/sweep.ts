import {
  isActiveInstanceState,
  type InstanceState,
} from '@internal/plugin-runner-common';
import type { AlertEvaluator } from './AlertEvaluator';
import type { AlertService } from './AlertService';

/*
 * Open alerts whose instance went away while no backend watched: the
 * process that would have resolved them stopped (or crashed) between the
 * instance's end and the alert's resolution, or the instance's row went.
 * Nothing will ever observe such an instance again, so the reconciler
 * sweeps them after every restart and reconnect. Works from the database
 * alone, so it holds for instances of any runtime.
 */

export interface SweptInstance {
  state: InstanceState;
  failure?: { userMessage?: unknown };
}

/**
 * Resolves what no observation will: alerts of removed instances
 * (`instance removed`), and the cpu, memory and unhealthy alerts of
 * instances that no longer run (`instance stopped`, with the instance's
 * failure as the reason). Event alerts (oom, crash, build-failure, restarts)
 * of a failed instance stay open: they are about what happened, and resolve
 * when the instance runs again. Returns how many alerts it resolved.
 */
export async function sweepInstanceAlerts(
  alerts: AlertService,
  evaluator: AlertEvaluator,
  instanceOf: (id: string) => Promise<SweptInstance | undefined>,
): Promise<number> {
  const open = await alerts.listOpenOfInstances();
  const byInstance = new Map<string, string>();
  for (const alert of open) byInstance.set(alert.instanceId!, alert.entityRef);

  for (const [id, entityRef] of byInstance) {
    const instance = await instanceOf(id);
    if (!instance) {
      await evaluator.forgetInstance(
        id,
        'the instance no longer exists: it was removed while this backend was not watching',
      );
    } else if (!isActiveInstanceState(instance.state)) {
      await evaluator.observeInstance({ id, entityRef, ...instance });
    }
  }
  const still = new Set(
    (await alerts.listOpenOfInstances()).map(alert => alert.id),
  );
  return open.filter(alert => !still.has(alert.id)).length;
}
