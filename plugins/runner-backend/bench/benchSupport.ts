/*
 * Helpers of yarn bench:monitoring: clean-up on every exit path, bounded
 * numbers from the environment, reproducible pseudo-random numbers.
 */

/**
 * What a benchmark must undo (containers, databases, temp files), run in
 * reverse order at the end, on failure, and on SIGINT/SIGTERM. A failing
 * task is reported and the others still run.
 */
export class Cleanup {
  private readonly tasks: { name: string; run: () => Promise<unknown> }[] = [];
  private running?: Promise<void>;

  add(name: string, run: () => Promise<unknown>): void {
    this.tasks.push({ name, run });
  }

  /** Runs every task once; later calls wait for the same run. */
  runAll(): Promise<void> {
    if (!this.running) {
      this.running = (async () => {
        for (let task = this.tasks.pop(); task; task = this.tasks.pop()) {
          try {
            await task.run();
          } catch (error) {
            console.error(`clean-up of ${task.name} failed: ${error}`);
          }
        }
      })();
    }
    return this.running;
  }

  /** Cleans up, then exits, when the run is interrupted. */
  onSignals(): void {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        console.error(`${signal}: cleaning up`);
        this.runAll().finally(() => process.exit(130));
      });
    }
  }
}

/** A whole number from the environment, from 1 to `max`. */
export function envInt(name: string, fallback: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new Error(`${name}=${raw}: must be a whole number from 1 to ${max}`);
  }
  return value;
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), so that runs compare. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
