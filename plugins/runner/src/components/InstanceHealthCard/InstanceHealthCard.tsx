import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useEffect, useState } from 'react';
import type {
  HealthSource,
  HealthStatus,
  InstanceHealth,
  RunnerInstance,
} from '@internal/plugin-runner-common';
import { useInstanceHealth } from '../../hooks/useInstanceHealth';
import { errorMessage, formatDuration, shortId } from '../../lib/format';
import { HealthStatusChip } from '../HealthStatusChip';

/** The newest checks shown; the backend keeps about 20. */
const CHECKS_SHOWN = 10;

const SOURCES: Record<HealthSource, string> = {
  docker: "the image's HEALTHCHECK",
  http: 'an HTTP probe of the health path',
  state: "the container's state",
};

const useStyles = makeStyles(theme => ({
  status: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(2),
  },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(3),
    rowGap: theme.spacing(0.5),
    margin: theme.spacing(0, 0, 2, 0),
    '& dd': { margin: 0 },
  },
  checkDetail: { wordBreak: 'break-word' },
}));

/**
 * The status to show: the last check's while it speaks of the instance's
 * current state, else what that state says, until the check the state
 * change triggers comes back (the instances table moves at once, via
 * signals; the card must not say "running" beside a failed row).
 */
function statusNow(
  health: InstanceHealth,
  instance: RunnerInstance,
): { status: HealthStatus; detail?: string } {
  if (health.instanceState === instance.state) return health;
  if (instance.state === 'failed') return { status: 'failed' };
  if (instance.state === 'stopped') return { status: 'stopped' };
  return { status: 'starting', detail: `instance is ${instance.state}` };
}

/**
 * Uptime from the instance's own start, ticking like the table's (a check's
 * uptime is as old as the check). `stopped`: the last check found the
 * container gone before the instance's state caught up.
 */
function useUptime(instance: RunnerInstance, stopped: boolean): string {
  const running =
    instance.state === 'running' && !!instance.startedAt && !stopped;
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return undefined;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);
  if (!running) return 'not running';
  return formatDuration(Math.max(0, now - Date.parse(instance.startedAt!)));
}

function Facts(props: { health: InstanceHealth; uptime: string }) {
  const { health } = props;
  const classes = useStyles();
  let oom = String(health.oomKills);
  if (health.oomKilled) oom += ' (the last container was killed)';
  const facts: Array<[string, string]> = [
    ['Uptime', props.uptime],
    ['Restarts', String(health.restartCount)],
    ['OOM kills', oom],
  ];
  if (health.exitCode !== undefined) {
    facts.push(['Exit code', String(health.exitCode)]);
  }
  facts.push(['Checked', new Date(health.checkedAt).toLocaleString()]);
  return (
    <dl className={classes.facts}>
      {facts.flatMap(([label, value]) => [
        <Typography key={`${label}-dt`} component="dt" variant="body2">
          {label}
        </Typography>,
        <Typography
          key={`${label}-dd`}
          component="dd"
          variant="body2"
          color={
            label === 'OOM kills' && health.oomKills > 0 ? 'error' : 'initial'
          }
        >
          {value}
        </Typography>,
      ])}
    </dl>
  );
}

function Checks(props: { health: InstanceHealth; label: string }) {
  const classes = useStyles();
  const checks = props.health.checks.slice(0, CHECKS_SHOWN);
  if (checks.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No checks recorded yet.
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label={`Last health checks of ${props.label}`}>
      <TableHead>
        <TableRow>
          <TableCell>Time</TableCell>
          <TableCell>Status</TableCell>
          <TableCell>Detail</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {checks.map(check => (
          <TableRow key={`${check.at}-${check.source}`}>
            <TableCell>
              <Typography variant="caption">
                {new Date(check.at).toLocaleTimeString()}
              </Typography>
            </TableCell>
            <TableCell>
              <HealthStatusChip status={check.status} />
            </TableCell>
            <TableCell className={classes.checkDetail}>
              <Typography variant="caption">
                {check.detail ??
                  `from ${SOURCES[check.source] ?? check.source}`}
                {check.latencyMs !== undefined && ` (${check.latencyMs} ms)`}
              </Typography>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/**
 * The health of one instance: status with the reason, uptime, restarts, OOM
 * kills and the latest checks. Not running reads as `stopped`, or `failed`
 * when the instance failed; neither is unhealthy, and the instance's
 * failure says why.
 */
export function InstanceHealthCard(props: { instance: RunnerInstance }) {
  const { instance } = props;
  const classes = useStyles();
  const health = useInstanceHealth(instance);
  const label = `instance ${shortId(instance.id)}`;
  const value = health.value;
  const now = value && statusNow(value, instance);
  const uptime = useUptime(
    instance,
    now?.status === 'stopped' || now?.status === 'failed',
  );

  let body;
  if (!value && health.error) {
    body = (
      <>
        <ResponseErrorPanel
          title="Could not check the health"
          error={health.error}
        />
        <Box mt={1}>
          <Button
            variant="outlined"
            size="small"
            onClick={health.refresh}
            aria-label={`Check the health of ${label} again`}
          >
            Try again
          </Button>
        </Box>
      </>
    );
  } else if (!value) {
    body = <Progress aria-label="Checking the health" />;
  } else {
    body = (
      <>
        <div className={classes.status} data-testid="health-status">
          <HealthStatusChip status={now!.status} size="medium" />
          <Typography variant="body2">
            {now!.detail ?? `From ${SOURCES[value.source] ?? value.source}.`}
          </Typography>
        </div>
        <Facts health={value} uptime={uptime} />
        <Typography variant="subtitle2" component="h4" gutterBottom>
          Last checks
        </Typography>
        <Checks health={value} label={label} />
      </>
    );
  }

  return (
    <InfoCard
      title={`Health of ${label}`}
      titleTypographyProps={{ component: 'h3' }}
      subheader={
        value ? `Status from ${SOURCES[value.source] ?? value.source}` : ''
      }
    >
      {value && health.error && (
        <Box mb={2}>
          <Alert severity="warning">
            Could not check again: {errorMessage(health.error)}
          </Alert>
        </Box>
      )}
      {body}
    </InfoCard>
  );
}
