import type {
  RunnerRuntime,
  RuntimeHandle,
  RuntimeObservation,
  RuntimeSubscription,
} from '@internal/plugin-runner-node';

/**
 * The first observation that satisfies `condition`, waiting on the
 * runtime's own observe() (no polling); on timeout the error shows the last
 * one seen.
 */
export function observationWhere(
  runtime: RunnerRuntime,
  handle: RuntimeHandle,
  condition: (o: RuntimeObservation) => boolean,
  timeoutMs: number,
): Promise<RuntimeObservation> {
  return new Promise((resolve, reject) => {
    let last: RuntimeObservation | undefined;
    const held: { subscription?: RuntimeSubscription } = {};
    const timer = setTimeout(() => {
      held.subscription?.close();
      reject(
        new Error(
          `no matching observation within ${timeoutMs} ms; last: ${JSON.stringify(
            last,
            null,
            1,
          )}`,
        ),
      );
    }, timeoutMs);
    held.subscription = runtime.observe(handle, observation => {
      last = observation;
      if (condition(observation)) {
        clearTimeout(timer);
        // Closed after observe() returned, even when the first call matched.
        setImmediate(() => held.subscription?.close());
        resolve(observation);
      }
    });
  });
}
