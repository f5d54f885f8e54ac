import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import CheckIcon from '@material-ui/icons/Check';
import { Link } from '@backstage/core-components';
import type { Alert } from '@internal/plugin-runner-common';
import type { ActionGuard } from '../../hooks/useInstancePermissions';
import {
  GATEWAY_TAB_PATH,
  RUNNER_TAB_PATH,
  useTabLink,
} from '../../hooks/useTabLink';
import { INSTANCE_QUERY_PARAM } from '../../hooks/useInstanceQueryParam';
import { alertRuleTitle, detailText } from '../../lib/alertRules';
import { displayRef, shortId } from '../../lib/format';
import { GuardedButton } from '../GuardedButton';
import { remediationParts } from '../InstanceFailure/failure';
import { SeverityChip } from '../SeverityChip';

const useStyles = makeStyles(theme => ({
  message: { maxWidth: 480 },
  meta: { whiteSpace: 'nowrap' },
  remediation: { marginTop: theme.spacing(0.5) },
}));

export interface AlertsTableProps {
  alerts: Alert[];
  /** Which list this is: open alerts can be acknowledged, resolved ones say when they ended. */
  kind: 'open' | 'resolved';
  entityName: string;
  acknowledge: ActionGuard;
  /** The alert being acknowledged, whose button waits. */
  acknowledging?: string;
  onAcknowledge: (alert: Alert) => void;
  /** Whether the entity has the Runner / Gateway tab to link to. */
  links: { runner: boolean; gateway: boolean };
}

/** What an alert concerns, in words for labels. */
export function alertSubject(alert: Alert): string {
  if (alert.instanceId) return `instance ${shortId(alert.instanceId)}`;
  return alert.resourceRef ?? 'the entity';
}

function time(iso?: string): string {
  return iso ? new Date(iso).toLocaleString() : '—';
}

/** The alert's subject: its instance (Runner tab) or gateway resource (Gateway tab). */
function Subject(props: { alert: Alert; links: AlertsTableProps['links'] }) {
  const { alert, links } = props;
  const tabLink = useTabLink();
  if (alert.instanceId) {
    const label = `Instance ${shortId(alert.instanceId)}`;
    return links.runner ? (
      <Link
        to={tabLink(RUNNER_TAB_PATH, {
          [INSTANCE_QUERY_PARAM]: alert.instanceId,
        })}
        title={`Open instance ${alert.instanceId} in the Runner tab`}
      >
        {label}
      </Link>
    ) : (
      <Typography variant="body2">{label}</Typography>
    );
  }
  if (alert.resourceRef) {
    return links.gateway ? (
      <Link
        to={tabLink(GATEWAY_TAB_PATH, { resource: alert.resourceRef })}
        title={`Open ${alert.resourceRef} in the Gateway tab`}
      >
        {alert.resourceRef}
      </Link>
    ) : (
      <Typography variant="body2">{alert.resourceRef}</Typography>
    );
  }
  return <Typography variant="body2">—</Typography>;
}

function Remediation(props: { text: string }) {
  const classes = useStyles();
  return (
    <Typography
      variant="caption"
      component="p"
      color="textSecondary"
      className={classes.remediation}
    >
      What to do:{' '}
      {remediationParts(props.text).map((part, i) =>
        part.code ? <code key={i}>{part.text}</code> : <span key={i}>{part.text}</span>,
      )}
    </Typography>
  );
}

/**
 * Alerts of one entity: severity, rule, message (and what to do, when the
 * alert came from a categorized error), what it concerns with a link there,
 * when it was seen, how often, and who acknowledged it, or the button to.
 */
export function AlertsTable(props: AlertsTableProps) {
  const { alerts, kind, entityName, acknowledge, links } = props;
  const classes = useStyles();
  const label = `${kind === 'open' ? 'Active' : 'Resolved'} alerts of ${entityName}`;

  return (
    <Table size="small" aria-label={label}>
      <TableHead>
        <TableRow>
          <TableCell>Severity</TableCell>
          <TableCell>Alert</TableCell>
          <TableCell>Concerns</TableCell>
          <TableCell>First seen</TableCell>
          <TableCell>Last seen</TableCell>
          <TableCell align="right">Count</TableCell>
          <TableCell>{kind === 'open' ? 'Acknowledged' : 'Resolved'}</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {alerts.map(alert => {
          const title = alertRuleTitle(alert.rule);
          const remediation = detailText(alert.details, 'remediation');
          // Alerts raised by a failure carry its category, code and remediation.
          const code = [
            detailText(alert.details, 'category'),
            detailText(alert.details, 'code'),
          ]
            .filter(Boolean)
            .join(' · ');
          const resolution = detailText(alert.details, 'resolution');
          return (
            <TableRow key={alert.id} data-testid={`alert-row-${alert.id}`}>
              <TableCell>
                <SeverityChip severity={alert.severity} />
              </TableCell>
              <TableCell className={classes.message}>
                <Typography variant="body2">
                  <strong>{title}</strong>
                  {code && (
                    <Typography
                      variant="caption"
                      color="textSecondary"
                      component="span"
                    >
                      {' '}
                      ({code})
                    </Typography>
                  )}
                </Typography>
                <Typography variant="body2">{alert.message}</Typography>
                {remediation && <Remediation text={remediation} />}
              </TableCell>
              <TableCell>
                <Subject alert={alert} links={links} />
              </TableCell>
              <TableCell className={classes.meta}>
                <Typography variant="caption">{time(alert.firstSeen)}</Typography>
              </TableCell>
              <TableCell className={classes.meta}>
                <Typography variant="caption">{time(alert.lastSeen)}</Typography>
              </TableCell>
              <TableCell align="right">{alert.count}</TableCell>
              <TableCell className={classes.meta}>
                {kind === 'resolved' && (
                  <Typography variant="caption" component="div">
                    {time(alert.resolvedAt)}
                    {resolution && ` (${resolution})`}
                  </Typography>
                )}
                {alert.acknowledgedBy ? (
                  <Typography
                    variant="caption"
                    component="div"
                    title={alert.acknowledgedBy}
                  >
                    {kind === 'resolved' && 'Acknowledged '}by{' '}
                    {displayRef(alert.acknowledgedBy)}, {time(alert.acknowledgedAt)}
                  </Typography>
                ) : (
                  kind === 'open' && (
                    <GuardedButton
                      size="small"
                      variant="outlined"
                      startIcon={<CheckIcon />}
                      aria-label={`Acknowledge the ${title} alert on ${alertSubject(alert)}`}
                      disabledReason={
                        acknowledge.reason ??
                        (props.acknowledging === alert.id
                          ? 'Acknowledging…'
                          : undefined)
                      }
                      onClick={() => props.onAcknowledge(alert)}
                    >
                      Acknowledge
                    </GuardedButton>
                  )
                )}
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
