import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import GetAppIcon from '@material-ui/icons/GetApp';
import { downloadText } from '../InstanceLogs/download';

const useStyles = makeStyles(theme => ({
  yaml: {
    maxHeight: 480,
    overflow: 'auto',
    margin: 0,
    padding: theme.spacing(1.5),
    fontFamily: 'monospace',
    fontSize: '0.8rem',
    whiteSpace: 'pre',
    backgroundColor: theme.palette.background.default,
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
  },
}));

export interface YamlPreviewProps {
  yaml: string;
  /** Name of the downloaded file, e.g. `openai.yaml`. */
  fileName: string;
  label: string;
}

/**
 * The YAML the server wrote, as text: Secrets show "set" / "not set",
 * never a value. Download saves exactly what is shown.
 */
export function YamlPreview(props: YamlPreviewProps) {
  const { yaml, fileName, label } = props;
  const classes = useStyles();
  return (
    <Box display="flex" flexDirection="column" gridGap={8}>
      <Box display="flex" alignItems="center" justifyContent="space-between">
        <Typography variant="caption" color="textSecondary">
          Secret values are never shown: their keys read "set" or "not set".
        </Typography>
        <Button
          size="small"
          variant="outlined"
          startIcon={<GetAppIcon />}
          onClick={() => downloadText(fileName, yaml)}
          aria-label={`Download YAML (${fileName})`}
        >
          Download YAML
        </Button>
      </Box>
      <pre className={classes.yaml} aria-label={label}>
        {yaml}
      </pre>
    </Box>
  );
}
