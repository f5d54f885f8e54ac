import Chip from '@material-ui/core/Chip';
import { makeStyles, type Theme } from '@material-ui/core/styles';

// Alerts and errors share one severity scale. Red for critical, orange for
// high, blue for medium, grey for low; the label always names it.
const useStyles = makeStyles((theme: Theme) => {
  const filled = (color: { main: string; contrastText: string }) => ({
    backgroundColor: color.main,
    color: color.contrastText,
  });
  return {
    chip: { fontWeight: theme.typography.fontWeightMedium as number },
    critical: filled(theme.palette.error),
    high: filled(theme.palette.warning),
    medium: filled(theme.palette.info),
    low: filled({
      main: theme.palette.grey[300],
      contrastText: theme.palette.getContrastText(theme.palette.grey[300]),
    }),
  };
});

/** The severity of an alert or error as a small coloured chip. */
export function SeverityChip(props: { severity: string }) {
  const { severity } = props;
  const classes = useStyles();
  const colour = (classes as Record<string, string>)[severity] ?? '';
  return (
    <Chip
      size="small"
      label={severity}
      className={`${classes.chip} ${colour}`}
      data-severity={severity}
    />
  );
}
