import Chip from '@material-ui/core/Chip';
import { makeStyles, type Theme } from '@material-ui/core/styles';
import type { InstanceState } from '@internal/plugin-runner-common';

// One colour per kind of state rather than per state: grey for at rest,
// blue for on its way, green for up, orange for going down, red for failed.
// The label always says the state, so colour is never the only signal.
const useStyles = makeStyles((theme: Theme) => {
  const filled = (color: { main: string; contrastText: string }) => ({
    backgroundColor: color.main,
    color: color.contrastText,
  });
  return {
    chip: { fontWeight: theme.typography.fontWeightMedium as number },
    pending: filled({
      main: theme.palette.grey[500],
      contrastText: theme.palette.getContrastText(theme.palette.grey[500]),
    }),
    building: filled(theme.palette.info),
    starting: filled(theme.palette.info),
    running: filled(theme.palette.success),
    stopping: filled(theme.palette.warning),
    stopped: filled({
      main: theme.palette.grey[300],
      contrastText: theme.palette.getContrastText(theme.palette.grey[300]),
    }),
    failed: filled(theme.palette.error),
  };
});

/** An instance's lifecycle state as a small coloured chip. */
export function InstanceStateChip(props: {
  state: InstanceState;
  size?: 'small' | 'medium';
}) {
  const { state, size = 'small' } = props;
  const classes = useStyles();
  return (
    <Chip
      size={size}
      label={state}
      className={`${classes.chip} ${classes[state] ?? ''}`}
      data-state={state}
    />
  );
}
