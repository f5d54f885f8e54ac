import type { Readable } from 'node:stream';

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
}

export interface BuildResult {
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
  /** The engine's error for a container that could not start. */
  error?: string;
}

/** A container event the runner cares about (filtered by the managed label). */
export interface ContainerEvent {
  containerId: string;
  action: string; // start, die, oom, kill, stop, destroy, health_status: healthy, …
  labels: Record<string, string>;
  exitCode?: number;
  time: number; // epoch ms
}

export interface LogOptions {
  follow: boolean;
  /** Number of lines from the end; `all` for everything. */
  tail: number | 'all';
  timestamps?: boolean;
}
