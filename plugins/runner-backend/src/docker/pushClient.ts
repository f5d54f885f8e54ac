import Docker from 'dockerode';
import { dockerOptionsFor } from './DockerEngine';

/**
 * A dockerode client for pushes to a cluster's registry (runtimes/kubernetes):
 * no idle timeout, as a push of a large layer may be silent for long; the
 * pusher carries its own deadline.
 */
export function pushClientFor(endpoint: string): Docker {
  const options = dockerOptionsFor(endpoint, 0);
  delete options.timeout;
  return new Docker(options);
}
