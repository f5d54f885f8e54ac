import { Fragment, useId, useState } from 'react';
import Collapse from '@material-ui/core/Collapse';
import IconButton from '@material-ui/core/IconButton';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import KeyboardArrowDownIcon from '@material-ui/icons/KeyboardArrowDown';
import KeyboardArrowRightIcon from '@material-ui/icons/KeyboardArrowRight';
import { Link } from '@backstage/core-components';
import {
  ERROR_CATEGORY_DESCRIPTIONS,
  type ErrorCategory,
  type ErrorEvent,
} from '@internal/plugin-runner-common';
import { INSTANCE_QUERY_PARAM } from '../../hooks/useInstanceQueryParam';
import {
  GATEWAY_TAB_PATH,
  RUNNER_TAB_PATH,
  useTabLink,
} from '../../hooks/useTabLink';
import { shortId } from '../../lib/format';
import { remediationParts } from '../InstanceFailure/failure';
import { SeverityChip } from '../SeverityChip';

const useStyles = makeStyles(theme => ({
  // Visually hidden, read by screen readers: the toggle column's header.
  srOnly: {
    position: 'absolute',
    width: 1,
    height: 1,
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
  },
  // The detail row sits under its error row without a line between them.
  main: { '& > td': { borderBottom: 'unset' } },
  nowrap: { whiteSpace: 'nowrap' },
  message: { minWidth: 240, maxWidth: 520 },
  detailCell: { paddingTop: 0, paddingBottom: 0 },
  facts: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    margin: theme.spacing(1, 0),
  },
  detail: {
    fontFamily: 'monospace',
    fontSize: theme.typography.caption.fontSize,
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-word',
    maxHeight: 320,
    overflow: 'auto',
    margin: theme.spacing(0, 0, 2, 0),
    padding: theme.spacing(1),
    backgroundColor: theme.palette.background.default,
    borderRadius: theme.shape.borderRadius,
  },
}));

export interface ErrorHistoryTableProps {
  items: ErrorEvent[];
  entityName: string;
  links: { runner: boolean; gateway: boolean };
}

function Concerns(props: {
  event: ErrorEvent;
  links: ErrorHistoryTableProps['links'];
}) {
  const { event, links } = props;
  const tabLink = useTabLink();
  if (event.instanceId) {
    const label = `Instance ${shortId(event.instanceId)}`;
    return links.runner ? (
      <Link
        to={tabLink(RUNNER_TAB_PATH, {
          [INSTANCE_QUERY_PARAM]: event.instanceId,
        })}
        title={`Open instance ${event.instanceId} in the Runner tab`}
      >
        {label}
      </Link>
    ) : (
      <>{label}</>
    );
  }
  if (event.resourceRef) {
    return links.gateway ? (
      <Link
        to={tabLink(GATEWAY_TAB_PATH, { resource: event.resourceRef })}
        title={`Open ${event.resourceRef} in the Gateway tab`}
      >
        {event.resourceRef}
      </Link>
    ) : (
      <>{event.resourceRef}</>
    );
  }
  return <>—</>;
}

function ErrorRow(props: {
  event: ErrorEvent;
  links: ErrorHistoryTableProps['links'];
}) {
  const { event, links } = props;
  const classes = useStyles();
  const [open, setOpen] = useState(false);
  const detailId = useId();
  const when = new Date(event.at).toLocaleString();
  const toggleLabel = `${open ? 'Hide' : 'Show'} the detail of ${event.code} at ${when}`;

  return (
    <Fragment>
      <TableRow className={classes.main} data-testid={`error-row-${event.id}`}>
        <TableCell padding="checkbox">
          <IconButton
            size="small"
            aria-label={toggleLabel}
            aria-expanded={open}
            aria-controls={detailId}
            onClick={() => setOpen(o => !o)}
          >
            {open ? <KeyboardArrowDownIcon /> : <KeyboardArrowRightIcon />}
          </IconButton>
        </TableCell>
        <TableCell className={classes.nowrap}>
          <Typography variant="caption">{when}</Typography>
        </TableCell>
        <TableCell>
          <SeverityChip severity={event.severity} />
        </TableCell>
        <TableCell
          title={ERROR_CATEGORY_DESCRIPTIONS[event.category as ErrorCategory]}
        >
          {event.category}
        </TableCell>
        <TableCell>
          <code>{event.code}</code>
        </TableCell>
        <TableCell className={classes.message}>
          <Typography variant="body2">{event.userMessage}</Typography>
          {event.remediation && (
            <Typography variant="caption" color="textSecondary" component="p">
              What to do:{' '}
              {remediationParts(event.remediation).map((part, i) =>
                part.code ? (
                  <code key={i}>{part.text}</code>
                ) : (
                  <span key={i}>{part.text}</span>
                ),
              )}
            </Typography>
          )}
        </TableCell>
        <TableCell className={classes.nowrap}>
          <Concerns event={event} links={links} />
        </TableCell>
      </TableRow>
      <TableRow>
        <TableCell className={classes.detailCell} colSpan={7}>
          <Collapse in={open} timeout="auto" unmountOnExit>
            <div id={detailId}>
              <div className={classes.facts}>
                {event.operation && (
                  <Typography variant="caption">
                    Operation: {event.operation}
                  </Typography>
                )}
                <Typography variant="caption">
                  Who acts:{' '}
                  {event.origin === 'user'
                    ? 'the component’s owners (code, annotations, config)'
                    : 'the platform (engine, network, cluster)'}
                </Typography>
                <Typography variant="caption">
                  Retry may help: {event.recoverable ? 'yes' : 'no'}
                </Typography>
              </div>
              <pre className={classes.detail} aria-label={`Detail of ${event.code}`}>
                {event.detail}
              </pre>
            </div>
          </Collapse>
        </TableCell>
      </TableRow>
    </Fragment>
  );
}

/**
 * The categorized error history, newest first: when, how bad, which kind,
 * the stable code, what happened and what to do, and what it concerns.
 * The original error text (secrets redacted by the backend) unfolds under
 * each row.
 */
export function ErrorHistoryTable(props: ErrorHistoryTableProps) {
  const classes = useStyles();
  return (
    <Table size="small" aria-label={`Error history of ${props.entityName}`}>
      <TableHead>
        <TableRow>
          <TableCell padding="checkbox">
            <span className={classes.srOnly}>Detail</span>
          </TableCell>
          <TableCell>Time</TableCell>
          <TableCell>Severity</TableCell>
          <TableCell>Category</TableCell>
          <TableCell>Code</TableCell>
          <TableCell>What happened</TableCell>
          <TableCell>Concerns</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.items.map(event => (
          <ErrorRow key={event.id} event={event} links={props.links} />
        ))}
      </TableBody>
    </Table>
  );
}
