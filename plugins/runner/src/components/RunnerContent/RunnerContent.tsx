import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { EmptyState, InfoCard } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  RUNNER_ANNOTATIONS,
  SOURCE_LOCATION_ANNOTATION,
} from '@internal/plugin-runner-common';
import { useRunnerHealth } from '../../hooks/useRunnerHealth';
import { AnnotationsTable, type AnnotationRow } from '../AnnotationsTable';
import { DockerEngineCard } from './DockerEngineCard';

// Defaults are the ones documented on RUNNER_ANNOTATIONS, so that an absent
// annotation reads as what the backend will do rather than as an error.
const RUNNER_ROWS: AnnotationRow[] = [
  { label: 'Source', annotation: SOURCE_LOCATION_ANNOTATION },
  {
    label: 'Dockerfile',
    annotation: RUNNER_ANNOTATIONS.dockerfile,
    fallback: 'Dockerfile (default)',
  },
  {
    label: 'Build context',
    annotation: RUNNER_ANNOTATIONS.buildContext,
    fallback: '. (default)',
  },
  {
    label: 'Ports',
    annotation: RUNNER_ANNOTATIONS.ports,
    fallback: 'None published',
  },
  { label: 'Health path', annotation: RUNNER_ANNOTATIONS.healthPath },
];

/**
 * The Runner entity tab: whether Docker answers, what the runner will build
 * and run for this component, and its instances.
 *
 * @public
 */
export function RunnerContent() {
  const { entity } = useEntity();
  const health = useRunnerHealth();

  return (
    <Grid
      container
      spacing={3}
      component="section"
      aria-labelledby="runner-tab-heading"
      data-testid="runner-tab"
    >
      <Grid item xs={12}>
        <Typography variant="h4" component="h2" id="runner-tab-heading">
          Runner
        </Typography>
      </Grid>
      <Grid item xs={12} md={6}>
        <DockerEngineCard state={health} />
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard
          title="What will run"
          titleTypographyProps={{ component: 'h3' }}
          subheader="From this entity's annotations; app-config (runner.components) overrides them"
        >
          <AnnotationsTable
            entity={entity}
            rows={RUNNER_ROWS}
            aria-label="Runner annotations"
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Instances" titleTypographyProps={{ component: 'h3' }}>
          <EmptyState
            missing="data"
            title="No instances yet"
            description="Instances started for this component will appear here."
          />
        </InfoCard>
      </Grid>
    </Grid>
  );
}
