import type Docker from 'dockerode';
import { ConflictError, InputError } from '@backstage/errors';
import {
  ContainerStartError,
  ImageNotFoundError,
  PortInUseError,
  type ContainerState,
  type RunRequest,
} from './types';
import { hardenedCreateOptions, validateRunRequest } from './hardening';
import {
  portConflictIn,
  resolvePorts,
  withoutPreferredPorts,
  type ResolvedPort,
} from './ports';
import { toContainerState } from './containerState';
import { engineError, engineMessage, statusCodeOf } from './dockerErrors';

/*
 * Create + start of one hardened container (spec in hardening.ts).
 *
 * Ports: fixed host ports are checked before anything is created. Between
 * that check and the engine binding the port another process may still take
 * it; the engine then fails the start with a bind error, which becomes
 * PortInUseError (fixed port) or a retry with fresh ports (a port the runner
 * picked itself), and the created container is removed either way.
 *
 * Any other start failure removes the container too and throws
 * ContainerStartError: run() returns a started container or leaves nothing.
 * (With Init, a missing command is not a start failure: the init starts and
 * exits 127, which the caller sees as an exited container.)
 */

/** Attempts when a runner-chosen ephemeral port is taken between pick and start. */
const EPHEMERAL_ATTEMPTS = 3;

export class ContainerRunner {
  constructor(
    private readonly docker: Docker,
    /** Whether ports can be checked by binding 127.0.0.1 here (engine on this machine). */
    private readonly probePortsLocally: boolean,
  ) {}

  async run(req: RunRequest): Promise<ContainerState> {
    validateRunRequest(req);
    const volumes = await this.imageVolumes(req.image);
    for (let attempt = 1; ; attempt++) {
      // A retry after a conflict forgets preferred ports: one was just taken.
      const ports = await resolvePorts(
        attempt === 1 ? req.ports : withoutPreferredPorts(req.ports),
        this.probePortsLocally,
      );
      const container = await this.create(
        hardenedCreateOptions(req, ports, volumes),
      );
      try {
        await container.start();
      } catch (error) {
        const message = engineMessage(error);
        const port = portConflictIn(message);
        // Either way the container is useless: run() leaves nothing behind
        // when it throws, so the caller has no half-made container to track.
        await this.removeQuietly(container);
        if (port === undefined) {
          throw new ContainerStartError(message, { cause: error });
        }
        if (isEphemeral(ports, port) && attempt < EPHEMERAL_ATTEMPTS) continue;
        throw new PortInUseError(port);
      }
      return toContainerState(await container.inspect());
    }
  }

  /** VOLUME paths of the image; 404 becomes ImageNotFoundError before anything is created. */
  private async imageVolumes(image: string): Promise<string[]> {
    try {
      const info = await this.docker.getImage(image).inspect();
      return Object.keys(info.Config?.Volumes ?? {});
    } catch (error) {
      if (statusCodeOf(error) === 404) throw new ImageNotFoundError(image);
      throw engineError(`inspecting image ${image}`, error);
    }
  }

  private async create(
    options: Docker.ContainerCreateOptions,
  ): Promise<Docker.Container> {
    try {
      return await this.docker.createContainer(options);
    } catch (error) {
      const message = engineMessage(error);
      switch (statusCodeOf(error)) {
        case 404:
          throw new ImageNotFoundError(options.Image ?? '');
        case 409:
          throw new ConflictError(
            `A container named '${options.name}' already exists: ${message}`,
          );
        case 400:
          // e.g. "Range of CPUs is from 0.01 to 2.00": the limits do not fit this engine.
          throw new InputError(
            `The Docker engine refused the container: ${message}`,
          );
        default:
          throw engineError('creating the container', error);
      }
    }
  }

  private async removeQuietly(container: Docker.Container) {
    try {
      await container.remove({ force: true, v: true });
    } catch (error) {
      if (statusCodeOf(error) !== 404) throw error;
    }
  }
}

function isEphemeral(ports: ResolvedPort[], hostPort: number): boolean {
  return ports.some(p => p.ephemeral && p.hostPort === hostPort);
}
