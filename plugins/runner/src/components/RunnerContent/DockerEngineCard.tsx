import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { InfoCard, StatusError, StatusOK } from '@backstage/core-components';
import type { DockerHealth } from '@internal/plugin-runner-common';
import {
  HealthStateBoundary,
  RetryButton,
  type HealthState,
} from '../HealthState';

/**
 * The sentence shown when the backend cannot reach Docker. It names the
 * endpoint and the backend's reason, because "Docker is down" alone does not
 * tell a user whether to start Docker or to fix DOCKER_HOST.
 */
export function dockerUnreachableMessage(docker: DockerHealth): string {
  const reason = docker.reason?.trim().replace(/\.+$/, '');
  const where = reason
    ? `No Docker engine answers at ${docker.endpoint}: ${reason}`
    : `No Docker engine answers at ${docker.endpoint}`;
  return `${where}. Start Docker (or set DOCKER_HOST) to run this component.`;
}

function DockerStatus(props: { docker: DockerHealth; checkedAt: string }) {
  const { docker, checkedAt } = props;
  return (
    <Box display="flex" flexDirection="column" gridGap={8}>
      {docker.reachable ? (
        <Typography variant="body1" component="div">
          <StatusOK>
            Reachable{docker.version ? `, Docker ${docker.version}` : ''}
          </StatusOK>
        </Typography>
      ) : (
        <>
          <Typography variant="body1" component="div">
            <StatusError>Not reachable</StatusError>
          </Typography>
          <Typography variant="body2" role="alert">
            {dockerUnreachableMessage(docker)}
          </Typography>
        </>
      )}
      <Typography variant="body2" color="textSecondary">
        Endpoint: <code>{docker.endpoint}</code>
      </Typography>
      <Typography variant="caption" color="textSecondary">
        Checked at {new Date(checkedAt).toLocaleString()}
      </Typography>
    </Box>
  );
}

/** Whether the runner backend can reach the Docker engine it builds and runs with. */
export function DockerEngineCard(props: { state: HealthState }) {
  const { state } = props;
  return (
    <InfoCard
      title="Docker engine"
      titleTypographyProps={{ component: 'h3' }}
      subheader="Builds and runs this component's container"
      actions={state.value ? <RetryButton retry={state.retry} /> : undefined}
    >
      <HealthStateBoundary state={state}>
        {report => (
          <DockerStatus docker={report.docker} checkedAt={report.checkedAt} />
        )}
      </HealthStateBoundary>
    </InfoCard>
  );
}
