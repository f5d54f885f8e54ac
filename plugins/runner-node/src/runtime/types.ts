import type { Readable } from 'node:stream';
import type {
  CategorizedError,
  InstancePort,
} from '@internal/plugin-runner-common';

/*
 * The seam between the instance lifecycle (which owns states, timers and
 * rows) and the engines that run components (Docker, Kubernetes, …). The
 * lifecycle asks; a runtime does the work and reports what it sees. Nothing
 * here names an engine's client library, so the lifecycle never imports one.
 *
 * Every method rejects with a RuntimeError (./RuntimeError.ts): its failure
 * is already categorized, so the lifecycle stores it without guessing.
 */

/** Where a workload runs, for runtimes with more than one place (clusters and namespaces). @public */
export interface RuntimePlacement {
  /** `runner.kubernetes.clusters[].name`; the runtime's default when absent. */
  cluster?: string;
  /** Kubernetes namespace; the cluster's default when absent. */
  namespace?: string;
}

/**
 * A component's build input, after sources/ fetched it and hashed it.
 *
 * @public
 */
export interface RuntimeSource {
  /** e.g. `component:default/hello-http`. */
  entityRef: string;
  /** The entity's `metadata.name`; names images and workloads. */
  entityName: string;
  /** Content hash of the build context, Dockerfile, build args and target (sources/). */
  cacheKey: string;
  /** A fresh tar stream of the build context at every call; only read when a build is needed. */
  context(): Readable;
}

/** How to build, from the effective config. @public */
export interface RuntimeBuildConfig {
  /** Dockerfile path inside the context. */
  dockerfile: string;
  buildArgs: Record<string, string>;
  target?: string;
  /** The build (and a push) is abandoned after this long. */
  timeoutMs: number;
}

/** @public */
export interface PrepareOptions {
  build: RuntimeBuildConfig;
  placement?: RuntimePlacement;
  /** Every line of build and push output, in order. */
  onLog?(line: string): void;
  /** Cancels the build or push (the instance was stopped meanwhile). */
  signal?: AbortSignal;
}

/**
 * What `prepare` made: an image the runtime can launch, named by content.
 *
 * @public
 */
export interface RuntimeArtifact {
  /** The runtime that prepared it; only that runtime launches it. */
  runtime: string;
  /**
   * What `launch` runs: an engine-local image id (Docker) or a registry
   * reference pinned by digest (`127.0.0.1:5001/backstage-runner/hello-http@sha256:…`).
   */
  image: string;
  /** The cache key the artifact was prepared from. */
  cacheKey: string;
  /** The local image id (`sha256:…`), when an engine built it. */
  imageId?: string;
  /** True when nothing was built because an image with this cache key existed. */
  buildSkipped: boolean;
  /** True when nothing was sent to a registry because it had the image already; undefined without a registry. */
  pushSkipped?: boolean;
  /** The image's USER (`10001:10001`, `app`, or `` for root), for runtimes that enforce non-root. */
  user?: string;
}

/**
 * What to run, from the effective config and the instance row.
 *
 * @public
 */
export interface LaunchSpec {
  instanceId: string;
  entityRef: string;
  entityName: string;
  /** This backend's installation id: each installation adopts and reaps only its own workloads. */
  installationId: string;
  configHash: string;
  /** Plain environment variables. */
  env: Record<string, string>;
  /** Environment variables whose values must never appear in an object the runtime shows (a Secret in Kubernetes). */
  secretEnv: Record<string, string>;
  ports: Array<{
    containerPort: number;
    protocol: 'tcp' | 'udp';
    /** A fixed host port (Docker); runtimes without host ports ignore it. */
    hostPort?: number;
  }>;
  /** HTTP path that answers 2xx when the component is ready (a readiness probe where the runtime has them). */
  healthPath?: string;
  resources: {
    memoryBytes: number;
    /** CPUs × 1e9 (Docker's NanoCpus). */
    nanoCpus: number;
    pidsLimit: number;
    /** What to reserve, where the runtime schedules; default the limits. */
    requests?: { memoryBytes?: number; nanoCpus?: number };
  };
  readOnlyRootFilesystem: boolean;
  /** Seconds between the stop signal and a kill. */
  stopTimeoutSeconds: number;
  /** `service` runs until stopped (a Deployment); `job` runs to completion within `runTimeoutMs` (a Job). Default `service`. */
  mode?: 'service' | 'job';
  /** The runtime ends the run after this long; undefined = no limit. */
  runTimeoutMs?: number;
  /** Units to run; runtimes that cannot scale run one. Default 1. */
  replicas?: number;
  placement?: RuntimePlacement;
  /** Engine-specific options the effective config holds, e.g. Docker's `securityOptions`. */
  engineOptions?: Record<string, unknown>;
}

/**
 * A launched workload, as the instance row stores it (JSON). Only the
 * runtime that made it reads `id`.
 *
 * @public
 */
export interface RuntimeHandle {
  runtime: string;
  /** A container id, or `<cluster>/<namespace>/<kind>/<name>`. */
  id: string;
}

/** @public */
export interface LaunchResult {
  handle: RuntimeHandle;
  /** Where the component's ports answer: 127.0.0.1 and a host port (Docker), a Service's ClusterIP and port (Kubernetes). */
  endpoints: InstancePort[];
}

/**
 * What a workload is doing:
 * - `pending`: accepted, nothing started yet (scheduling, pulling).
 * - `starting`: started, not ready yet.
 * - `running`: every desired unit is ready.
 * - `degraded`: some units are ready, others fail.
 * - `stopping` / `stopped`: asked to stop (scaled to zero); stopping while units end.
 * - `exited`: ran to completion by itself (a finished job, an exited container); see `exit`.
 * - `failed`: it will not recover without someone changing something; see `failure`.
 * - `gone`: nothing of it exists any more.
 *
 * @public
 */
export type RuntimeState =
  | 'pending'
  | 'starting'
  | 'running'
  | 'degraded'
  | 'stopping'
  | 'stopped'
  | 'exited'
  | 'failed'
  | 'gone';

/** How a unit's process ended. @public */
export interface RuntimeExit {
  code: number | null;
  oomKilled: boolean;
  /** The engine's word: `Error`, `OOMKilled`, `Completed`, `DeadlineExceeded`, … */
  reason?: string;
  at?: string;
}

/** One unit of a workload: a pod, or the container. @public */
export interface RuntimeUnit {
  name: string;
  ready: boolean;
  restarts: number;
  phase: 'pending' | 'waiting' | 'running' | 'terminated';
  /** `ImagePullBackOff`, `CrashLoopBackOff`, `Unschedulable`, … */
  reason?: string;
  message?: string;
  /** The node it runs on (Kubernetes). */
  node?: string;
  /** The previous run of its container, when it restarted. */
  lastExit?: RuntimeExit;
  startedAt?: string;
}

/**
 * A report of what the runtime sees, emitted on every change that matters.
 *
 * @public
 */
export interface RuntimeObservation {
  handle: RuntimeHandle;
  state: RuntimeState;
  /** When the runtime made this observation (ISO 8601). */
  at: string;
  replicas: { desired: number; ready: number };
  /** Restarts of all units' containers together. */
  restarts: number;
  /** Set when the workload ended (`exited`), or a unit's last run ended badly. */
  exit?: RuntimeExit;
  /** Short machine-readable cause of the state: `CrashLoopBackOff`, `ScaledToZero`, `Complete`, … */
  reason?: string;
  message?: string;
  /** Set whenever the runtime recognizes a failure; `failed` always carries one. */
  failure?: CategorizedError;
  units: RuntimeUnit[];
  endpoints: InstancePort[];
}

/** @public */
export interface RuntimeSubscription {
  /** Stops the observations; no callback runs afterwards. */
  close(): void;
}

/** @public */
export interface ObserveOptions {
  /** A failure of the observation itself (a watch that cannot be restarted); the subscription keeps retrying. */
  onError?(error: Error): void;
}

/** @public */
export interface RuntimeLogOptions {
  follow: boolean;
  /** Lines from the end of each unit's log; `all` for everything. */
  tail: number | 'all';
  /** The previous run of each unit's container (after a restart or a crash). */
  previous?: boolean;
  /** Only this unit (a pod's name); default every unit. */
  unit?: string;
  /** Ends a followed stream. */
  signal?: AbortSignal;
}

/** @public */
export interface RuntimeLogLine {
  /** The unit that wrote it (a pod's name, or the container id). */
  unit: string;
  line: string;
  /** When the engine says it was written (ISO 8601). */
  time?: string;
}

/**
 * One unit's resource use at one moment. CPU is a counter: the rate is the
 * difference of two samples of the same unit over their time difference.
 *
 * @public
 */
export interface RuntimeStatsSample {
  unit: string;
  /** When the engine measured it (ISO 8601). */
  at: string;
  /** CPU time used since the unit started, in nanoseconds. */
  cpuUsageNanoSeconds: number;
  /** CPU in use at `at`, in cores, where the engine knows it without a second sample. */
  cpuCores?: number;
  memoryWorkingSetBytes: number;
  memoryLimitBytes?: number;
  networkRxBytes: number;
  networkTxBytes: number;
  pids?: number;
}

/** Which workloads to look for after a restart. @public */
export interface AdoptSelector {
  installationId: string;
  /** Only this instance's workload. */
  instanceId?: string;
  /** Where to look; default every place the runtime is configured for. */
  placements?: RuntimePlacement[];
}

/** A workload found by its labels, with what it is doing now. @public */
export interface AdoptedWorkload {
  handle: RuntimeHandle;
  instanceId: string;
  entityRef: string;
  configHash?: string;
  cacheKey?: string;
  observation: RuntimeObservation;
}

/**
 * An engine that builds and runs components for the instance lifecycle.
 * Optional methods are capabilities: a runtime without `scale` runs one
 * unit, one without `restart` is restarted by the lifecycle (stop, launch).
 *
 * @public
 */
export interface RunnerRuntime {
  /** Stable id named by config (`runner.runtime`) and stored in handles: `docker`, `kubernetes`. */
  readonly id: string;

  /** Builds (and where needed pushes) the image for `source`, unless one with its cache key exists. */
  prepare(
    source: RuntimeSource,
    options: PrepareOptions,
  ): Promise<RuntimeArtifact>;

  /** Creates and starts the workload; resolves once the engine accepted it, before it is ready. */
  launch(artifact: RuntimeArtifact, spec: LaunchSpec): Promise<LaunchResult>;

  /**
   * Reports the workload's state: right away (what it is now), then on
   * every change; `gone` when it disappears.
   */
  observe(
    handle: RuntimeHandle,
    onObservation: (observation: RuntimeObservation) => void,
    options?: ObserveOptions,
  ): RuntimeSubscription;

  /** Stops every unit but keeps the workload (and its logs where the engine keeps them); resolves once stopped. */
  stop(
    handle: RuntimeHandle,
    options?: { timeoutSeconds?: number },
  ): Promise<void>;

  /** Deletes everything the workload consists of; resolves once verified gone. A missing workload is not an error. */
  remove(handle: RuntimeHandle): Promise<void>;

  /** Sets the number of units; 0 is `stop` without waiting. */
  scale?(handle: RuntimeHandle, replicas: number): Promise<void>;

  /** Replaces every unit with a fresh one, rolling where the engine can. */
  restart?(handle: RuntimeHandle): Promise<void>;

  /** Log lines of the units, each tagged with its unit; a followed stream ends with `signal` or when the units end. */
  logs(
    handle: RuntimeHandle,
    options: RuntimeLogOptions,
  ): AsyncIterable<RuntimeLogLine>;

  /** One sample per running unit; empty when nothing runs. */
  stats(handle: RuntimeHandle): Promise<RuntimeStatsSample[]>;

  /** Every workload of the installation the runtime can find by its labels, for reconciliation after a restart. */
  adopt(selector: AdoptSelector): Promise<AdoptedWorkload[]>;
}
