import { useId, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import MuiAlert from '@material-ui/lab/Alert';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type { Alert } from '@internal/plugin-runner-common';
import { runnerApiRef } from '../../api';
import { useAlertPermission } from '../../hooks/useAlertPermission';
import {
  ALERTS_POLL_INTERVAL_MS,
  useLiveAlerts,
} from '../../hooks/useLiveAlerts';
import { alertRuleTitle } from '../../lib/alertRules';
import { errorMessage, errorStatus } from '../../lib/format';
import { AlertsTable, alertSubject } from '../AlertsTable';

type View = 'open' | 'resolved';

/** What became of the last acknowledgement, shown above the list. */
interface Outcome {
  severity: 'success' | 'warning' | 'error';
  text: string;
}

export interface AlertsCardProps {
  entityRef: string;
  entityName: string;
  links: { runner: boolean; gateway: boolean };
}

/**
 * The entity's alerts: active and resolved in two tabs with their counts,
 * kept current through signals, with acknowledgement. Acknowledging needs
 * no confirmation (it changes nothing but the alert's note), but its
 * outcome is said in words above the list.
 */
export function AlertsCard(props: AlertsCardProps) {
  const { entityRef, entityName, links } = props;
  const runnerApi = useApi(runnerApiRef);
  const alerts = useLiveAlerts(entityRef);
  const acknowledge = useAlertPermission(entityRef, entityName);
  const [view, setView] = useState<View>('open');
  const [acknowledging, setAcknowledging] = useState<string>();
  const [outcome, setOutcome] = useState<Outcome>();
  const ids = useId();

  const onAcknowledge = async (alert: Alert) => {
    const what = `the ${alertRuleTitle(alert.rule)} alert on ${alertSubject(alert)}`;
    setAcknowledging(alert.id);
    setOutcome(undefined);
    try {
      const updated = await runnerApi.acknowledgeAlert(alert.id);
      setOutcome({
        severity: 'success',
        text: `Acknowledged ${what}${
          updated.acknowledgedAt
            ? ` at ${new Date(updated.acknowledgedAt).toLocaleTimeString()}`
            : ''
        }.`,
      });
    } catch (e) {
      // 409: it resolved in the meantime; the refresh moves it to Resolved.
      const resolved = errorStatus(e as Error) === 409;
      setOutcome({
        severity: resolved ? 'warning' : 'error',
        text: resolved
          ? `Could not acknowledge ${what}: it has already resolved.`
          : `Could not acknowledge ${what}: ${errorMessage(e as Error)}`,
      });
    } finally {
      setAcknowledging(undefined);
      alerts.refresh();
    }
  };

  const value = alerts.value;
  const shown = value ? value[view] : undefined;
  let body;
  if (!value && alerts.error) {
    body = (
      <>
        <ResponseErrorPanel
          title="Could not list the alerts"
          error={alerts.error}
        />
        <Box mt={1}>
          <Button
            variant="outlined"
            size="small"
            onClick={alerts.refresh}
            aria-label="Load the alerts again"
          >
            Try again
          </Button>
        </Box>
      </>
    );
  } else if (!shown) {
    body = <Progress aria-label="Loading the alerts" />;
  } else if (shown.length === 0) {
    body = (
      <EmptyState
        missing="info"
        title={view === 'open' ? 'No alerts' : 'No resolved alerts'}
        description={
          view === 'open'
            ? `Nothing about ${entityName} needs attention. Alerts open when an instance runs near its CPU or memory limit, restarts repeatedly, fails its health checks, runs out of memory or fails to build, or when a gateway resource is not accepted.`
            : 'Alerts appear here once their condition has cleared.'
        }
      />
    );
  } else {
    body = (
      <AlertsTable
        alerts={shown}
        kind={view}
        entityName={entityName}
        acknowledge={acknowledge}
        acknowledging={acknowledging}
        onAcknowledge={alert => {
          onAcknowledge(alert);
        }}
        links={links}
      />
    );
  }

  const count = (list?: Alert[]) => (list ? ` (${list.length})` : '');
  return (
    <InfoCard
      title="Active and resolved alerts"
      titleTypographyProps={{ component: 'h3' }}
      subheader={
        alerts.mode === 'signals'
          ? 'Updates live'
          : `Refreshes every ${ALERTS_POLL_INTERVAL_MS / 1000} s`
      }
    >
      <Tabs
        value={view}
        onChange={(_event, next: View) => setView(next)}
        indicatorColor="primary"
        textColor="primary"
        aria-label="Which alerts"
      >
        <Tab
          value="open"
          label={`Active${count(value?.open)}`}
          id={`${ids}-tab-open`}
          aria-controls={`${ids}-panel`}
        />
        <Tab
          value="resolved"
          label={`Resolved${count(value?.resolved)}`}
          id={`${ids}-tab-resolved`}
          aria-controls={`${ids}-panel`}
        />
      </Tabs>
      <Box
        mt={2}
        role="tabpanel"
        id={`${ids}-panel`}
        aria-labelledby={`${ids}-tab-${view}`}
      >
        {outcome && (
          <Box mb={2}>
            <MuiAlert
              severity={outcome.severity}
              onClose={() => setOutcome(undefined)}
            >
              {outcome.text}
            </MuiAlert>
          </Box>
        )}
        {value && alerts.error && (
          <Box mb={2}>
            <MuiAlert severity="warning">
              Could not refresh the alerts: {errorMessage(alerts.error)}
            </MuiAlert>
          </Box>
        )}
        {body}
      </Box>
    </InfoCard>
  );
}
