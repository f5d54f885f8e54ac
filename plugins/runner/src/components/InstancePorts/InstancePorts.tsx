import Link from '@material-ui/core/Link';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { RunnerInstance } from '@internal/plugin-runner-common';

const useStyles = makeStyles({
  list: { margin: 0, padding: 0, listStyle: 'none' },
});

/**
 * Published ports. Only a running instance's TCP ports are links: the
 * backend publishes on 127.0.0.1, so the link works from the machine that
 * runs the backend (the usual local setup).
 */
export function InstancePorts(props: { instance: RunnerInstance }) {
  const { instance } = props;
  const classes = useStyles();
  if (instance.ports.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        None
      </Typography>
    );
  }
  const live = instance.state === 'running';
  return (
    <ul className={classes.list}>
      {instance.ports.map(port => {
        const url = `http://127.0.0.1:${port.hostPort}`;
        const key = `${port.hostPort}/${port.protocol}`;
        return (
          <li key={key}>
            {live && port.protocol === 'tcp' ? (
              <Link href={url} target="_blank" rel="noopener noreferrer">
                {url}
              </Link>
            ) : (
              <Typography variant="body2" component="span">
                127.0.0.1:{port.hostPort}/{port.protocol}
              </Typography>
            )}
            <Typography variant="caption" color="textSecondary" component="div">
              → container {port.containerPort}/{port.protocol}
            </Typography>
          </li>
        );
      })}
    </ul>
  );
}
