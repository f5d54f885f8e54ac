/*
 * yarn bench:gateway, part 2: how long after a controller writes an object's
 * status (through the status subresource of the real API server) the
 * plugin's change callback has it — the callback plugin.ts turns into a
 * NotAccepted alert and a signal to open Gateway tabs. The baseline is a
 * plain client-node watch on the same collection: both observe the same
 * write, so the difference is what the plugin adds (cache, status summary,
 * coalescing) on top of the watch itself.
 */
import {
  CustomObjectsApi,
  Watch,
  type KubeConfig,
} from '@kubernetes/client-node';
import type { GatewayEntityStatusSummary } from '@internal/plugin-runner-common';
import { controllerStatus } from '../src/gateway/__testUtils__/controllerStatus';

const GROUP = 'gateway.networking.k8s.io';
const VERSION = 'v1';
const PLURAL = 'httproutes';

type Waiter<T> = {
  test: (value: T) => boolean;
  resolve: (at: number) => void;
};

/** Values arriving over time; `next` resolves with the time the first matching one arrived. */
export class Arrivals<T> {
  readonly #waiters = new Set<Waiter<T>>();

  push(value: T): void {
    const at = performance.now();
    for (const waiter of [...this.#waiters]) {
      if (waiter.test(value)) {
        this.#waiters.delete(waiter);
        waiter.resolve(at);
      }
    }
  }

  next(test: (value: T) => boolean, timeoutMs: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const pending: { timer?: NodeJS.Timeout } = {};
      const waiter: Waiter<T> = {
        test,
        resolve: at => {
          clearTimeout(pending.timer);
          resolve(at);
        },
      };
      pending.timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`nothing arrived within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }
}

export type ChangeArrivals = Arrivals<{
  entityRef: string;
  summary: GatewayEntityStatusSummary;
}>;

export interface StatusTarget {
  entityRef: string;
  /** An HTTPRoute of the entity, in `namespace`. */
  route: string;
}

export interface StatusLatency {
  rounds: number;
  /** Write sent → the API server's answer. */
  ack: number[];
  /** Write sent → the plain watch's MODIFIED event with the new status. */
  watch: number[];
  /** Write sent → the plugin's onChange with the new status in its summary. */
  plugin: number[];
}

const acceptedOf = (route: any): string | undefined =>
  route?.status?.parents?.[0]?.conditions?.find(
    (c: any) => c.type === 'Accepted',
  )?.status;

/**
 * One status write per target (Accepted True and False in turn, so every
 * write is a change), each timed to the API server's answer, the plain
 * watch's event and the plugin's callback.
 */
export async function statusLatency(options: {
  admin: KubeConfig;
  namespace: string;
  targets: StatusTarget[];
  changes: ChangeArrivals;
  timeoutMs: number;
}): Promise<StatusLatency> {
  const { admin, namespace, targets, changes, timeoutMs } = options;
  const api = admin.makeApiClient(CustomObjectsApi);
  const listed: any = await api.listNamespacedCustomObject({
    group: GROUP,
    version: VERSION,
    namespace,
    plural: PLURAL,
    limit: 1,
  });
  const events = new Arrivals<{ type: string; object: any }>();
  const watch = await new Watch(admin).watch(
    `/apis/${GROUP}/${VERSION}/namespaces/${namespace}/${PLURAL}`,
    { resourceVersion: listed.metadata.resourceVersion },
    (type, object) => events.push({ type, object }),
    () => undefined,
  );
  const result: StatusLatency = {
    rounds: targets.length,
    ack: [],
    watch: [],
    plugin: [],
  };
  try {
    for (const [i, { entityRef, route }] of targets.entries()) {
      const accepted = i % 2 === 0;
      const expected = accepted ? 'True' : 'False';
      const current: any = await api.getNamespacedCustomObject({
        group: GROUP,
        version: VERSION,
        namespace,
        plural: PLURAL,
        name: route,
      });
      const body = {
        ...current,
        status: controllerStatus(
          'HTTPRoute',
          current.metadata.generation ?? 1,
          accepted,
        ),
      };
      const seenByWatch = events.next(
        e =>
          e.type === 'MODIFIED' &&
          e.object?.metadata?.name === route &&
          acceptedOf(e.object) === expected,
        timeoutMs,
      );
      const seenByPlugin = changes.next(
        c =>
          c.entityRef === entityRef &&
          c.summary.objects.some(
            o =>
              o.object.kind === 'HTTPRoute' &&
              o.object.name === route &&
              o.accepted === expected,
          ),
        timeoutMs,
      );
      const t0 = performance.now();
      await api.replaceNamespacedCustomObjectStatus({
        group: GROUP,
        version: VERSION,
        namespace,
        plural: PLURAL,
        name: route,
        body,
      });
      result.ack.push(performance.now() - t0);
      const [tWatch, tPlugin] = await Promise.all([seenByWatch, seenByPlugin]);
      result.watch.push(tWatch - t0);
      result.plugin.push(tPlugin - t0);
    }
  } finally {
    watch.abort();
  }
  return result;
}
