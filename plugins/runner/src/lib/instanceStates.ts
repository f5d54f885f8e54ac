import type {
  InstanceState,
  RunnerInstance,
} from '@internal/plugin-runner-common';

/**
 * States an instance leaves by itself. While any instance is in one, the
 * list is refreshed periodically even with signals, as a safety net for a
 * message lost while the page reconnects.
 */
export const TRANSITIONAL_STATES: readonly InstanceState[] = [
  'pending',
  'building',
  'starting',
  'stopping',
];

export function isTransitional(state: InstanceState): boolean {
  return TRANSITIONAL_STATES.includes(state);
}

/** Newest first: the instance a user just started belongs at the top. */
export function newestFirst(instances: RunnerInstance[]): RunnerInstance[] {
  return [...instances].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/**
 * Why an action does not apply to an instance in its current state, or
 * undefined when it does. Mirrors the backend's InstanceService: stop needs
 * an active instance; restart stops an active one first, but not one that
 * has not begun or is already stopping; remove always works (it stops first).
 */
export function notApplicableReason(
  action: 'stop' | 'restart' | 'remove',
  state: InstanceState,
): string | undefined {
  if (action === 'stop') {
    if (state === 'stopping') return 'Already stopping.';
    if (state === 'stopped') return 'Already stopped.';
    if (state === 'failed') return 'Not running: it failed.';
    return undefined;
  }
  if (action === 'restart') {
    if (state === 'pending') return 'Not started yet: wait a moment.';
    if (state === 'stopping') return 'Stopping: wait until it has stopped.';
    return undefined;
  }
  return undefined;
}
