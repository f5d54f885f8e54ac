import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { InfoCard } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  RUNNER_ANNOTATIONS,
  SOURCE_LOCATION_ANNOTATION,
} from '@internal/plugin-runner-common';
import { useRunnerHealth } from '../../hooks/useRunnerHealth';
import { useLiveInstances } from '../../hooks/useLiveInstances';
import { useInstancePermissions } from '../../hooks/useInstancePermissions';
import { useInstanceQueryParam } from '../../hooks/useInstanceQueryParam';
import { AnnotationsTable, type AnnotationRow } from '../AnnotationsTable';
import { EffectiveConfigCard } from '../EffectiveConfigCard';
import { InstanceEvents } from '../InstanceEvents';
import { InstanceHealthCard } from '../InstanceHealthCard';
import { InstanceMetricsCard } from '../InstanceMetricsCard';
import { InstanceLogs } from '../InstanceLogs';
import { InstancesCard } from '../InstancesCard';
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
 * and run for this component, its instances, and for the selected one its
 * health, metrics, logs and transitions; then the effective config. The
 * selection is the URL's `?instance=<id>`, so alerts can link to it.
 *
 * @public
 */
export function RunnerContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const entityName = entity.metadata.name;
  const health = useRunnerHealth();
  const instances = useLiveInstances(entityRef);
  const permissions = useInstancePermissions(entityRef, entityName);
  const [selectedId, setSelectedId] = useInstanceQueryParam();

  // The picked instance, or the newest one; a removed (or mistyped) pick
  // falls back too.
  const items = instances.value ?? [];
  const selected = items.find(i => i.id === selectedId) ?? items[0];
  const dockerDown = health.value && !health.value.docker.reachable;

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
        <InstancesCard
          entityRef={entityRef}
          entityName={entityName}
          instances={instances}
          permissions={permissions}
          unavailableReason={
            dockerDown
              ? 'The runner cannot reach the Docker engine (see the Docker engine card).'
              : undefined
          }
          selectedId={selected?.id}
          onSelect={setSelectedId}
        />
      </Grid>
      {selected && (
        <>
          <Grid item xs={12} lg={4}>
            <InstanceHealthCard key={selected.id} instance={selected} />
          </Grid>
          <Grid item xs={12} lg={8}>
            <InstanceMetricsCard key={selected.id} instance={selected} />
          </Grid>
          <Grid item xs={12} lg={8}>
            <InstanceLogs
              key={selected.id}
              instance={selected}
              entityName={entityName}
            />
          </Grid>
          <Grid item xs={12} lg={4}>
            <InstanceEvents instance={selected} />
          </Grid>
        </>
      )}
      <Grid item xs={12}>
        <EffectiveConfigCard entityRef={entityRef} />
      </Grid>
    </Grid>
  );
}
