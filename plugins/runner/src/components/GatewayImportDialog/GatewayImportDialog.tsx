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
import type {
  GatewayApplyResult,
  GatewayValidateResponse,
} from '@internal/plugin-runner-common';
import { runnerApiRef } from '../../api';
import { FindingsList } from '../FindingsList';
import { GatewayErrorAlert } from '../GatewayErrorAlert';
import { GatewayVerdict } from '../GatewayVerdict';
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
 * parse comes back with line numbers, shown next to each problem. Validate
 * (no cluster needed) says whether it is valid, invalid or not verified, and
 * changes nothing.
 */
export function GatewayImportDialog(props: GatewayImportDialogProps) {
  const { open, entityRef, disabledReason, onClose, onImported } = props;
  const runnerApi = useApi(runnerApiRef);
  const titleId = useId();
  const [yaml, setYaml] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const [errorTitle, setErrorTitle] = useState('Nothing was imported');
  const [result, setResult] = useState<GatewayApplyResult[]>();
  const [validation, setValidation] = useState<GatewayValidateResponse>();

  const close = () => {
    if (busy) return;
    setError(undefined);
    setResult(undefined);
    setValidation(undefined);
    onClose();
  };
  const validate = async () => {
    setBusy(true);
    setError(undefined);
    setValidation(undefined);
    try {
      setValidation(
        await runnerApi.validateGatewayProposal(entityRef, { yaml }),
      );
    } catch (e) {
      setErrorTitle('Could not validate');
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  const submit = async () => {
    setBusy(true);
    setError(undefined);
    setValidation(undefined);
    try {
      setResult(await runnerApi.importGatewayYaml(entityRef, yaml));
      onImported();
    } catch (e) {
      setErrorTitle('Nothing was imported');
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
            onChange={e => {
              setYaml(e.target.value);
              setValidation(undefined);
            }}
            variant="outlined"
            fullWidth
            inputProps={{
              style: { fontFamily: 'monospace', fontSize: '0.8rem' },
            }}
            helperText='Secrets exported as "set" keep the values the cluster has.'
          />
          {error && <GatewayErrorAlert title={errorTitle} error={error} />}
          {validation && (
            <>
              <GatewayVerdict result={validation} />
              {validation.findings.length > 0 && (
                <FindingsList
                  findings={validation.findings}
                  label="Validation findings"
                />
              )}
            </>
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
          variant="outlined"
          onClick={validate}
          disabledReason={
            yaml.trim() ? undefined : 'Paste or choose YAML first.'
          }
        >
          Validate
        </GuardedButton>
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
