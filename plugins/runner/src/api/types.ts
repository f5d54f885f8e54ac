/*
 * Shapes the Runner frontend reads from the runner backend beyond the shared
 * instance types in runner-common. Kept loose where the backend's shape is
 * still growing, so the UI renders new fields instead of dropping them.
 */

/** Which log of an instance: the image build, or the container's output. @public */
export type LogStream = 'build' | 'run';

/** How much of a log to read: the last N lines, or all of it. @public */
export type LogTail = number | 'all';

/** @public */
export interface GetLogsOptions {
  stream: LogStream;
  tail?: LogTail;
}

/** @public */
export interface FollowLogsOptions {
  stream: LogStream;
  /** Lines from the end to start with; the backend default is all of them. */
  tail?: LogTail;
  /** Aborting ends the stream and the request. */
  signal?: AbortSignal;
  /** Called once per complete line, without its line break. */
  onLine: (line: string) => void;
}

/** Where a value of the effective config came from. @public */
export type ConfigOrigin = 'default' | 'annotation' | 'app-config';

/**
 * Body of `GET …/effective-config`: the merged runner config of one
 * component. Secret environment values arrive as "set", never as values.
 *
 * @public
 */
export interface EffectiveConfig {
  entityRef: string;
  docker: Record<string, unknown>;
  build: Record<string, unknown>;
  run: Record<string, unknown> & { secretEnv?: Record<string, string> };
  /** Dotted key → origin, e.g. `docker.resourceLimits.memoryBytes` → `app-config`. */
  origins: Record<string, ConfigOrigin | string>;
  [section: string]: unknown;
}
