import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  InfoCard,
  StatusError,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import type { RunnerHealthReport } from '@internal/plugin-runner-common';
import {
  HealthStateBoundary,
  RetryButton,
  type HealthState,
} from '../HealthState';

/** Said when no cluster is configured: what still works, and what does not. */
export const NO_CLUSTER_MESSAGE =
  'No Kubernetes cluster is configured (runner.kubernetes.clusters): gateway resources can be built, validated and exported, but not applied.';

function ClustersTable(props: {
  kubernetes: RunnerHealthReport['kubernetes'];
  entityCluster?: string;
}) {
  const { kubernetes, entityCluster } = props;
  // An annotation naming an unknown cluster would otherwise fail only when a
  // user tries to apply; say it here, where the user is looking.
  const unknownCluster =
    entityCluster &&
    !kubernetes.clusters.some(cluster => cluster.name === entityCluster)
      ? entityCluster
      : undefined;

  return (
    <Box display="flex" flexDirection="column" gridGap={8}>
      {unknownCluster && (
        <Typography variant="body2" component="div" role="alert">
          <StatusWarning>
            This entity names cluster "{unknownCluster}", which is not in
            runner.kubernetes.clusters.
          </StatusWarning>
        </Typography>
      )}
      <Table size="small" aria-label="Kubernetes clusters">
        <TableHead>
          <TableRow>
            <TableCell>Name</TableCell>
            <TableCell>API server</TableCell>
            <TableCell>Status</TableCell>
            <TableCell>Details</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {kubernetes.clusters.map(cluster => (
            <TableRow
              key={cluster.name}
              selected={cluster.name === entityCluster}
            >
              <TableCell component="th" scope="row">
                {cluster.name}
                {cluster.name === entityCluster && (
                  <Typography variant="caption" display="block">
                    used by this entity
                  </Typography>
                )}
              </TableCell>
              <TableCell>
                <code>{cluster.url}</code>
              </TableCell>
              <TableCell>
                {cluster.reachable ? (
                  <StatusOK>Reachable</StatusOK>
                ) : (
                  <StatusError>Not reachable</StatusError>
                )}
              </TableCell>
              <TableCell>
                {cluster.reachable
                  ? cluster.version && `Kubernetes ${cluster.version}`
                  : cluster.reason ?? 'No reason given'}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}

/** The Kubernetes clusters gateway resources can be applied to. */
export function KubernetesClustersCard(props: {
  state: HealthState;
  entityCluster?: string;
}) {
  const { state, entityCluster } = props;
  return (
    <InfoCard
      title="Kubernetes clusters"
      titleTypographyProps={{ component: 'h3' }}
      subheader="Where gateway resources are applied"
      actions={state.value ? <RetryButton retry={state.retry} /> : undefined}
    >
      <HealthStateBoundary state={state}>
        {report =>
          report.kubernetes.configured ? (
            <ClustersTable
              kubernetes={report.kubernetes}
              entityCluster={entityCluster}
            />
          ) : (
            <Typography variant="body2" role="status">
              {NO_CLUSTER_MESSAGE}
            </Typography>
          )
        }
      </HealthStateBoundary>
    </InfoCard>
  );
}
