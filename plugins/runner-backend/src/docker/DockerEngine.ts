import Docker from 'dockerode';
import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import type { DockerHealth } from '@internal/plugin-runner-common';
import type { DockerConnectionConfig } from '../config/RunnerConfig';
import type {
  BuildRequest,
  BuildResult,
  ContainerEvent,
  ContainerState,
  DockerCapabilities,
  DockerRuntime,
  EventSubscription,
  ImageHousekeeping,
  LogOptions,
  RawContainerStats,
  RemoveImageResult,
  RunRequest,
  WatchEventsOptions,
} from './types';
import { ImageBuilder } from './ImageBuilder';
import { ImageStore } from './ImageStore';
import { EngineImageHousekeeping } from './ImageHousekeeping';
import { ContainerRunner } from './ContainerRunner';
import { ContainerOps } from './ContainerOps';
import { ContainerLogs } from './ContainerLogs';
import { EventWatcher } from './EventWatcher';
import { capabilityWarnings, type RawDockerInfo } from './capabilities';
import { isLocalEndpoint } from './ports';
import { engineError } from './dockerErrors';
import {
  ENGINE_SHUTDOWN_LAG_MS,
  EngineOutages,
  type EngineOutage,
} from './engineOutages';

const DEFAULT_SOCKET = '/var/run/docker.sock';

/**
 * Socket idle timeout for calls the engine answers at once (inspect, list,
 * create, start, remove, info). Longer than the health check's connection
 * timeout: on a busy host these can take seconds, and a false timeout would
 * leave a half-created container behind.
 */
const API_IDLE_TIMEOUT_MS = 60_000;

/** dockerode options for an endpoint string such as `unix:///run/docker.sock`. */
export function dockerOptionsFor(
  endpoint: string,
  timeoutMs: number,
): Docker.DockerOptions {
  const url = new URL(endpoint);
  switch (url.protocol) {
    case 'unix:':
      return { socketPath: url.pathname, timeout: timeoutMs };
    case 'npipe:':
      return {
        socketPath: endpoint.slice('npipe://'.length),
        timeout: timeoutMs,
      };
    case 'tcp:':
    case 'http:':
      return {
        host: url.hostname,
        port: Number(url.port || 2375),
        protocol: 'http',
        timeout: timeoutMs,
      };
    case 'https:':
      return {
        host: url.hostname,
        port: Number(url.port || 2376),
        protocol: 'https',
        timeout: timeoutMs,
      };
    case 'ssh:':
      return {
        host: url.hostname,
        port: Number(url.port || 22),
        username: url.username || undefined,
        protocol: 'ssh',
        timeout: timeoutMs,
      };
    default:
      throw new Error(`Unsupported Docker endpoint '${endpoint}'`);
  }
}

/** Words a user can act on for the ways a Docker connection fails. */
export function describeDockerConnectionError(
  error: unknown,
  endpoint: string,
  timeoutMs: number,
): string {
  const err = error as NodeJS.ErrnoException & { statusCode?: number };
  switch (err?.code) {
    case 'ENOENT':
      return `no Docker socket at ${endpoint}; start the Docker engine or set runner.docker.host / DOCKER_HOST`;
    case 'ECONNREFUSED':
      return `connection refused at ${endpoint}; the Docker engine is not running there`;
    case 'EACCES':
      return `permission denied on ${endpoint}; the backend's user may not use this Docker socket`;
    case 'ETIMEDOUT':
    case 'ESOCKETTIMEDOUT':
      return `the Docker engine at ${endpoint} did not answer within ${timeoutMs} ms`;
    default:
      break;
  }
  if (/timeout/i.test(err?.message ?? '')) {
    return `the Docker engine at ${endpoint} did not answer within ${timeoutMs} ms`;
  }
  if (err?.statusCode) {
    return `the Docker engine at ${endpoint} answered HTTP ${err.statusCode}: ${err.message}`;
  }
  return `cannot reach the Docker engine at ${endpoint}: ${
    err?.message ?? String(error)
  }`;
}

/**
 * The single way the plugin talks to a Docker engine. Nothing outside
 * `docker/` imports dockerode.
 *
 * Three clients to the same endpoint, differing only in their socket idle
 * timeout (docker-modem's `timeout`, which destroys a request that has been
 * silent that long): health checks must fail fast; ordinary calls get a hang
 * guard; builds, event streams, followed logs and stops stay silent for as
 * long as the work takes and carry their own deadlines instead.
 */
export class DockerEngine implements DockerRuntime {
  readonly endpoint: string;
  private readonly docker: Docker;
  private readonly timeoutMs: number;
  private readonly api: Docker;
  private readonly patient: Docker;
  private readonly builder: ImageBuilder;
  private readonly images: ImageStore;
  private readonly runner: ContainerRunner;
  private readonly containers: ContainerOps;
  private readonly containerLogs: ContainerLogs;
  /** A client that opens a new connection per request: see engineOutage(). */
  private readonly fresh: Docker;
  private readonly outages = new EngineOutages();
  /** Listing, removing and pruning the runner's images (retention/). */
  readonly housekeeping: ImageHousekeeping;

  constructor(
    config: DockerConnectionConfig,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.endpoint =
      config.host ?? env.DOCKER_HOST ?? `unix://${DEFAULT_SOCKET}`;
    this.timeoutMs = config.connectionTimeoutMs;
    this.docker = new Docker(dockerOptionsFor(this.endpoint, this.timeoutMs));
    this.api = new Docker(
      dockerOptionsFor(
        this.endpoint,
        Math.max(this.timeoutMs, API_IDLE_TIMEOUT_MS),
      ),
    );
    const patientOptions = dockerOptionsFor(this.endpoint, 0);
    delete patientOptions.timeout;
    this.patient = new Docker(patientOptions);
    // docker-modem honours `agent`; @types/dockerode does not list it.
    const freshOptions: Docker.DockerOptions & { agent?: http.Agent } =
      dockerOptionsFor(this.endpoint, this.timeoutMs);
    freshOptions.agent = new (
      freshOptions.protocol === 'https' ? https : http
    ).Agent({ keepAlive: false });
    this.fresh = new Docker(freshOptions);

    this.builder = new ImageBuilder(this.patient);
    this.images = new ImageStore(this.api);
    // Pruning walks the layers of every image: no idle timeout of its own.
    this.housekeeping = new EngineImageHousekeeping(this.patient, this.images);
    this.runner = new ContainerRunner(this.api, isLocalEndpoint(this.endpoint));
    this.containers = new ContainerOps(this.api, this.patient);
    this.containerLogs = new ContainerLogs(this.api, this.patient);
  }

  /**
   * Builds an image from `req.context` (a tar stream, consumed once).
   * Rejects with BuildFailedError (the Dockerfile failed; carries the step and
   * the last lines), RunnerTimeoutError('build') after `req.timeoutMs`, or
   * BuildCancelledError when `req.signal` aborts. The image carries
   * `req.labels` except `runner.backstage.io/managed` (containers inherit
   * image labels; only containers the runner creates may carry it).
   */
  build(req: BuildRequest): Promise<BuildResult> {
    return this.builder.build(req);
  }

  /** Id of the newest image labelled `runner.backstage.io/cache-key=<cacheKey>`, or undefined. */
  findImage(cacheKey: string): Promise<string | undefined> {
    return this.images.findImage(cacheKey);
  }

  /** Removes an image; "not found" and "in use" are returned, not thrown. */
  removeImage(ref: string): Promise<RemoveImageResult> {
    return this.images.removeImage(ref);
  }

  /**
   * Creates and starts a hardened container (hardening.ts) and returns its
   * inspected state (published ports included). Throws, leaving no container
   * behind: InputError (invalid request, or limits the engine refuses),
   * PortInUseError, ImageNotFoundError, ConflictError (name taken),
   * ContainerStartError (created but would not start).
   */
  run(req: RunRequest): Promise<ContainerState> {
    return this.runner.run(req);
  }

  inspect(id: string): Promise<ContainerState | undefined> {
    return this.containers.inspect(id);
  }

  stop(id: string, timeoutSeconds: number): Promise<void> {
    return this.containers.stop(id, timeoutSeconds);
  }

  remove(id: string): Promise<void> {
    return this.containers.remove(id);
  }

  listManaged(): Promise<ContainerState[]> {
    return this.containers.listManaged();
  }

  /** Object-mode stream of lines (each ending in "\n"); see ContainerLogs. */
  logs(id: string, options: LogOptions): Readable {
    return this.containerLogs.logs(id, options);
  }

  statsOnce(id: string): Promise<RawContainerStats | undefined> {
    return this.containers.statsOnce(id);
  }

  /**
   * Streams events of managed containers until `close()`. `onResync` runs
   * after every successful connection, the first included: re-list then.
   */
  watchEvents(
    onEvent: (event: ContainerEvent) => void,
    onResync: () => void,
    options: WatchEventsOptions = {},
  ): EventSubscription {
    return new EventWatcher(this.patient, onEvent, onResync, {
      ...options,
      // The stream is how the backend notices the engine come and go.
      onConnectionChange: connected => {
        if (connected) this.outages.regained();
        else this.outages.lost();
        options.onConnectionChange?.(connected);
      },
    }).start();
  }

  /**
   * The outage of the engine that explains a container stopping at
   * `finishedAt` (gone without a trace: since `runningSince`), or undefined
   * when the engine was there all along. With no outage recorded yet, a
   * container that just died may be the first sign of an engine shutting
   * down: it refuses new connections before its event stream ends, so a
   * fresh connection (not a kept-alive one) tells.
   */
  async engineOutage(
    finishedAt: Date | undefined,
    runningSince: Date,
  ): Promise<EngineOutage | undefined> {
    const recorded = this.outages.around(finishedAt, runningSince);
    if (recorded || !finishedAt) return recorded;
    if (Date.now() > finishedAt.getTime() + ENGINE_SHUTDOWN_LAG_MS) {
      return undefined; // what the engine says now tells nothing about then
    }
    try {
      await this.fresh.ping();
      return undefined;
    } catch {
      this.outages.lost();
      return this.outages.around(finishedAt, runningSince);
    }
  }

  /** `docker info`, and a warning for every limit the engine cannot enforce. */
  async capabilities(): Promise<DockerCapabilities> {
    let info: RawDockerInfo;
    try {
      info = (await this.api.info()) as RawDockerInfo;
    } catch (error) {
      throw engineError('reading docker info', error);
    }
    return capabilityWarnings(info);
  }

  /** Whether the engine answers, its version, or why it does not answer. */
  async health(): Promise<DockerHealth> {
    try {
      const version = await this.docker.version();
      return {
        reachable: true,
        version: version.Version,
        endpoint: this.endpoint,
      };
    } catch (error) {
      return {
        reachable: false,
        endpoint: this.endpoint,
        reason: describeDockerConnectionError(
          error,
          this.endpoint,
          this.timeoutMs,
        ),
      };
    }
  }
}
