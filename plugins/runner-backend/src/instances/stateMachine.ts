import type { InstanceState } from '@internal/plugin-runner-common';

/*
 * Allowed transitions. Anything not listed is a bug or a race, and the store
 * refuses it: every update names the states it expects to move from.
 */
const TRANSITIONS: Record<InstanceState, readonly InstanceState[]> = {
  pending: ['building', 'starting', 'stopping', 'failed'],
  building: ['starting', 'stopping', 'failed'],
  starting: ['running', 'stopping', 'failed'],
  running: ['stopping', 'stopped', 'failed'],
  stopping: ['stopped', 'failed'],
  // A restart reuses the instance: it goes back to pending.
  stopped: ['pending'],
  failed: ['pending'],
};

export function canTransition(from: InstanceState, to: InstanceState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** The states from which `to` may be reached. */
export function statesLeadingTo(to: InstanceState): InstanceState[] {
  return (Object.keys(TRANSITIONS) as InstanceState[]).filter(from =>
    canTransition(from, to),
  );
}
