import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  isGatewayAvailable,
  isRunnerAvailable,
} from '@internal/plugin-runner-common';
import { AlertsCard } from '../AlertsCard';
import { ErrorHistoryCard } from '../ErrorHistoryCard';

/**
 * The Alerts entity tab: the entity's active and resolved alerts, with
 * acknowledgement, and its categorized error history. Both link to the
 * instance (Runner tab) or gateway resource (Gateway tab) they concern,
 * when the entity has that tab.
 *
 * @public
 */
export function AlertsContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const entityName = entity.metadata.name;
  const links = {
    runner: isRunnerAvailable(entity),
    gateway: isGatewayAvailable(entity),
  };

  return (
    <Grid
      container
      spacing={3}
      component="section"
      aria-labelledby="alerts-tab-heading"
      data-testid="alerts-tab"
    >
      <Grid item xs={12}>
        <Typography variant="h4" component="h2" id="alerts-tab-heading">
          Alerts
        </Typography>
      </Grid>
      <Grid item xs={12}>
        <AlertsCard
          entityRef={entityRef}
          entityName={entityName}
          links={links}
        />
      </Grid>
      <Grid item xs={12}>
        <ErrorHistoryCard
          entityRef={entityRef}
          entityName={entityName}
          links={links}
        />
      </Grid>
    </Grid>
  );
}
