import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { EmptyState, InfoCard } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { GATEWAY_ANNOTATIONS } from '@internal/plugin-runner-common';
import { useRunnerHealth } from '../../hooks/useRunnerHealth';
import { AnnotationsTable, type AnnotationRow } from '../AnnotationsTable';
import { KubernetesClustersCard } from './KubernetesClustersCard';

const GATEWAY_ROWS: AnnotationRow[] = [
  { label: 'Namespace', annotation: GATEWAY_ANNOTATIONS.namespace },
  { label: 'Parent gateway', annotation: GATEWAY_ANNOTATIONS.parentGateway },
  { label: 'Cluster', annotation: GATEWAY_ANNOTATIONS.cluster },
];

/**
 * The Gateway entity tab: where this entity's Envoy Gateway resources live,
 * whether a cluster is there to apply them to, and the resources themselves.
 *
 * @public
 */
export function GatewayContent() {
  const { entity } = useEntity();
  const health = useRunnerHealth();
  const entityCluster =
    entity.metadata.annotations?.[GATEWAY_ANNOTATIONS.cluster] || undefined;

  return (
    <Grid
      container
      spacing={3}
      component="section"
      aria-labelledby="gateway-tab-heading"
      data-testid="gateway-tab"
    >
      <Grid item xs={12}>
        <Typography variant="h4" component="h2" id="gateway-tab-heading">
          Gateway
        </Typography>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard
          title="Gateway binding"
          titleTypographyProps={{ component: 'h3' }}
          subheader="From this entity's annotations"
        >
          <AnnotationsTable
            entity={entity}
            rows={GATEWAY_ROWS}
            aria-label="Gateway annotations"
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <KubernetesClustersCard state={health} entityCluster={entityCluster} />
      </Grid>
      <Grid item xs={12}>
        <InfoCard
          title="Routes and providers"
          titleTypographyProps={{ component: 'h3' }}
        >
          <EmptyState
            missing="data"
            title="No gateway routes or providers yet"
            description="Routes, backends and providers defined for this entity will be listed here."
          />
        </InfoCard>
      </Grid>
    </Grid>
  );
}
