import type { ReactNode } from 'react';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { errorDetails, findingsOf } from '../../lib/gatewayErrors';
import { errorMessage, errorStatus } from '../../lib/format';
import { FindingsList } from '../FindingsList';

export interface GatewayErrorAlertProps {
  /** What failed, e.g. "Could not apply the bundle". */
  title: string;
  error: Error;
  /** Buttons such as "Reload" or "Try again". */
  action?: ReactNode;
}

/**
 * A failed gateway call: the backend's message, its category and
 * remediation when it has them, and every finding with its path.
 */
export function GatewayErrorAlert(props: GatewayErrorAlertProps) {
  const { title, error, action } = props;
  const details = errorDetails(error);
  const findings = findingsOf(error);
  const status = errorStatus(error);
  return (
    <Alert severity="error" role="alert" action={action}>
      <AlertTitle>{title}</AlertTitle>
      <Typography variant="body2">{errorMessage(error)}</Typography>
      {(details.category || status) && (
        <Typography variant="caption" component="div">
          {[
            details.category && `Category: ${details.category}`,
            details.code && `Code: ${details.code}`,
            status && `HTTP ${status}`,
          ]
            .filter(Boolean)
            .join(' · ')}
        </Typography>
      )}
      {details.remediation && (
        <Typography variant="body2">
          <strong>What to do:</strong> {details.remediation}
        </Typography>
      )}
      {findings.length > 0 && (
        <FindingsList findings={findings} label={`Findings: ${title}`} />
      )}
    </Alert>
  );
}
