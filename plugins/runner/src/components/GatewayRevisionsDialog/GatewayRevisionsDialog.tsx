import { useId, useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Alert from '@material-ui/lab/Alert';
import { EmptyState, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import type { GatewayBundleView } from '@internal/plugin-runner-common';
import { runnerApiRef } from '../../api';
import { displayRef } from '../../lib/format';
import { ConfirmDialog } from '../ConfirmDialog';
import { GatewayErrorAlert } from '../GatewayErrorAlert';
import { GuardedButton } from '../GuardedButton';

export interface GatewayRevisionsDialogProps {
  entityRef: string;
  bundle: GatewayBundleView;
  /** Why rolling back is not possible (no cluster, no permission). */
  rollbackBlocked?: string;
  onClose: () => void;
  onRolledBack: () => void;
}

/** A bundle's recorded revisions, newest first, with a confirmed roll back. */
export function GatewayRevisionsDialog(props: GatewayRevisionsDialogProps) {
  const { entityRef, bundle, rollbackBlocked, onClose, onRolledBack } = props;
  const runnerApi = useApi(runnerApiRef);
  const titleId = useId();
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState<string>();
  const revisions = useAsyncRetry(
    () => runnerApi.listGatewayRevisions(entityRef, bundle.name),
    [runnerApi, entityRef, bundle.name],
  );
  const items = revisions.value ?? [];
  const previous = items[1];
  let noRollback: string | undefined;
  if (!previous) noRollback = 'There is no earlier revision to roll back to.';
  else if (previous.action === 'delete') {
    noRollback = 'The previous revision is a deletion.';
  }

  let body;
  if (revisions.error) {
    body = (
      <GatewayErrorAlert
        title="Could not list the revisions"
        error={revisions.error}
      />
    );
  } else if (!revisions.value) {
    body = <Progress aria-label="Loading the revisions" />;
  } else if (items.length === 0) {
    body = <EmptyState missing="data" title="No revisions recorded" />;
  } else {
    body = (
      <Table size="small" aria-label={`Revisions of ${bundle.name}`}>
        <TableHead>
          <TableRow>
            <TableCell>Revision</TableCell>
            <TableCell>Action</TableCell>
            <TableCell>By</TableCell>
            <TableCell>When</TableCell>
            <TableCell>Objects</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {items.map(r => (
            <TableRow key={r.id}>
              <TableCell>{r.revision}</TableCell>
              <TableCell>{r.action}</TableCell>
              <TableCell>{r.actor ? displayRef(r.actor) : '—'}</TableCell>
              <TableCell>{new Date(r.createdAt).toLocaleString()}</TableCell>
              <TableCell>
                {r.objects.map(o => `${o.kind}`).join(', ')}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    );
  }

  return (
    <Dialog
      open
      onClose={onClose}
      aria-labelledby={titleId}
      fullWidth
      maxWidth="md"
    >
      <DialogTitle id={titleId}>Revision history of {bundle.name}</DialogTitle>
      <DialogContent>
        {done && (
          <Alert severity="success" role="status">
            {done}
          </Alert>
        )}
        {body}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
        <GuardedButton
          variant="contained"
          color="primary"
          onClick={() => setConfirming(true)}
          disabledReason={rollbackBlocked ?? noRollback}
        >
          Roll back
        </GuardedButton>
      </DialogActions>
      <ConfirmDialog
        open={confirming}
        title={`Roll back ${bundle.name} to revision ${previous?.revision}?`}
        confirmLabel="Roll back"
        onClose={() => setConfirming(false)}
        onConfirm={async () => {
          const result = await runnerApi.rollbackGatewayBundle(
            entityRef,
            bundle.type,
            bundle.name,
          );
          setDone(
            `Rolled back ${bundle.name}: now revision ${result.revision}.`,
          );
          revisions.retry();
          onRolledBack();
        }}
      >
        This re-applies the objects of revision {previous?.revision} (
        {previous?.action}) to cluster {bundle.cluster}, keeping the current
        credential values, and records a new revision.
      </ConfirmDialog>
    </Dialog>
  );
}
