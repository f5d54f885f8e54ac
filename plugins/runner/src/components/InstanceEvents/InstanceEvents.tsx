import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import type { RunnerInstance } from '@internal/plugin-runner-common';
import useAsync from 'react-use/esm/useAsync';
import { runnerApiRef } from '../../api';
import { shortId } from '../../lib/format';
import { InstanceStateChip } from '../InstanceStateChip';

const useStyles = makeStyles(theme => ({
  list: { listStyle: 'none', margin: 0, padding: 0 },
  item: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(1.5),
    alignItems: 'baseline',
    padding: theme.spacing(0.75, 0),
    borderLeft: `2px solid ${theme.palette.divider}`,
    paddingLeft: theme.spacing(1.5),
  },
  time: { fontVariantNumeric: 'tabular-nums' },
}));

/**
 * The state transitions of one instance, oldest first, as a compact
 * timeline. Reloaded whenever the instance's state changes in the list, so
 * it follows the same live updates without a subscription of its own.
 */
export function InstanceEvents(props: { instance: RunnerInstance }) {
  const { instance } = props;
  const classes = useStyles();
  const runnerApi = useApi(runnerApiRef);
  const events = useAsync(
    // async, so that even a synchronous throw lands in the error state.
    async () => runnerApi.getInstanceEvents(instance.id),
    [runnerApi, instance.id, instance.state, instance.updatedAt],
  );
  const label = `State transitions of instance ${shortId(instance.id)}`;

  let body;
  if (events.error) {
    body = (
      <ResponseErrorPanel
        title="Could not read the transitions"
        error={events.error}
      />
    );
  } else if (!events.value) {
    body = <Progress aria-label="Loading the transitions" />;
  } else if (events.value.length === 0) {
    body = (
      <Typography variant="body2" color="textSecondary">
        No transitions recorded yet.
      </Typography>
    );
  } else {
    body = (
      <ol className={classes.list} aria-label={label}>
        {events.value.map(event => (
          <li key={event.id} className={classes.item}>
            <Typography
              variant="caption"
              color="textSecondary"
              className={classes.time}
              component="time"
              dateTime={event.at}
              title={new Date(event.at).toLocaleString()}
            >
              {new Date(event.at).toLocaleTimeString()}
            </Typography>
            <Box>
              <Box display="flex" alignItems="center" gridGap={4}>
                {event.fromState && (
                  <>
                    <InstanceStateChip state={event.fromState} />
                    <span role="img" aria-label="to">
                      →
                    </span>
                  </>
                )}
                <InstanceStateChip state={event.toState} />
              </Box>
              {event.message && (
                <Typography variant="caption" component="div">
                  {event.message}
                </Typography>
              )}
            </Box>
          </li>
        ))}
      </ol>
    );
  }

  return (
    <InfoCard
      title="Transitions"
      titleTypographyProps={{ component: 'h3' }}
      subheader={`Instance ${shortId(instance.id)}`}
    >
      {body}
    </InfoCard>
  );
}
