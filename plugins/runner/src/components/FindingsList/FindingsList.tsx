import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { StatusError, StatusWarning } from '@backstage/core-components';
import type { GatewayFinding } from '@internal/plugin-runner-common';

export interface FindingsListProps {
  findings: GatewayFinding[];
  /** Accessible name of the list, e.g. "Validation findings". */
  label: string;
}

function where(finding: GatewayFinding): string | undefined {
  const parts: string[] = [];
  if (finding.object) {
    parts.push(
      `${finding.object.kind}${
        finding.object.name ? ` ${finding.object.name}` : ''
      }`,
    );
  } else if (finding.source !== 'yaml') {
    parts.push('form input');
  }
  if (finding.line !== undefined) {
    parts.push(
      `line ${finding.line}${
        finding.column !== undefined ? `, column ${finding.column}` : ''
      }`,
    );
  }
  if (finding.document !== undefined)
    parts.push(`document ${finding.document + 1}`);
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

/**
 * Findings as the API server writes field errors: each message next to its
 * path (`spec.rules[0].timeouts`), with the object or YAML line it is about
 * and which layer found it. Errors first.
 */
export function FindingsList(props: FindingsListProps) {
  const { findings, label } = props;
  const sorted = [...findings].sort(
    (a, b) => Number(a.severity !== 'error') - Number(b.severity !== 'error'),
  );
  return (
    <List dense aria-label={label}>
      {sorted.map((finding, i) => {
        const Status =
          finding.severity === 'error' ? StatusError : StatusWarning;
        const location = where(finding);
        return (
          <ListItem key={i} data-testid="finding" divider>
            <ListItemText
              disableTypography
              primary={
                <Typography variant="body2" component="div">
                  <Status>
                    {finding.severity === 'error' ? 'Error' : 'Warning'}
                  </Status>{' '}
                  {finding.path && (
                    <>
                      <code data-testid="finding-path">{finding.path}</code>
                      {': '}
                    </>
                  )}
                  {finding.message}
                </Typography>
              }
              secondary={
                <Typography
                  variant="caption"
                  color="textSecondary"
                  component="div"
                >
                  {[location, `found by ${finding.source}`]
                    .filter(Boolean)
                    .join(' · ')}
                </Typography>
              }
            />
          </ListItem>
        );
      })}
    </List>
  );
}
