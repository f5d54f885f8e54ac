import {
  StatusError,
  StatusOK,
  StatusPending,
} from '@backstage/core-components';
import type { GatewayTriState } from '@internal/plugin-runner-common';

export interface GatewayStatusChipProps {
  /** The condition, e.g. "Accepted" or "ResolvedRefs". */
  condition: 'Accepted' | 'ResolvedRefs';
  state: GatewayTriState;
  reason?: string;
}

const WORDS = {
  Accepted: {
    True: 'Accepted',
    False: 'NotAccepted',
    Unknown: 'Accepted: unknown',
  },
  ResolvedRefs: {
    True: 'ResolvedRefs',
    False: 'Refs not resolved',
    Unknown: 'ResolvedRefs: unknown',
  },
} as const;

/** A controller's condition in words and colour; the reason when it is False. */
export function GatewayStatusChip(props: GatewayStatusChipProps) {
  const { condition, state, reason } = props;
  const text = `${WORDS[condition][state]}${
    state === 'False' && reason ? ` (${reason})` : ''
  }`;
  if (state === 'True') return <StatusOK>{text}</StatusOK>;
  if (state === 'False') return <StatusError>{text}</StatusError>;
  return <StatusPending>{text}</StatusPending>;
}
