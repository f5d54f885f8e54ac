import { createInterface } from 'node:readline';
import type {
  RuntimeLogLine,
  RuntimeLogOptions,
} from '@internal/plugin-runner-node';
import { KubernetesApiError } from '../../../kubernetes/KubernetesApiError';
import type { KubeHttp } from '../wire/KubeHttp';
import { apiFailure } from '../wire/apiFailure';
import { pathOf } from '../workload/resources';

/*
 * Pod logs from the log API, one stream per pod, merged as lines arrive and
 * tagged with their pod. Timestamps come from the kubelet (`timestamps=true`)
 * and are split off the line. A pod whose container has not started, or has
 * no previous run, has no log yet: it is skipped, not an error.
 */

const TIMESTAMPED = /^(\d{4}-\d\d-\d\dT\S+Z) (.*)$/;

export interface PodLogSource {
  http: KubeHttp;
  cluster: string;
  namespace: string;
  /** The pods to read, oldest first. */
  pods: string[];
}

export async function* podLogs(
  source: PodLogSource,
  options: RuntimeLogOptions,
): AsyncGenerator<RuntimeLogLine> {
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  options.signal?.addEventListener('abort', onAbort);
  const queue: RuntimeLogLine[] = [];
  let open = 0;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const nextChange = () =>
    new Promise<void>(resolve => {
      wake = resolve;
    });

  const read = async (pod: string) => {
    try {
      const response = await source.http.stream(
        `${pathOf('Pod', source.namespace, pod)}/log`,
        {
          query: {
            container: 'app',
            follow: options.follow,
            previous: options.previous,
            timestamps: true,
            tailLines: options.tail === 'all' ? undefined : options.tail,
          },
          signal: controller.signal,
        },
      );
      for await (const text of createInterface({
        input: response,
        crlfDelay: Infinity,
      })) {
        const match = TIMESTAMPED.exec(text);
        queue.push(
          match
            ? { unit: pod, time: match[1], line: match[2] }
            : { unit: pod, line: text },
        );
        notify();
      }
    } catch (error) {
      const aborted = controller.signal.aborted;
      // 400: "container … is waiting to start", "previous terminated container … not found".
      const noLogYet =
        error instanceof KubernetesApiError &&
        (error.code === 400 || error.code === 404);
      if (!aborted && !noLogYet) {
        failure ??= apiFailure(error, {
          cluster: source.cluster,
          namespace: source.namespace,
          action: `read the log of pod ${pod}`,
        });
      }
    } finally {
      open--;
      notify();
    }
  };

  open = source.pods.length;
  source.pods.forEach(pod => void read(pod));
  try {
    while (true) {
      if (queue.length > 0) {
        yield queue.shift()!;
        continue;
      }
      if (failure) throw failure;
      if (open === 0 || controller.signal.aborted) return;
      await nextChange();
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    controller.abort();
  }
}
