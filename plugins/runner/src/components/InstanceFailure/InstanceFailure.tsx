import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { readFailure, remediationParts } from './failure';

const useStyles = makeStyles(theme => ({
  message: { color: theme.palette.error.main, marginTop: theme.spacing(0.5) },
  accordion: {
    marginTop: theme.spacing(0.5),
    '&:before': { display: 'none' },
  },
  summary: { minHeight: 32, padding: 0, '&$expanded': { minHeight: 32 } },
  summaryContent: { margin: 0, '&$expanded': { margin: 0 } },
  expanded: {},
  details: { padding: theme.spacing(0, 0, 1, 0), display: 'block' },
  list: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    margin: 0,
    '& dd': { margin: 0 },
  },
  detail: {
    margin: 0,
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-word',
    fontSize: theme.typography.caption.fontSize,
    maxHeight: 240,
    overflow: 'auto',
  },
}));

/**
 * Why an instance failed: the categorized error's message, and on demand
 * what kind of failure it was and what to do about it. The remediation is
 * the part a user acts on, so it comes first in the panel.
 */
export function InstanceFailure(props: {
  failure: unknown;
  /** Names the instance in the panel's accessible name. */
  instanceLabel: string;
}) {
  const classes = useStyles();
  const failure = readFailure(props.failure);
  if (!failure) return null;

  let retry: string | undefined;
  if (failure.recoverable !== undefined) {
    retry = failure.recoverable ? 'Yes' : 'No: something must change first';
  }
  const facts: Array<[string, string | undefined]> = [
    ['Category', failure.category],
    ['Code', failure.code],
    ['Severity', failure.severity],
    ['Retry may help', retry],
  ];

  return (
    <div>
      <Typography variant="body2" className={classes.message}>
        {failure.userMessage}
      </Typography>
      <Accordion
        className={classes.accordion}
        elevation={0}
        square
        TransitionProps={{ unmountOnExit: true }}
      >
        <AccordionSummary
          expandIcon={<ExpandMoreIcon />}
          aria-label={`Failure details of instance ${props.instanceLabel}`}
          classes={{
            root: classes.summary,
            content: classes.summaryContent,
            expanded: classes.expanded,
          }}
        >
          <Typography variant="caption" color="textSecondary">
            {failure.code ? `${failure.code}: what to do` : 'What to do'}
          </Typography>
        </AccordionSummary>
        <AccordionDetails className={classes.details}>
          <dl className={classes.list}>
            {failure.remediation && (
              <>
                <Typography component="dt" variant="body2">
                  Remediation
                </Typography>
                <Typography component="dd" variant="body2">
                  {remediationParts(failure.remediation).map((part, i) =>
                    part.code ? (
                      <code key={i}>{part.text}</code>
                    ) : (
                      <span key={i}>{part.text}</span>
                    ),
                  )}
                </Typography>
              </>
            )}
            {facts
              .filter(([, value]) => value !== undefined)
              .flatMap(([label, value]) => [
                <Typography key={`${label}-dt`} component="dt" variant="body2">
                  {label}
                </Typography>,
                <Typography key={`${label}-dd`} component="dd" variant="body2">
                  {value}
                </Typography>,
              ])}
            {failure.detail && (
              <>
                <Typography component="dt" variant="body2">
                  Detail
                </Typography>
                <dd>
                  <pre className={classes.detail}>{failure.detail}</pre>
                </dd>
              </>
            )}
          </dl>
        </AccordionDetails>
      </Accordion>
    </div>
  );
}
