import type { RunnerInstance } from '@internal/plugin-runner-common';
import type { ContainerState, EngineOutage } from '../docker/types';
import type { DockerRuntime } from './ports';

/**
 * Why a running container stopped when nobody asked, as an error for the
 * classifier: the Docker engine went away and took it along
 * (`EngineLostError`), it vanished (`ContainerLostError`), or its process
 * ended by itself, even with code 0 (`ContainerExitError`, OOM kills
 * included). `state` is the container's inspect, undefined when it is gone.
 */
export async function unrequestedExit(
  docker: Pick<DockerRuntime, 'engineOutage' | 'logs'>,
  instance: RunnerInstance,
  state: ContainerState | undefined,
): Promise<Error> {
  const exitCode = state?.exitCode ?? null;
  const oomKilled = state?.oomKilled ?? false;
  const exited = state?.status === 'exited';
  const finished = state?.finishedAt ? new Date(state.finishedAt) : undefined;
  const finishedAt =
    finished && Number.isFinite(finished.getTime()) ? finished : undefined;
  // An OOM kill is the container's own doing, whatever the engine did next.
  const outage = oomKilled
    ? undefined
    : await docker.engineOutage(
        finishedAt,
        new Date(instance.startedAt ?? instance.createdAt),
      );
  if (outage) {
    return Object.assign(
      new Error(engineLostMessage(outage, finishedAt, exitCode)),
      { name: 'EngineLostError', exitCode },
    );
  }
  return Object.assign(new Error(exitMessage(exited, oomKilled, exitCode)), {
    exitCode,
    oomKilled,
    name: exited ? 'ContainerExitError' : 'ContainerLostError',
    // What the process said last is usually why it ended: the message leads with it.
    logTail: exited && state ? await lastOutput(docker, state.id) : [],
  });
}

/** Lines of a container's output quoted in the failure of its exit. */
const EXIT_LOG_LINES = 20;

async function lastOutput(
  docker: Pick<DockerRuntime, 'logs'>,
  containerId: string,
): Promise<string[]> {
  const lines: string[] = [];
  try {
    for await (const chunk of docker.logs(containerId, {
      follow: false,
      tail: EXIT_LOG_LINES,
    })) {
      lines.push(String(chunk).replace(/\n$/, ''));
    }
  } catch {
    // Gone already: the exit code alone must do.
  }
  return lines;
}

function engineLostMessage(
  outage: EngineOutage,
  finishedAt: Date | undefined,
  exitCode: number | null,
): string {
  const away = outage.to
    ? `from ${outage.from.toISOString()} to ${outage.to.toISOString()}`
    : `since ${outage.from.toISOString()}`;
  const container = finishedAt
    ? `the container stopped at ${finishedAt.toISOString()} with exit code ${exitCode}`
    : 'the container is gone';
  return `the Docker engine was out of reach ${away} (stopped, restarted or killed); ${container}, which nobody asked for`;
}

function exitMessage(
  exited: boolean,
  oomKilled: boolean,
  exitCode: number | null,
): string {
  if (!exited) {
    return 'container disappeared (removed outside the runner, or the Docker engine lost it)';
  }
  if (oomKilled) {
    return `container was OOMKilled (exit code ${exitCode}): it used more memory than its limit`;
  }
  return `container exited with code ${exitCode}`;
}
