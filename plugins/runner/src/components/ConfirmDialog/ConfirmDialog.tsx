import { useId, useState, type ReactNode } from 'react';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Alert from '@material-ui/lab/Alert';
import { errorMessage } from '../../lib/format';

export interface ConfirmDialogProps {
  open: boolean;
  /** A question naming the target, e.g. "Stop instance 3f2a1b2c… of hello?". */
  title: string;
  children: ReactNode;
  /** The confirm button's label, a verb: "Stop", "Remove". */
  confirmLabel: string;
  /** Runs the action; the dialog stays open, with the error, if it throws. */
  onConfirm: () => Promise<unknown>;
  onClose: () => void;
}

/**
 * Asks before an action that changes a running system. MUI's Dialog traps
 * focus and closes on Escape; Cancel takes the initial focus so that Enter
 * alone never confirms a destructive action.
 */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const { open, title, children, confirmLabel, onConfirm, onClose } = props;
  const titleId = useId();
  const bodyId = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();

  const close = () => {
    if (busy) return;
    setError(undefined);
    onClose();
  };

  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm();
      setBusy(false);
      onClose();
    } catch (e) {
      setBusy(false);
      setError(e as Error);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={close}
      aria-labelledby={titleId}
      aria-describedby={bodyId}
    >
      <DialogTitle id={titleId}>{title}</DialogTitle>
      <DialogContent>
        <DialogContentText id={bodyId} component="div">
          {children}
        </DialogContentText>
        {error && (
          <Alert severity="error" role="alert">
            {errorMessage(error)}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        {/* Focus inside a modal dialog is what the WAI-ARIA dialog pattern
            asks for; Cancel, so that Enter alone never confirms. */}
        {/* eslint-disable-next-line jsx-a11y/no-autofocus */}
        <Button onClick={close} disabled={busy} autoFocus>
          Cancel
        </Button>
        <Button
          onClick={confirm}
          disabled={busy}
          color="primary"
          variant="contained"
          startIcon={
            busy ? <CircularProgress size={16} color="inherit" /> : undefined
          }
        >
          {confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
