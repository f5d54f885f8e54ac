/**
 * Extension points of the Backstage Runner backend: the `RunnerRuntime`
 * interface that engines (Docker, Kubernetes, …) implement, and the
 * extension point that adds them to the `runner` plugin.
 *
 * @packageDocumentation
 */

export * from './runtime';
export * from './extensions';
