import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import PlayArrowIcon from '@material-ui/icons/PlayArrow';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type { RunnerInstance } from '@internal/plugin-runner-common';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { runnerApiRef } from '../../api';
import type { InstancePermissions } from '../../hooks/useInstancePermissions';
import {
  POLL_INTERVAL_MS,
  type LiveInstances,
} from '../../hooks/useLiveInstances';
import { errorMessage, errorStatus } from '../../lib/format';
import { GuardedButton } from '../GuardedButton';
import { InstancesTable } from '../InstancesTable';

export interface InstancesCardProps {
  entityRef: string;
  entityName: string;
  instances: LiveInstances;
  permissions: InstancePermissions;
  /** Why nothing can start right now apart from permissions (e.g. no Docker). */
  unavailableReason?: string;
  selectedId?: string;
  onSelect: (id: string) => void;
}

/**
 * The Instances card: the Start action, and the list with its loading,
 * empty and error states. A refused start (the instance limit, a bad
 * annotation) is an alert above the list, never a broken page.
 */
export function InstancesCard(props: InstancesCardProps) {
  const { entityRef, entityName, instances, permissions, onSelect } = props;
  const runnerApi = useApi(runnerApiRef);
  const [dismissed, setDismissed] = useState<Error>();

  const [startState, start] = useAsyncFn(async (): Promise<RunnerInstance> => {
    const started = await runnerApi.startInstance(entityRef);
    // Show the new instance's logs right away: its build is what a user
    // who just pressed Start wants to watch.
    onSelect(started.id);
    instances.refresh();
    return started;
  }, [runnerApi, entityRef, instances.refresh, onSelect]);

  const startError =
    startState.error && startState.error !== dismissed
      ? startState.error
      : undefined;
  const startReason =
    permissions.create.reason ??
    props.unavailableReason ??
    (startState.loading ? 'Starting…' : undefined);

  const startButton = (
    <GuardedButton
      variant="contained"
      color="primary"
      startIcon={<PlayArrowIcon />}
      aria-label={`Start an instance of ${entityName}`}
      disabledReason={startReason}
      onClick={() => {
        start().catch(() => undefined);
      }}
    >
      Start
    </GuardedButton>
  );

  const items = instances.value;
  let body;
  if (!items && instances.loading) {
    body = <Progress aria-label="Loading instances" />;
  } else if (!items && instances.error) {
    body = (
      <>
        <ResponseErrorPanel
          title="Could not list the instances"
          error={instances.error}
        />
        <Box mt={1}>
          <Button
            variant="outlined"
            size="small"
            onClick={instances.refresh}
            aria-label="Load the instances again"
          >
            Try again
          </Button>
        </Box>
      </>
    );
  } else if (!items || items.length === 0) {
    body = (
      <EmptyState
        missing="data"
        title="No instances yet"
        description={`Start one to build ${entityName} and run it in Docker with the effective config below.`}
        action={startButton}
      />
    );
  } else {
    body = (
      <InstancesTable
        instances={items}
        entityName={entityName}
        permissions={permissions}
        selectedId={props.selectedId}
        onSelect={onSelect}
        onChanged={instances.refresh}
      />
    );
  }

  return (
    <InfoCard
      title="Instances"
      titleTypographyProps={{ component: 'h3' }}
      subheader={
        instances.mode === 'signals'
          ? 'Updates live'
          : `Refreshes every ${POLL_INTERVAL_MS / 1000} s`
      }
      action={items && items.length > 0 ? startButton : undefined}
    >
      {startError && (
        <Box mb={2}>
          <Alert
            severity={errorStatus(startError) === 409 ? 'warning' : 'error'}
            onClose={() => setDismissed(startError)}
          >
            <Typography variant="body2" component="span">
              Could not start {entityName}: {errorMessage(startError)}
            </Typography>
          </Alert>
        </Box>
      )}
      {items && instances.error && (
        // A failed refresh keeps the last list; say it may be stale.
        <Box mb={2}>
          <Alert severity="warning">
            Could not refresh the instances: {errorMessage(instances.error)}
          </Alert>
        </Box>
      )}
      {body}
    </InfoCard>
  );
}
