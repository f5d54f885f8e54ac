import type {
  ErrorCategory,
  ErrorCode,
  ErrorSeverity,
} from '@internal/plugin-runner-common';

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
  /** Called when the backend has answered, before any line: the stream is open. */
  onOpen?: () => void;
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

/**
 * A point in time for a query: a Date (sent as ISO 8601 in UTC), or a string
 * the backend accepts as is (ISO 8601 with a zone, or epoch milliseconds).
 *
 * @public
 */
export type QueryTime = Date | string;

/** Range of `GET /instances/:id/metrics`. @public */
export interface MetricsQuery {
  from: QueryTime;
  to: QueryTime;
  /**
   * Requested bucket width: `10s`, `5m`, `1h`, or a number of seconds. The
   * backend widens it to keep at most 600 buckets.
   */
  step?: string | number;
}

/**
 * Filters and page of the error history. Every filter is optional; the
 * backend refuses values outside the taxonomy with a 400.
 *
 * @public
 */
export interface ErrorsQuery {
  /** The entity whose errors to list; without it, every entity the user may read. */
  entityRef?: string;
  category?: ErrorCategory;
  severity?: ErrorSeverity;
  code?: ErrorCode;
  from?: QueryTime;
  to?: QueryTime;
  /** 1–200, backend default 50. */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

/** The error history of one instance takes the same filters but no entity. @public */
export type InstanceErrorsQuery = Omit<ErrorsQuery, 'entityRef'>;

/** Which alerts `GET /alerts` lists: open (backend default), resolved or all. @public */
export type AlertStateFilter = 'open' | 'resolved' | 'all';

/** @public */
export interface AlertsQuery {
  entityRef: string;
  state?: AlertStateFilter;
  /** 1–500, backend default 100. */
  limit?: number;
}

/** One template of `GET /gateway/templates`: a provider, or `httproute`. @public */
export interface GatewayTemplateSummary {
  id: string;
  title: string;
  description: string;
}

/** `GET /gateway/templates/:id`: the template with the JSON Schema of its input. @public */
export interface GatewayTemplate extends GatewayTemplateSummary {
  inputSchema: Record<string, unknown>;
}

/**
 * What validate, diff and `POST export` take: a template's input, or YAML
 * (optionally naming the bundle its objects belong to).
 *
 * @public
 */
export type GatewayProposal =
  | { template: string; input: Record<string, unknown> }
  | { yaml: string; bundle?: string };

/** Body of an update: the new input and the resourceVersions a GET returned. @public */
export interface GatewayUpdateRequest {
  input: Record<string, unknown>;
  resourceVersions: Record<string, string>;
}
