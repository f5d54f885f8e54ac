/*
 * When this backend could not reach the Docker engine. An outage starts when
 * the events stream drops (or the engine refuses a fresh connection) and ends
 * when the stream is open again. The instances domain asks whether a
 * container that stopped without anyone asking stopped with the engine.
 */

/** A time during which the engine did not answer; `to` is undefined while it lasts. */
export interface EngineOutage {
  from: Date;
  to?: Date;
}

/**
 * The engine closes its API first, stops its containers, and only then
 * drops the open event streams: up to its shutdown timeout (15 s by default)
 * after a container died. Longer, so a slow shutdown still counts.
 */
export const ENGINE_SHUTDOWN_LAG_MS = 30_000;
/** The engine's clock (a container's finish time) may differ a little from ours. */
export const CLOCK_SKEW_MS = 5_000;
/** Older outages say nothing about containers that are still of interest. */
const OUTAGES_KEPT = 20;

export class EngineOutages {
  private readonly outages: { from: number; to?: number }[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  /** The engine stopped answering; a second call during the same outage changes nothing. */
  lost(): void {
    if (this.current()) return;
    this.outages.push({ from: this.now() });
    if (this.outages.length > OUTAGES_KEPT) this.outages.shift();
  }

  /** The engine answers again. */
  regained(): void {
    const current = this.current();
    if (current) current.to = this.now();
  }

  /**
   * The outage that can explain a container stopping at `finishedAt` (the
   * engine's time): one that began no later than the engine's shutdown lag
   * after it and had not ended shortly before it. Without a finish time (the
   * container is gone), any outage. Never one that ended before the
   * container started running (`runningSince`): it could not take it down.
   */
  around(
    finishedAt: Date | undefined,
    runningSince: Date,
  ): EngineOutage | undefined {
    const notBefore = Math.max(
      runningSince.getTime(),
      finishedAt ? finishedAt.getTime() - CLOCK_SKEW_MS : -Infinity,
    );
    const notAfter = finishedAt
      ? finishedAt.getTime() + ENGINE_SHUTDOWN_LAG_MS
      : this.now();
    const found = [...this.outages]
      .reverse()
      .find(o => o.from <= notAfter && (o.to ?? Infinity) >= notBefore);
    return found && toOutage(found);
  }

  private current() {
    const last = this.outages[this.outages.length - 1];
    return last && last.to === undefined ? last : undefined;
  }
}

function toOutage(o: { from: number; to?: number }): EngineOutage {
  return {
    from: new Date(o.from),
    to: o.to === undefined ? undefined : new Date(o.to),
  };
}
