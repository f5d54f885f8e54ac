import type Docker from 'dockerode';
import {
  RUNNER_LABELS,
  RunnerTimeoutError,
  type ContainerState,
  type RawContainerStats,
} from './types';
import { toContainerState } from './containerState';
import { engineError, isAbortError, statusCodeOf } from './dockerErrors';

/*
 * Reading and ending containers. Every method is idempotent towards the
 * desired state: stopping a stopped container or removing a missing one
 * succeeds, because the events stream and the reconciler race with the API.
 */

/** Beyond the stop grace period: time for the engine to SIGKILL and reap. */
const STOP_EXTRA_MS = 30_000;
/** Inspects in flight at once while listing. */
const LIST_CONCURRENCY = 8;

export class ContainerOps {
  constructor(
    /** Client with a socket idle timeout, for calls that answer at once. */
    private readonly docker: Docker,
    /** Client without one, for calls that last as long as the container takes. */
    private readonly patientDocker: Docker,
  ) {}

  async inspect(id: string): Promise<ContainerState | undefined> {
    try {
      return toContainerState(await this.docker.getContainer(id).inspect());
    } catch (error) {
      if (statusCodeOf(error) === 404) return undefined;
      throw engineError(`inspecting container ${id}`, error);
    }
  }

  /**
   * SIGTERM, then SIGKILL after `timeoutSeconds` (the engine does both).
   * Throws RunnerTimeoutError('stop') if the engine has not answered
   * `timeoutSeconds` + 30 s later.
   */
  async stop(id: string, timeoutSeconds: number): Promise<void> {
    const limitMs = timeoutSeconds * 1000 + STOP_EXTRA_MS;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), limitMs);
    try {
      await this.patientDocker
        .getContainer(id)
        .stop({ t: timeoutSeconds, abortSignal: abort.signal });
    } catch (error) {
      const status = statusCodeOf(error);
      if (status === 304 || status === 404) return; // already stopped / gone
      if (abort.signal.aborted && isAbortError(error)) {
        throw new RunnerTimeoutError('stop', limitMs);
      }
      throw engineError(`stopping container ${id}`, error);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Force-removes (killing it if running) together with its anonymous volumes. */
  async remove(id: string): Promise<void> {
    try {
      await this.docker.getContainer(id).remove({ force: true, v: true });
    } catch (error) {
      const status = statusCodeOf(error);
      if (status === 404) return;
      // 409 "removal already in progress": someone else is doing our job.
      if (status === 409 && /already in progress/i.test(String(error))) return;
      throw engineError(`removing container ${id}`, error);
    }
  }

  /**
   * Every managed container, in any state, each inspected (the list endpoint
   * lacks exit codes and the OOM flag). Containers removed while listing are
   * left out.
   */
  async listManaged(): Promise<ContainerState[]> {
    let summaries: Docker.ContainerInfo[];
    try {
      summaries = await this.docker.listContainers({
        all: true,
        filters: { label: [`${RUNNER_LABELS.managed}=true`] },
      });
    } catch (error) {
      throw engineError('listing containers', error);
    }
    const states: ContainerState[] = [];
    for (let i = 0; i < summaries.length; i += LIST_CONCURRENCY) {
      const batch = summaries.slice(i, i + LIST_CONCURRENCY);
      const inspected = await Promise.all(batch.map(c => this.inspect(c.Id)));
      for (const state of inspected) if (state) states.push(state);
    }
    return states;
  }

  /** One raw stats sample (see RawContainerStats for what one-shot leaves out). */
  async statsOnce(id: string): Promise<RawContainerStats | undefined> {
    try {
      const stats = await this.docker
        .getContainer(id)
        .stats({ stream: false, 'one-shot': true });
      return stats as unknown as RawContainerStats;
    } catch (error) {
      if (statusCodeOf(error) === 404) return undefined;
      throw engineError(`reading stats of container ${id}`, error);
    }
  }
}
