import type { Readable } from 'node:stream';
import type { EngineOutage } from './engineOutages';

export type { EngineOutage } from './engineOutages';

/*
 * The contract between the runner's domain (instances/) and the Docker wire
 * (docker/). Only docker/ imports dockerode; everything else sees these types.
 */

/** Labels on every image and container the runner owns. */
export const RUNNER_LABELS = {
  /** Always `true`: the runner owns this object. Used as the events and list filter. */
  managed: 'runner.backstage.io/managed',
  /** Exact entity ref, e.g. `component:default/hello-http`. */
  entityRef: 'runner.backstage.io/entity-ref',
  /** Instance id (containers only). */
  instanceId: 'runner.backstage.io/instance-id',
  /** Hash of the effective config the container was created with (containers only). */
  configHash: 'runner.backstage.io/config-hash',
  /** Content-addressed build cache key (images and containers). */
  cacheKey: 'runner.backstage.io/cache-key',
  /**
   * The runner installation (its database) that created a container or
   * built an image. Several backends with separate databases may share one
   * engine: each reaps only its own orphans and prunes only its own images.
   */
  installation: 'runner.backstage.io/installation',
} as const;

export interface BuildRequest {
  /** A tar stream of the build context; consumed exactly once, never buffered whole. */
  context: Readable;
  /** Dockerfile path inside the context. */
  dockerfile: string;
  buildArgs: Record<string, string>;
  target?: string;
  /** Tag to give the image, e.g. `backstage-runner/hello-http:3f2a…`. */
  tag: string;
  labels: Record<string, string>;
  /** The build is aborted after this long. */
  timeoutMs: number;
  /** Called for every line of build output, in order. */
  onLog(line: string): void;
  /**
   * Cancels the build (e.g. the user stopped the instance while it was
   * building): the request is aborted, the engine stops the build, and
   * `build()` rejects with BuildCancelledError.
   */
  signal?: AbortSignal;
}

export interface BuildResult {
  /** Full image id, `sha256:…`. */
  imageId: string;
}

/**
 * A build that the engine ran and that failed (the engine answers HTTP 200
 * and reports the failure in the progress stream).
 */
export class BuildFailedError extends Error {
  constructor(
    message: string,
    /** The `Step n/m : …` line the failure happened in, when known. */
    readonly step: string | undefined,
    /** Last lines of build output, for the user. */
    readonly logTail: string[],
  ) {
    super(message);
    this.name = 'BuildFailedError';
  }
}

/** A build or run that exceeded its configured time. */
export class RunnerTimeoutError extends Error {
  constructor(
    readonly operation: 'build' | 'run' | 'stop',
    readonly timeoutMs: number,
  ) {
    super(`${operation} exceeded its timeout of ${timeoutMs} ms`);
    this.name = 'RunnerTimeoutError';
  }
}

/** A build stopped through `BuildRequest.signal`. */
export class BuildCancelledError extends Error {
  constructor() {
    super('The build was cancelled');
    this.name = 'BuildCancelledError';
  }
}

/**
 * The engine created the container but could not start it (unknown USER,
 * invalid security option, …). `run()` has removed the container already.
 * `cause` is the engine's error.
 */
export class ContainerStartError extends Error {
  constructor(
    /** The engine's reason, e.g. "unable to find user app: no matching entries in passwd file". */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`The container could not start: ${reason}`, options);
    this.name = 'ContainerStartError';
  }
}

/** The image to run does not exist on the engine (e.g. removed after a cache hit). */
export class ImageNotFoundError extends Error {
  constructor(readonly image: string) {
    super(`Image '${image}' does not exist on the Docker engine`);
    this.name = 'ImageNotFoundError';
  }
}

/** A host port that is already taken on 127.0.0.1. */
export class PortInUseError extends Error {
  constructor(readonly hostPort: number) {
    super(`Port 127.0.0.1:${hostPort} is already in use`);
    this.name = 'PortInUseError';
  }
}

export interface PortMapping {
  containerPort: number;
  protocol: 'tcp' | 'udp';
  /** Fixed host port; when absent a free ephemeral port on 127.0.0.1 is chosen. */
  hostPort?: number;
  /**
   * Without a fixed port: the port to take when it is free (the one the same
   * instance published before), so a restart keeps its address.
   */
  preferredHostPort?: number;
}

export interface PublishedPort {
  containerPort: number;
  protocol: 'tcp' | 'udp';
  hostIp: '127.0.0.1';
  hostPort: number;
}

export interface ResourceLimits {
  memoryBytes: number;
  /** CPUs as a fraction of one core × 1e9 (Docker's NanoCpus). */
  nanoCpus: number;
  pidsLimit: number;
}

/** Size-based rotation by the engine's log driver (`docker logs` reads both drivers, rotated files included). */
export interface ContainerLogRotation {
  driver: 'json-file' | 'local';
  maxSizeBytes: number;
  /** Files kept, the one being written included. */
  maxFiles: number;
}

export interface RunRequest {
  image: string;
  /** Container name; unique per instance. */
  name: string;
  labels: Record<string, string>;
  env: Record<string, string>;
  ports: PortMapping[];
  limits: ResourceLimits;
  readOnlyRootfs: boolean;
  /** Extra `--security-opt` values, e.g. `seccomp=…`; `no-new-privileges` is always set. */
  securityOptions: string[];
  /** Always set: a container without rotation can fill the engine's disk. */
  logRotation: ContainerLogRotation;
}

export interface ContainerState {
  id: string;
  name: string;
  labels: Record<string, string>;
  status:
    | 'created'
    | 'running'
    | 'paused'
    | 'restarting'
    | 'removing'
    | 'exited'
    | 'dead';
  exitCode: number | null;
  oomKilled: boolean;
  startedAt?: string;
  finishedAt?: string;
  /** Docker's HEALTHCHECK status when the image defines one. */
  health?: 'starting' | 'healthy' | 'unhealthy';
  ports: PublishedPort[];
  /** The engine's error for a container that could not start (State.Error). */
  error?: string;
}

/**
 * What `removeImage` did; "in use" and "not found" are outcomes, not crashes.
 * `in-use` is any HTTP 409: used by a container, or tagged more than once
 * (removing by id); `message` is the engine's.
 */
export type RemoveImageResult =
  | { removed: true }
  | { removed: false; reason: 'not-found' | 'in-use'; message: string };

/** A container event the runner cares about (filtered by the managed label). */
export interface ContainerEvent {
  containerId: string;
  action: string; // start, die, oom, kill, stop, destroy, health_status: healthy, …
  /** The container's labels (Docker mixes them into Actor.Attributes; name, image, exitCode, signal are taken out). */
  labels: Record<string, string>;
  exitCode?: number;
  /** Container name, without the leading slash. */
  name?: string;
  image?: string;
  time: number; // epoch ms
}

export interface WatchEventsOptions {
  /** Why the stream dropped, and errors thrown by the callbacks (which never stop the watch). */
  onError?(error: Error): void;
  /** First reconnect delay; doubles per failed attempt up to `maxDelayMs`, jittered. Default 500 ms. */
  initialDelayMs?: number;
  /** Default 30 s. */
  maxDelayMs?: number;
  /** A stream that stayed up this long resets the backoff. Default 60 s. */
  healthyAfterMs?: number;
  /** The stream opened (true), or dropped or could not be opened (false); not called after close(). */
  onConnectionChange?(connected: boolean): void;
}

export interface EventSubscription {
  /** Stops the stream and every timer; no callback runs afterwards. */
  close(): void;
}

export interface LogOptions {
  follow: boolean;
  /** Number of lines from the end; `all` for everything. */
  tail: number | 'all';
  timestamps?: boolean;
}

/**
 * One raw sample of `GET /containers/{id}/stats?stream=false&one-shot=true`,
 * as the engine sends it. With one-shot the engine does not wait for a second
 * sample, so `precpu_stats` is zero: CPU usage needs the delta of two calls.
 */
export interface RawContainerStats {
  read: string;
  cpu_stats: {
    cpu_usage: { total_usage: number; percpu_usage?: number[] };
    system_cpu_usage?: number;
    online_cpus?: number;
    throttling_data?: {
      periods: number;
      throttled_periods: number;
      throttled_time: number;
    };
  };
  precpu_stats: RawContainerStats['cpu_stats'];
  memory_stats: {
    usage?: number;
    limit?: number;
    max_usage?: number;
    stats?: Record<string, number>;
  };
  pids_stats?: { current?: number; limit?: number };
  networks?: Record<string, { rx_bytes: number; tx_bytes: number }>;
  [key: string]: unknown;
}

/** The parts of `docker info` that decide what the runner can enforce. */
export interface DockerInfoSummary {
  serverVersion: string;
  operatingSystem: string;
  kernelVersion: string;
  cgroupVersion?: string;
  cgroupDriver?: string;
  cpus: number;
  memoryBytes: number;
  memoryLimit: boolean;
  swapLimit: boolean;
  cpuCfsQuota: boolean;
  cpuCfsPeriod: boolean;
  pidsLimit: boolean;
  oomKillDisable: boolean;
  initBinary?: string;
  securityOptions: string[];
  rootless: boolean;
}

export interface DockerCapabilities {
  /** One sentence each: what is not enforced, and what follows for users. */
  warnings: string[];
  info: DockerInfoSummary;
}

/**
 * Everything instances/ (and later monitoring/) need from the engine.
 * DockerEngine implements it; tests of the domain can fake it.
 */
export interface DockerRuntime {
  build(req: BuildRequest): Promise<BuildResult>;
  /** Id of the newest image labelled with this cache key, or undefined. */
  findImage(cacheKey: string): Promise<string | undefined>;
  removeImage(ref: string): Promise<RemoveImageResult>;
  run(req: RunRequest): Promise<ContainerState>;
  /** undefined when the container does not exist. */
  inspect(id: string): Promise<ContainerState | undefined>;
  /** Resolves once stopped (or already stopped / gone). */
  stop(id: string, timeoutSeconds: number): Promise<void>;
  /** Force-removes with its anonymous volumes; a missing container is not an error. */
  remove(id: string): Promise<void>;
  /** Every container labelled `runner.backstage.io/managed=true`, in any state. */
  listManaged(): Promise<ContainerState[]>;
  logs(id: string, options: LogOptions): Readable;
  /** undefined when the container does not exist. */
  statsOnce(id: string): Promise<RawContainerStats | undefined>;
  watchEvents(
    onEvent: (event: ContainerEvent) => void,
    onResync: () => void,
    options?: WatchEventsOptions,
  ): EventSubscription;
  capabilities(): Promise<DockerCapabilities>;
  /**
   * The time the engine was out of reach that explains a container stopping
   * at `finishedAt` (or, gone without a finish time, since `runningSince`);
   * undefined when the engine was there all along.
   */
  engineOutage(
    finishedAt: Date | undefined,
    runningSince: Date,
  ): Promise<EngineOutage | undefined>;
}

/** An image the runner built (labelled with an entity ref), as retention sees it. */
export interface RunnerImage {
  /** `sha256:…` */
  id: string;
  entityRef: string;
  cacheKey?: string;
  tags: string[];
  /** When the engine created it, ms since the epoch (nanosecond times cut to ms). */
  createdMs: number;
  /** The image's size with its base layers, as `docker images` shows it. */
  sizeBytes: number;
}

/** What the scheduled prune needs from the engine (DockerEngine implements it). */
export interface ImageHousekeeping {
  /** The images this installation built (its label), newest first. */
  listRunnerImages(installationId: string): Promise<RunnerImage[]>;
  /** Removes every tag of the image, then the image; "in use" and "not found" are outcomes. */
  removeRunnerImage(image: RunnerImage): Promise<RemoveImageResult>;
  /**
   * `docker builder prune` (the engine's dangling build cache) and this
   * installation's untagged images; bytes the engine says it reclaimed.
   */
  pruneBuildCache(installationId: string): Promise<{
    buildCacheBytes: number;
    danglingImageBytes: number;
  }>;
  /** Bytes all image layers take on the engine's disk (`docker system df`). */
  imageLayersBytes(): Promise<number>;
}
