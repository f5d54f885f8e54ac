import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import LockIcon from '@material-ui/icons/Lock';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { runnerApiRef } from '../../api';
import { configSections, type ConfigSection } from './configRows';

const useStyles = makeStyles(theme => ({
  key: {
    verticalAlign: 'top',
    width: '45%',
    wordBreak: 'break-word',
    fontSize: theme.typography.caption.fontSize,
  },
  value: { verticalAlign: 'top', wordBreak: 'break-word' },
  secret: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
  },
}));

// Plain words for the origins the backend reports, in precedence order.
const ORIGIN_LABELS: Record<string, string> = {
  default: 'default',
  annotation: 'from annotation',
  'app-config': 'from app-config',
};

const SECTION_TITLES: Record<string, string> = {
  docker: 'Docker',
  build: 'Build',
  run: 'Run',
};

function SectionTable(props: { section: ConfigSection }) {
  const { section } = props;
  const classes = useStyles();
  const title =
    SECTION_TITLES[section.name] ??
    section.name.charAt(0).toUpperCase() + section.name.slice(1);
  return (
    <>
      <Typography variant="h6" component="h4" gutterBottom>
        {title}
      </Typography>
      <Table size="small" aria-label={`${title} config`}>
        <TableBody>
          {section.rows.map(row => (
            <TableRow key={row.key}>
              <TableCell component="th" scope="row" className={classes.key}>
                <code>{row.key}</code>
              </TableCell>
              <TableCell className={classes.value}>
                {row.secret ? (
                  <Typography
                    variant="body2"
                    component="span"
                    className={classes.secret}
                  >
                    <LockIcon fontSize="inherit" aria-label="secret" />
                    {row.value}
                  </Typography>
                ) : (
                  <Typography variant="body2">{row.value}</Typography>
                )}
                {row.origin && (
                  <Typography
                    variant="caption"
                    color="textSecondary"
                    component="div"
                  >
                    {ORIGIN_LABELS[row.origin] ?? row.origin}
                  </Typography>
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </>
  );
}

/**
 * What the runner will actually use for this component, after merging the
 * `runner.docker` defaults, the entity's annotations and app-config's
 * `runner.components` overrides, with where each value came from. Secret
 * environment variables show as "set": the values never leave the backend.
 */
export function EffectiveConfigCard(props: { entityRef: string }) {
  const runnerApi = useApi(runnerApiRef);
  const config = useAsyncRetry(
    // async, so that even a synchronous throw lands in the error state.
    async () => runnerApi.getEffectiveConfig(props.entityRef),
    [runnerApi, props.entityRef],
  );

  let body;
  if (config.loading && !config.value) {
    body = <Progress aria-label="Loading the effective config" />;
  } else if (config.error) {
    // A 400 here names the bad annotation; the panel shows the message.
    body = (
      <>
        <ResponseErrorPanel
          title="Could not compute the effective config"
          error={config.error}
        />
        <Box mt={1}>
          <Button variant="outlined" size="small" onClick={config.retry}>
            Try again
          </Button>
        </Box>
      </>
    );
  } else if (config.value) {
    body = (
      <Grid container spacing={3}>
        {configSections(config.value).map(section => (
          <Grid item xs={12} md={4} key={section.name}>
            <SectionTable section={section} />
          </Grid>
        ))}
      </Grid>
    );
  }

  return (
    <InfoCard
      title="Effective config"
      titleTypographyProps={{ component: 'h3' }}
      subheader="Defaults, then annotations, then app-config (runner.components); secrets show as “set”"
    >
      {body}
    </InfoCard>
  );
}
