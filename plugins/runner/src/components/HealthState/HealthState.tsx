import type { ReactNode } from 'react';
import Button from '@material-ui/core/Button';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import type { RunnerHealthReport } from '@internal/plugin-runner-common';

/** The state returned by `useRunnerHealth`. */
export interface HealthState {
  loading: boolean;
  error?: Error;
  value?: RunnerHealthReport;
  retry: () => void;
}

/**
 * Renders the loading and error states of the health request the same way in
 * every card, and its children only once a report is there.
 */
export function HealthStateBoundary(props: {
  state: HealthState;
  children: (report: RunnerHealthReport) => ReactNode;
}) {
  const { state, children } = props;
  if (state.loading && !state.value) {
    return <Progress aria-label="Checking the runner backend" />;
  }
  if (state.error) {
    return (
      <>
        <ResponseErrorPanel
          title="Could not get the runner's health report"
          error={state.error}
        />
        <RetryButton retry={state.retry} />
      </>
    );
  }
  if (!state.value) {
    // Not loading, no error, no value: the request has not started yet.
    return null;
  }
  return <>{children(state.value)}</>;
}

/** Lets a user check again after starting Docker or fixing the config. */
export function RetryButton(props: { retry: () => void }) {
  return (
    <Button
      variant="outlined"
      size="small"
      onClick={props.retry}
      aria-label="Check the runner's health again"
    >
      Check again
    </Button>
  );
}
