import type Docker from 'dockerode';
import type { ContainerState, PublishedPort } from './types';
import { LOOPBACK } from './ports';

/*
 * `docker inspect` → ContainerState. Only inspect carries the exit code, the
 * OOM flag and the timestamps, so every state the domain sees comes from here.
 */

/** Docker's "never": a container that has not started or finished has this timestamp. */
const ZERO_TIME = '0001-01-01T00:00:00Z';

const STATUSES: ReadonlySet<ContainerState['status']> = new Set([
  'created',
  'running',
  'paused',
  'restarting',
  'removing',
  'exited',
  'dead',
]);
const HEALTH: ReadonlySet<string> = new Set([
  'starting',
  'healthy',
  'unhealthy',
]);

type PortMap = Record<
  string,
  { HostIp?: string; HostPort?: string }[] | null | undefined
>;

function time(value: string | undefined): string | undefined {
  return value && !value.startsWith(ZERO_TIME.slice(0, 10)) ? value : undefined;
}

function publishedPorts(ports: PortMap | null | undefined): PublishedPort[] {
  const result: PublishedPort[] = [];
  for (const [key, bindings] of Object.entries(ports ?? {})) {
    const [port, protocol] = key.split('/');
    for (const binding of bindings ?? []) {
      const hostPort = Number(binding.HostPort);
      // Only loopback bindings are ours to report; the runner creates no others.
      if (binding.HostIp !== LOOPBACK || !hostPort) continue;
      result.push({
        containerPort: Number(port),
        protocol: protocol === 'udp' ? 'udp' : 'tcp',
        hostIp: LOOPBACK,
        hostPort,
      });
    }
  }
  return result.sort((a, b) => a.containerPort - b.containerPort);
}

export function toContainerState(
  info: Docker.ContainerInspectInfo,
): ContainerState {
  const state = info.State;
  const status = STATUSES.has(state.Status as ContainerState['status'])
    ? (state.Status as ContainerState['status'])
    : 'dead';
  const finished = status === 'exited' || status === 'dead';
  const health = (state as { Health?: { Status?: string } }).Health?.Status;
  // A running container reports its live bindings; a stopped one has none,
  // so fall back to what it was created with (always concrete ports for us).
  const live = publishedPorts(info.NetworkSettings?.Ports as PortMap);
  const ports =
    live.length > 0 || status === 'running'
      ? live
      : publishedPorts(info.HostConfig?.PortBindings as PortMap);
  return {
    id: info.Id,
    name: info.Name.replace(/^\//, ''),
    labels: info.Config?.Labels ?? {},
    status,
    exitCode: finished ? state.ExitCode : null,
    oomKilled: Boolean(state.OOMKilled),
    startedAt: time(state.StartedAt),
    finishedAt: time(state.FinishedAt),
    health:
      health && HEALTH.has(health)
        ? (health as ContainerState['health'])
        : undefined,
    ports,
    error: state.Error || undefined,
  };
}
