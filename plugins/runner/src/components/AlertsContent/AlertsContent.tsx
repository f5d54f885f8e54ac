import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { EmptyState, InfoCard } from '@backstage/core-components';

/**
 * The Alerts entity tab.
 *
 * The runner backend does not report alerts or errors yet, so there is
 * nothing to fetch: the tab says so instead of showing a spinner or claiming
 * that a query came back empty.
 *
 * @public
 */
export function AlertsContent() {
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
        <InfoCard
          title="Active alerts"
          titleTypographyProps={{ component: 'h3' }}
        >
          <EmptyState
            missing="info"
            title="No alerts"
            description="Alerts raised for this entity's instances and gateway resources will be listed here. The runner does not report alerts yet."
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard
          title="Error history"
          titleTypographyProps={{ component: 'h3' }}
        >
          <EmptyState
            missing="info"
            title="No errors recorded"
            description="Build, run and gateway errors for this entity will be listed here, grouped by category. The runner does not record errors yet."
          />
        </InfoCard>
      </Grid>
    </Grid>
  );
}
