import { useEffect, useState } from 'react';
import Link from '@material-ui/core/Link';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { RunnerInstance } from '@internal/plugin-runner-common';
import type { InstancePermissions } from '../../hooks/useInstancePermissions';
import { displayRef, formatDuration, shortId } from '../../lib/format';
import { InstanceActions } from '../InstanceActions';
import { InstanceFailure } from '../InstanceFailure';
import { InstancePorts } from '../InstancePorts';
import { InstanceStateChip } from '../InstanceStateChip';

const useStyles = makeStyles(theme => ({
  idButton: {
    fontFamily: 'monospace',
    fontSize: theme.typography.body2.fontSize,
    textAlign: 'left',
  },
  stateCell: { minWidth: 180, maxWidth: 420 },
}));

/** The time since start while running; how long it ran once it ended. */
function uptime(instance: RunnerInstance, now: number): string {
  if (!instance.startedAt) return '—';
  const started = Date.parse(instance.startedAt);
  if (instance.state === 'running') return formatDuration(now - started);
  if (instance.stoppedAt) {
    return `ran ${formatDuration(Date.parse(instance.stoppedAt) - started)}`;
  }
  return '—';
}

/** A clock for uptimes; ticks only while something is running. */
function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}

export interface InstancesTableProps {
  instances: RunnerInstance[];
  entityName: string;
  permissions: InstancePermissions;
  selectedId?: string;
  onSelect: (id: string) => void;
  onChanged: () => void;
}

/**
 * The entity's instances, newest first: state (and why it failed), where to
 * reach it, who started it when, and the row actions. Picking an instance's
 * id shows its logs and transitions below the table.
 */
export function InstancesTable(props: InstancesTableProps) {
  const { instances, entityName, permissions, selectedId, onSelect } = props;
  const classes = useStyles();
  const now = useNow(instances.some(i => i.state === 'running'));

  return (
    <Table size="small" aria-label={`Instances of ${entityName}`}>
      <TableHead>
        <TableRow>
          <TableCell>Instance</TableCell>
          <TableCell>State</TableCell>
          <TableCell>Ports</TableCell>
          <TableCell>Created</TableCell>
          <TableCell>Uptime</TableCell>
          <TableCell>Actions</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {instances.map(instance => {
          const id = shortId(instance.id);
          const selected = instance.id === selectedId;
          return (
            <TableRow
              key={instance.id}
              selected={selected}
              data-testid={`instance-row-${instance.id}`}
            >
              <TableCell>
                {/* A button, not a row click: reachable and announced. */}
                <Link
                  component="button"
                  className={classes.idButton}
                  onClick={() => onSelect(instance.id)}
                  aria-pressed={selected}
                  title={`Show the logs and transitions of ${instance.id}`}
                >
                  {id}
                </Link>
              </TableCell>
              <TableCell className={classes.stateCell}>
                <InstanceStateChip state={instance.state} />
                {instance.oomKilled && (
                  <Typography variant="caption" color="error" component="div">
                    Killed: out of memory
                  </Typography>
                )}
                {instance.state === 'failed' && (
                  <InstanceFailure
                    failure={instance.failure}
                    instanceLabel={id}
                  />
                )}
              </TableCell>
              <TableCell>
                <InstancePorts instance={instance} />
              </TableCell>
              <TableCell>
                <Typography variant="body2" title={instance.createdBy}>
                  {instance.createdBy
                    ? displayRef(instance.createdBy)
                    : 'unknown'}
                </Typography>
                <Typography variant="caption" color="textSecondary">
                  {new Date(instance.createdAt).toLocaleString()}
                </Typography>
              </TableCell>
              <TableCell>
                <Typography variant="body2">{uptime(instance, now)}</Typography>
              </TableCell>
              <TableCell>
                <InstanceActions
                  instance={instance}
                  entityName={entityName}
                  permissions={permissions}
                  onChanged={props.onChanged}
                />
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
