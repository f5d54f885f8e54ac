import { useId, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Switch from '@material-ui/core/Switch';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import GetAppIcon from '@material-ui/icons/GetApp';
import {
  InfoCard,
  LogViewer,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type { RunnerInstance } from '@internal/plugin-runner-common';
import { runnerApiRef, type LogStream } from '../../api';
import { errorMessage, shortId } from '../../lib/format';
import { readFailure } from '../InstanceFailure/failure';
import { downloadText } from './download';
import { LOG_TAIL, MAX_FOLLOWED_LINES, useInstanceLog } from './useInstanceLog';

const STREAMS: Array<{ value: LogStream; label: string }> = [
  { value: 'build', label: 'Build' },
  { value: 'run', label: 'Run' },
];

// Failures whose story is in the build log rather than the container's.
const BUILD_CATEGORIES = ['build', 'image', 'source'];

/** The tab worth opening first: the build while it builds or when it broke. */
function initialStream(instance: RunnerInstance): LogStream {
  if (instance.state === 'pending' || instance.state === 'building') {
    return 'build';
  }
  const category = readFailure(instance.failure)?.category;
  return category && BUILD_CATEGORIES.includes(category) ? 'build' : 'run';
}

/**
 * The build and run logs of one instance in Backstage's LogViewer (which
 * brings search and line links). Follow streams new lines until the build
 * or the container ends, and stops when the panel goes away. Mount it with
 * `key={instance.id}` so that switching instances starts afresh.
 */
export function InstanceLogs(props: {
  instance: RunnerInstance;
  entityName: string;
}) {
  const { instance, entityName } = props;
  const runnerApi = useApi(runnerApiRef);
  const panelId = useId();
  const [stream, setStream] = useState<LogStream>(() =>
    initialStream(instance),
  );
  // Following is on by default only while there is something to follow.
  const [follow, setFollow] = useState(
    () => instance.state !== 'stopped' && instance.state !== 'failed',
  );
  const [downloadError, setDownloadError] = useState<Error>();

  const log = useInstanceLog({
    instanceId: instance.id,
    stream,
    follow,
    refreshKey: `${instance.state}:${instance.updatedAt}`,
    onFollowEnded: () => setFollow(false),
  });

  const download = async () => {
    setDownloadError(undefined);
    try {
      // The whole log, not just the tail on screen.
      const text = await runnerApi.getLogs(instance.id, {
        stream,
        tail: 'all',
      });
      downloadText(
        `${entityName}-${instance.id.slice(0, 8)}-${stream}.log`,
        text,
      );
    } catch (e) {
      setDownloadError(e as Error);
    }
  };

  const streamLabel = stream === 'build' ? 'build' : 'run';
  let body;
  if (log.error) {
    body = (
      <ResponseErrorPanel
        title={`Could not read the ${streamLabel} log`}
        error={log.error}
      />
    );
  } else if (log.loading && log.lineCount === 0) {
    body = <Progress aria-label={`Loading the ${streamLabel} log`} />;
  } else if (log.lineCount === 0) {
    body = (
      <Typography variant="body2" color="textSecondary">
        {stream === 'build'
          ? 'No build log: the image may have come from the cache, or the build has not started.'
          : 'No container output yet.'}
      </Typography>
    );
  } else {
    body = (
      // LogViewer sizes itself to its container, so the box fixes a height.
      // Long lines wrap: a stack trace or a JSON log line stays readable
      // without scrolling sideways.
      <Box height={420} data-testid="instance-log">
        <LogViewer text={log.text} textWrap />
      </Box>
    );
  }

  return (
    <InfoCard
      title={`Logs of instance ${shortId(instance.id)}`}
      titleTypographyProps={{ component: 'h3' }}
      subheader={
        follow
          ? 'Following: new lines appear as they are written'
          : `The last ${LOG_TAIL} lines; Download gets the whole log`
      }
    >
      <Box
        display="flex"
        alignItems="center"
        justifyContent="space-between"
        flexWrap="wrap"
        gridGap={8}
      >
        <Tabs
          value={stream}
          onChange={(_, value: LogStream) => setStream(value)}
          aria-label={`Log of instance ${shortId(instance.id)}`}
          indicatorColor="primary"
        >
          {STREAMS.map(s => (
            <Tab
              key={s.value}
              value={s.value}
              label={s.label}
              id={`${panelId}-${s.value}`}
              aria-controls={panelId}
            />
          ))}
        </Tabs>
        <Box display="flex" alignItems="center" gridGap={8}>
          <FormControlLabel
            control={
              <Switch
                checked={follow}
                onChange={(_, checked) => setFollow(checked)}
                color="primary"
              />
            }
            label="Follow"
          />
          <Button
            size="small"
            variant="outlined"
            startIcon={<GetAppIcon />}
            onClick={download}
            aria-label={`Download the ${streamLabel} log of instance ${shortId(
              instance.id,
            )}`}
          >
            Download
          </Button>
        </Box>
      </Box>
      {downloadError && (
        <Box mt={1}>
          <Alert severity="error">
            Could not download the {streamLabel} log:{' '}
            {errorMessage(downloadError)}
          </Alert>
        </Box>
      )}
      {log.truncated && (
        <Typography variant="caption" color="textSecondary" component="p">
          Showing the last {MAX_FOLLOWED_LINES} lines; Download gets them all.
        </Typography>
      )}
      <Box
        mt={1}
        id={panelId}
        role="tabpanel"
        aria-labelledby={`${panelId}-${stream}`}
      >
        {body}
      </Box>
    </InfoCard>
  );
}
