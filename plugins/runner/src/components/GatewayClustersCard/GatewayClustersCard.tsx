import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  InfoCard,
  Progress,
  StatusError,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import type { GatewayClusterReport } from '@internal/plugin-runner-common';
import {
  NO_CLUSTER_MESSAGE,
  type GatewayClusters,
} from '../../hooks/useGatewayClusters';
import { GatewayErrorAlert } from '../GatewayErrorAlert';

function readiness(cluster: GatewayClusterReport): string {
  if (!cluster.reachable) return cluster.reason ?? 'No reason given';
  const parts = [cluster.version && `Kubernetes ${cluster.version}`];
  const { providers, routes, reasons } = cluster.ready;
  if (providers && routes) parts.push('routes and providers can be applied');
  else parts.push(reasons.join('; ') || 'not ready');
  return parts.filter(Boolean).join(' · ');
}

/**
 * The Kubernetes clusters gateway resources are applied to: reachable or
 * why not, and whether routes and providers can be applied there. Without
 * one, it says plainly what still works.
 */
export function GatewayClustersCard(props: {
  clusters: GatewayClusters;
  entityCluster?: string;
}) {
  const { clusters, entityCluster } = props;
  const report = clusters.value;
  let body;
  if (!report && clusters.error) {
    body = (
      <GatewayErrorAlert
        title="Could not check the clusters"
        error={clusters.error}
      />
    );
  } else if (!report) {
    body = <Progress aria-label="Checking the Kubernetes clusters" />;
  } else if (!report.configured || report.clusters.length === 0) {
    body = (
      <Typography variant="body2" role="status">
        {NO_CLUSTER_MESSAGE}
      </Typography>
    );
  } else {
    const used = clusters.cluster?.name;
    body = (
      <Box display="flex" flexDirection="column" gridGap={8}>
        {entityCluster &&
          !report.clusters.some(c => c.name === entityCluster) && (
            <Typography variant="body2" component="div" role="alert">
              <StatusWarning>
                This entity names cluster "{entityCluster}", which is not in
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
            {report.clusters.map(cluster => (
              <TableRow key={cluster.name} selected={cluster.name === used}>
                <TableCell component="th" scope="row">
                  {cluster.name}
                  {cluster.name === used && (
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
                <TableCell>{readiness(cluster)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
    );
  }
  return (
    <InfoCard
      title="Kubernetes clusters"
      titleTypographyProps={{ component: 'h3' }}
      subheader="Where gateway resources are applied"
      actions={
        report ? (
          <Button
            size="small"
            onClick={clusters.retry}
            aria-label="Check the clusters again"
          >
            Check again
          </Button>
        ) : undefined
      }
    >
      {body}
    </InfoCard>
  );
}
