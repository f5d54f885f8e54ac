import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { RunnerRuntime } from './runtime/types';

/**
 * The interface for {@link runnerRuntimesExtensionPoint}.
 *
 * @public
 */
export interface RunnerRuntimesExtensionPoint {
  /**
   * Adds a runtime that `runner.runtime` and `runner.components.<name>.runtime`
   * can name by its `id`. Ids are unique: a second runtime with a taken id is
   * refused at start-up, so a typo cannot silently replace the Docker runtime.
   */
  addRuntime(runtime: RunnerRuntime): void;
}

/**
 * Lets backend modules add runtimes to the runner plugin (`runner`), as
 * `kubernetes-node` lets modules add cluster suppliers and fetchers.
 *
 * @public
 */
export const runnerRuntimesExtensionPoint =
  createExtensionPoint<RunnerRuntimesExtensionPoint>({
    id: 'runner.runtimes',
  });

/**
 * The registry behind the extension point, for the runner plugin: it
 * collects runtimes during registration and hands them to the lifecycle.
 *
 * @public
 */
export class RunnerRuntimeRegistry implements RunnerRuntimesExtensionPoint {
  readonly #runtimes = new Map<string, RunnerRuntime>();

  addRuntime(runtime: RunnerRuntime): void {
    if (!/^[a-z][a-z0-9-]*$/.test(runtime.id)) {
      throw new Error(
        `A runner runtime id must be lowercase letters, digits and dashes, got '${runtime.id}'`,
      );
    }
    if (this.#runtimes.has(runtime.id)) {
      throw new Error(
        `A runner runtime with id '${runtime.id}' is registered already; each id names one runtime`,
      );
    }
    this.#runtimes.set(runtime.id, runtime);
  }

  /** The runtime `runner.runtime` names; undefined when none has that id. */
  get(id: string): RunnerRuntime | undefined {
    return this.#runtimes.get(id);
  }

  ids(): string[] {
    return [...this.#runtimes.keys()];
  }
}
