import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type {
  GatewayBundleView,
  GatewayObjectStatus,
  GatewayRouteParentStatus,
} from '@internal/plugin-runner-common';
import type { GatewayPermissions } from '../../hooks/useGatewayPermissions';
import { GatewayStatusChip } from '../GatewayStatusChip';
import { GuardedButton } from '../GuardedButton';

export interface GatewayBundlesTableProps {
  label: string;
  bundles: GatewayBundleView[];
  permissions: GatewayPermissions;
  /** Why nothing can be changed (no cluster): shown on Edit, Delete, Roll back. */
  changeBlocked?: string;
  onEdit: (bundle: GatewayBundleView) => void;
  onDelete: (bundle: GatewayBundleView) => void;
  onExport: (bundle: GatewayBundleView) => void;
  onHistory: (bundle: GatewayBundleView) => void;
}

function parentName(parent: GatewayRouteParentStatus): string {
  const ref = parent.parentRef;
  return `${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}${
    ref.sectionName ? ` (${ref.sectionName})` : ''
  }`;
}

function ParentLine(props: {
  parent: GatewayRouteParentStatus;
  generated?: boolean;
}) {
  const { parent, generated } = props;
  const notAccepted = parent.conditions.find(
    c => c.type === 'Accepted' && c.status === 'False',
  );
  return (
    <Typography variant="caption" component="div">
      Parent {parentName(parent)}
      {generated ? ' (generated HTTPRoute)' : ''}:{' '}
      <GatewayStatusChip
        condition="Accepted"
        state={parent.accepted}
        reason={notAccepted?.reason}
      />{' '}
      <GatewayStatusChip condition="ResolvedRefs" state={parent.resolvedRefs} />
    </Typography>
  );
}

function ObjectStatus(props: { status: GatewayObjectStatus }) {
  const { status } = props;
  return (
    <Box mb={1} data-testid="object-status">
      <Typography variant="body2" component="div">
        <strong>
          {status.object.kind} {status.object.name}
        </strong>{' '}
        <GatewayStatusChip
          condition="Accepted"
          state={status.accepted}
          reason={status.reason}
        />{' '}
        <GatewayStatusChip
          condition="ResolvedRefs"
          state={status.resolvedRefs}
        />
        {status.stale && (
          <Typography variant="caption" component="span">
            {' '}
            (the controller has not looked at the latest change yet)
          </Typography>
        )}
      </Typography>
      {status.accepted === 'False' && status.reason && (
        <Typography variant="caption" component="div" color="error">
          Why: {status.reason}
        </Typography>
      )}
      {(status.parents ?? []).map((parent, i) => (
        <ParentLine key={i} parent={parent} />
      ))}
      {(status.generatedRouteParents ?? []).map((parent, i) => (
        <ParentLine key={`g${i}`} parent={parent} generated />
      ))}
      {status.generatedRouteError && (
        <Typography
          variant="caption"
          component="div"
          color="error"
          data-testid="generated-route-error"
        >
          The generated HTTPRoute could not be read (
          {status.generatedRouteError.code}):{' '}
          {status.generatedRouteError.userMessage}{' '}
          {status.generatedRouteError.remediation}
        </Typography>
      )}
    </Box>
  );
}

/** One type of bundle (routes or providers) with each object's conditions and the actions. */
export function GatewayBundlesTable(props: GatewayBundlesTableProps) {
  const { label, bundles, permissions, changeBlocked } = props;
  return (
    <Table size="small" aria-label={label}>
      <TableHead>
        <TableRow>
          <TableCell>Name</TableCell>
          <TableCell>Template</TableCell>
          <TableCell>Status</TableCell>
          <TableCell>Objects and conditions</TableCell>
          <TableCell>Actions</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {bundles.map(bundle => (
          <TableRow key={bundle.name} data-testid={`bundle-row-${bundle.name}`}>
            <TableCell component="th" scope="row">
              {bundle.name}
              <Typography variant="caption" display="block">
                {bundle.namespace} · {bundle.cluster}
              </Typography>
            </TableCell>
            <TableCell>{bundle.template}</TableCell>
            <TableCell>
              <GatewayStatusChip
                condition="Accepted"
                state={bundle.accepted}
                reason={bundle.status.find(s => s.accepted === 'False')?.reason}
              />
            </TableCell>
            <TableCell>
              {bundle.status.length === 0 ? (
                <Typography variant="caption">
                  No status reported yet
                </Typography>
              ) : (
                bundle.status.map((s, i) => <ObjectStatus key={i} status={s} />)
              )}
            </TableCell>
            <TableCell>
              <Box display="flex" flexWrap="wrap" gridGap={4}>
                <GuardedButton
                  size="small"
                  variant="outlined"
                  aria-label={`Edit ${bundle.name}`}
                  disabledReason={changeBlocked ?? permissions.update.reason}
                  onClick={() => props.onEdit(bundle)}
                >
                  Edit
                </GuardedButton>
                <GuardedButton
                  size="small"
                  variant="outlined"
                  aria-label={`Export ${bundle.name} as YAML`}
                  onClick={() => props.onExport(bundle)}
                >
                  Export
                </GuardedButton>
                <GuardedButton
                  size="small"
                  variant="outlined"
                  aria-label={`Revision history of ${bundle.name}`}
                  onClick={() => props.onHistory(bundle)}
                >
                  History
                </GuardedButton>
                <GuardedButton
                  size="small"
                  variant="outlined"
                  color="secondary"
                  aria-label={`Delete ${bundle.name}`}
                  disabledReason={changeBlocked ?? permissions.delete.reason}
                  onClick={() => props.onDelete(bundle)}
                >
                  Delete
                </GuardedButton>
              </Box>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
