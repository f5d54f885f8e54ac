import { useId, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { useApi } from '@backstage/frontend-plugin-api';
import type { GatewayApplyResult } from '@internal/plugin-runner-common';
import { runnerApiRef } from '../../api';
import { GatewayErrorAlert } from '../GatewayErrorAlert';
import { GuardedButton } from '../GuardedButton';

export interface GatewayImportDialogProps {
  open: boolean;
  entityRef: string;
  /** Why importing is not possible (no cluster, no permission). */
  disabledReason?: string;
  onClose: () => void;
  onImported: () => void;
}

/**
 * Imports YAML (typed, pasted or read from a file) for the entity. The
 * backend validates every bundle before applying any; YAML that does not
 * parse comes back with line numbers, shown next to each problem.
 */
export function GatewayImportDialog(props: GatewayImportDialogProps) {
  const { open, entityRef, disabledReason, onClose, onImported } = props;
  const runnerApi = useApi(runnerApiRef);
  const titleId = useId();
  const [yaml, setYaml] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const [result, setResult] = useState<GatewayApplyResult[]>();

  const close = () => {
    if (busy) return;
    setError(undefined);
    setResult(undefined);
    onClose();
  };
  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setResult(await runnerApi.importGatewayYaml(entityRef, yaml));
      onImported();
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={close}
      aria-labelledby={titleId}
      fullWidth
      maxWidth="md"
    >
      <DialogTitle id={titleId}>Import gateway YAML</DialogTitle>
      <DialogContent>
        <Box display="flex" flexDirection="column" gridGap={8}>
          <Button
            variant="outlined"
            component="label"
            size="small"
            style={{ alignSelf: 'flex-start' }}
          >
            Choose a YAML file
            <input
              type="file"
              accept=".yaml,.yml,application/yaml,text/yaml"
              hidden
              aria-label="YAML file to import"
              onChange={async e => {
                const file = e.target.files?.[0];
                if (file) setYaml(await file.text());
              }}
            />
          </Button>
          <TextField
            id="gateway-import-yaml"
            label="YAML to import"
            multiline
            minRows={12}
            maxRows={24}
            value={yaml}
            onChange={e => setYaml(e.target.value)}
            variant="outlined"
            fullWidth
            inputProps={{
              style: { fontFamily: 'monospace', fontSize: '0.8rem' },
            }}
            helperText='Secrets exported as "set" keep the values the cluster has.'
          />
          {error && (
            <GatewayErrorAlert title="Nothing was imported" error={error} />
          )}
          {result && (
            <Alert severity="success" role="status">
              Imported{' '}
              {result
                .map(r => `${r.bundle.name} (revision ${r.revision})`)
                .join(', ')}
              .
            </Alert>
          )}
        </Box>
      </DialogContent>
      <DialogActions>
        <Button onClick={close} disabled={busy}>
          {result ? 'Close' : 'Cancel'}
        </Button>
        <GuardedButton
          variant="contained"
          color="primary"
          onClick={submit}
          disabledReason={
            disabledReason ??
            (yaml.trim() ? undefined : 'Paste or choose YAML first.')
          }
          startIcon={
            busy ? <CircularProgress size={16} color="inherit" /> : undefined
          }
        >
          Import
        </GuardedButton>
      </DialogActions>
    </Dialog>
  );
}
