import { useState } from 'react';
import Box from '@material-ui/core/Box';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  isActiveInstanceState,
  type RunnerInstance,
} from '@internal/plugin-runner-common';
import { runnerApiRef } from '../../api';
import type { InstancePermissions } from '../../hooks/useInstancePermissions';
import { notApplicableReason } from '../../lib/instanceStates';
import { shortId } from '../../lib/format';
import { ConfirmDialog } from '../ConfirmDialog';
import { GuardedButton } from '../GuardedButton';

type Action = 'stop' | 'restart' | 'remove';

interface ActionSpec {
  label: string;
  confirm: (target: string) => string;
  body: (instance: RunnerInstance) => string;
}

const ACTIONS: Record<Action, ActionSpec> = {
  stop: {
    label: 'Stop',
    confirm: target => `Stop instance ${target}?`,
    body: instance =>
      `${
        instance.state === 'running'
          ? 'The container is stopped.'
          : `It is ${instance.state}: that is cancelled.`
      } The instance stays listed, with its logs, until you remove it.`,
  },
  restart: {
    label: 'Restart',
    confirm: target => `Restart instance ${target}?`,
    body: instance =>
      `${
        isActiveInstanceState(instance.state)
          ? `It is ${instance.state}: it is stopped first, then it`
          : 'It'
      } starts again with the current config; the image is rebuilt only if the source changed.`,
  },
  remove: {
    label: 'Remove',
    confirm: target => `Remove instance ${target}?`,
    body: instance =>
      `${
        isActiveInstanceState(instance.state)
          ? `It is ${instance.state}: it is stopped first. `
          : ''
      }Its logs and state history are deleted. This cannot be undone.`,
  },
};

/**
 * Stop, Restart and Remove for one instance. Each asks first, naming the
 * instance and its entity, and is disabled with the reason when the user
 * lacks the permission or the action makes no sense in the current state.
 */
export function InstanceActions(props: {
  instance: RunnerInstance;
  entityName: string;
  permissions: InstancePermissions;
  /** Called after an action succeeded, to reload the list. */
  onChanged: () => void;
}) {
  const { instance, entityName, permissions, onChanged } = props;
  const runnerApi = useApi(runnerApiRef);
  const [pending, setPending] = useState<Action>();
  const id = shortId(instance.id);

  const guards: Record<Action, string | undefined> = {
    stop:
      permissions.update.reason ?? notApplicableReason('stop', instance.state),
    restart:
      permissions.update.reason ??
      notApplicableReason('restart', instance.state),
    remove:
      permissions.delete.reason ??
      notApplicableReason('remove', instance.state),
  };

  const run = async (action: Action) => {
    if (action === 'stop') await runnerApi.stopInstance(instance.id);
    if (action === 'restart') await runnerApi.restartInstance(instance.id);
    if (action === 'remove') await runnerApi.removeInstance(instance.id);
    onChanged();
  };

  return (
    <Box display="flex" gridGap={4} flexWrap="wrap">
      {(Object.keys(ACTIONS) as Action[]).map(action => (
        <GuardedButton
          key={action}
          size="small"
          variant="outlined"
          aria-label={`${ACTIONS[action].label} instance ${id}`}
          disabledReason={guards[action]}
          onClick={() => setPending(action)}
        >
          {ACTIONS[action].label}
        </GuardedButton>
      ))}
      {pending && (
        <ConfirmDialog
          open
          title={ACTIONS[pending].confirm(`${id} of ${entityName}`)}
          confirmLabel={ACTIONS[pending].label}
          onConfirm={() => run(pending)}
          onClose={() => setPending(undefined)}
        >
          {ACTIONS[pending].body(instance)}
        </ConfirmDialog>
      )}
    </Box>
  );
}
