import Chip from '@material-ui/core/Chip';
import { makeStyles, type Theme } from '@material-ui/core/styles';
import type { HealthStatus } from '@internal/plugin-runner-common';

// Green healthy, red unhealthy and failed, blue starting, grey stopped and unknown: the
// same colour families as the instance state chips. The label always names
// the status, so colour is never the only signal.
const useStyles = makeStyles((theme: Theme) => {
  const filled = (color: { main: string; contrastText: string }) => ({
    backgroundColor: color.main,
    color: color.contrastText,
  });
  const grey = (shade: 300 | 500) => ({
    main: theme.palette.grey[shade],
    contrastText: theme.palette.getContrastText(theme.palette.grey[shade]),
  });
  return {
    chip: { fontWeight: theme.typography.fontWeightMedium as number },
    healthy: filled(theme.palette.success),
    unhealthy: filled(theme.palette.error),
    starting: filled(theme.palette.info),
    stopped: filled(grey(300)),
    failed: filled(theme.palette.error),
    unknown: filled(grey(500)),
  };
});

/** A health status as a small coloured chip. */
export function HealthStatusChip(props: {
  status: HealthStatus;
  size?: 'small' | 'medium';
}) {
  const { status, size = 'small' } = props;
  const classes = useStyles();
  return (
    <Chip
      size={size}
      label={status}
      className={`${classes.chip} ${classes[status] ?? ''}`}
      data-status={status}
    />
  );
}
