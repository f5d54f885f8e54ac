import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import type {
  GatewayValidateResponse,
  GatewayValidationStatus,
} from '@internal/plugin-runner-common';

export interface GatewayVerdictProps {
  result: GatewayValidateResponse;
}

/** The verdict, also from a backend that only says `valid` and findings. */
export function verdictOf(
  result: GatewayValidateResponse,
): GatewayValidationStatus {
  if (result.status) return result.status;
  return result.findings.some(f => f.severity === 'error')
    ? 'invalid'
    : 'valid';
}

/**
 * What a validation found, in one of three words: valid (everything was
 * checked), invalid (errors block applying), or not verified (no errors, but
 * some kinds were checked against no schema, each with the reason).
 */
export function GatewayVerdict(props: GatewayVerdictProps) {
  const { result } = props;
  const status = verdictOf(result);
  const errors = result.findings.filter(f => f.severity === 'error').length;
  if (status === 'invalid') {
    return (
      <Alert severity="error" role="status" data-testid="gateway-verdict">
        <AlertTitle>Invalid</AlertTitle>
        <Typography variant="body2">
          {`${errors} error${errors === 1 ? '' : 's'} found: fix ${
            errors === 1 ? 'it' : 'them'
          } before applying.`}
        </Typography>
      </Alert>
    );
  }
  if (status === 'unverified') {
    return (
      <Alert severity="warning" role="status" data-testid="gateway-verdict">
        <AlertTitle>Not verified</AlertTitle>
        <Typography variant="body2">
          No errors found, but these kinds were not checked against a schema:
        </Typography>
        <ul>
          {(result.unverifiedKinds ?? []).map(u => (
            <li key={`${u.apiVersion}/${u.kind}`}>
              <Typography variant="body2">
                <strong>{u.kind}</strong> ({u.apiVersion}): {u.reason}
              </Typography>
            </li>
          ))}
        </ul>
        <Typography variant="body2">
          Applying runs the cluster's dry run, which checks them.
        </Typography>
      </Alert>
    );
  }
  const byServer = result.layers.dryRun.startsWith('ran');
  return (
    <Alert severity="success" role="status" data-testid="gateway-verdict">
      <AlertTitle>Valid</AlertTitle>
      <Typography variant="body2">No errors found.</Typography>
      <Typography variant="body2">
        {byServer
          ? "Every object was checked, by its schema or by the cluster's dry run."
          : 'Every object was checked against its schema.'}
      </Typography>
    </Alert>
  );
}
