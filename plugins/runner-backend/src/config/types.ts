/*
 * The effective configuration of one component: `runner.docker` defaults,
 * overridden by the entity's `runner.backstage.io/*` annotations, overridden
 * by `runner.components.<name or entity ref>.docker` (app-config wins).
 */

export type ImageCleanupPolicy = 'always' | 'on-error' | 'never';

/** How the engine's log driver rotates a container's output. */
export interface LogRotation {
  driver: 'json-file' | 'local';
  /** A log file is rotated when it reaches this size. */
  maxSizeBytes: number;
  /** Files kept per container, the one being written included. */
  maxFiles: number;
}

export interface EffectiveDockerConfig {
  connectionTimeoutMs: number;
  buildTimeoutMs: number;
  /** The backend stops the container after this long; undefined = no limit. */
  runTimeoutMs?: number;
  resourceLimits: {
    memoryBytes: number;
    /** As Docker's NanoCpus (cpus × 1e9). */
    nanoCpus: number;
    pidsLimit: number;
  };
  securityOptions: string[];
  readOnlyRootfs: boolean;
  imageCleanupPolicy: ImageCleanupPolicy;
  maxInstancesPerEntity: number;
  /** Largest build context accepted, in bytes. */
  maxContextBytes: number;
  /** The container's logs never take more than maxSizeBytes × maxFiles. */
  logRotation: LogRotation;
  /** The scheduled prune keeps this many of the component's newest images (plus any an instance uses). */
  imageRetention: { keep: number };
}

export interface EffectiveBuildConfig {
  /** Dockerfile path relative to the build context. */
  dockerfile: string;
  /** Build context relative to the source root. */
  context: string;
  buildArgs: Record<string, string>;
  target?: string;
}

export interface EffectiveRunConfig {
  ports: Array<{
    containerPort: number;
    protocol: 'tcp' | 'udp';
    hostPort?: number;
  }>;
  healthPath?: string;
  /** Plain environment variables (shown as they are). */
  env: Record<string, string>;
  /** Secret environment variables: values never leave the backend. */
  secretEnv: Record<string, string>;
}

/** Where each part of the effective config came from, for the effective-config view. */
export type ConfigOrigin = 'default' | 'annotation' | 'app-config';

export interface EffectiveComponentConfig {
  entityRef: string;
  docker: EffectiveDockerConfig;
  build: EffectiveBuildConfig;
  run: EffectiveRunConfig;
  /** Dotted key → origin, e.g. `docker.resourceLimits.memoryBytes` → `app-config`. */
  origins: Record<string, ConfigOrigin>;
}
