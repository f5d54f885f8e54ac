/**
 * The error taxonomy of the runner: every failure the backend meets is turned
 * into a {@link CategorizedError} so that the UI, alerts and the error history
 * can say what happened and what to do, without parsing engine messages.
 */

/**
 * The categories, in the order the UI lists them. A category says which part
 * of the system failed; the {@link ErrorCode} says exactly how. What each one
 * covers: `ERROR_CATEGORY_DESCRIPTIONS`.
 *
 * @public
 */
export const ERROR_CATEGORIES = [
  'docker-unavailable',
  'build',
  'image',
  'port',
  'resource-limit',
  'oom',
  'container',
  'timeout',
  'source',
  'config',
  'kubernetes',
  'permission',
  'validation',
  'unknown',
] as const;

/** @public */
export type ErrorCategory = (typeof ERROR_CATEGORIES)[number];

/**
 * How bad a failure is, for sorting and alerting:
 * - `critical`: the runner cannot work for anyone (engine unreachable, config invalid).
 * - `high`: this operation failed and someone must act (build failed, OOM, RBAC denied).
 * - `medium`: failed, but a retry or a small change fixes it (port taken, timeout, network).
 * - `low`: expected races and bad requests, usually handled by a retry or by the caller.
 *
 * @public
 */
export type ErrorSeverity = 'critical' | 'high' | 'medium' | 'low';

/**
 * Who has to act:
 * - `platform`: the runner's environment failed (engine, network, cluster availability);
 *   the same request may succeed later.
 * - `user`: something a person wrote must change (code, Dockerfile, annotations, config, RBAC,
 *   the request); retrying unchanged fails the same way.
 *
 * @public
 */
export type ErrorOrigin = 'platform' | 'user';

/**
 * Stable identifiers of every failure the runner recognizes. Never renamed:
 * stored error history, alert rules and docs refer to them.
 *
 * @public
 */
export type ErrorCode =
  // docker-unavailable
  | 'DOCKER_UNREACHABLE'
  | 'DOCKER_CONNECTION_RESET'
  | 'DOCKER_ENGINE_ERROR'
  | 'DOCKER_ENGINE_LOST'
  // build
  | 'BUILD_STEP_FAILED'
  | 'BUILD_CONTEXT_FILE_MISSING'
  | 'DOCKERFILE_INVALID'
  // image
  | 'BASE_IMAGE_MISSING'
  | 'IMAGE_NOT_FOUND'
  | 'REGISTRY_AUTH_FAILED'
  | 'REGISTRY_UNREACHABLE'
  | 'REGISTRY_PUSH_REJECTED'
  | 'K8S_IMAGE_PULL_FAILED'
  // port
  | 'PORT_IN_USE'
  // resource-limit
  | 'INVALID_RESOURCE_LIMIT'
  | 'RESOURCE_LIMIT_UNSUPPORTED'
  | 'K8S_UNSCHEDULABLE'
  | 'K8S_QUOTA_EXCEEDED'
  // oom
  | 'OOM_KILLED'
  | 'K8S_OOM_KILLED'
  // container
  | 'CONTAINER_START_FAILED'
  | 'CONTAINER_EXITED'
  | 'CONTAINER_NOT_FOUND'
  | 'DOCKER_CONFLICT'
  | 'K8S_CRASH_LOOP'
  | 'K8S_POD_CONFIG_INVALID'
  | 'K8S_JOB_FAILED'
  // timeout
  | 'BUILD_TIMEOUT'
  | 'RUN_TIMEOUT'
  | 'OPERATION_TIMEOUT'
  | 'K8S_JOB_DEADLINE_EXCEEDED'
  | 'K8S_ROLLOUT_STALLED'
  // source
  | 'SOURCE_NOT_FOUND'
  | 'SOURCE_AUTH_FAILED'
  | 'SOURCE_NETWORK'
  | 'SOURCE_NOT_ALLOWED'
  // config
  | 'CONFIG_INVALID'
  // kubernetes
  | 'K8S_UNREACHABLE'
  | 'K8S_UNAUTHORIZED'
  | 'K8S_FORBIDDEN'
  | 'K8S_NOT_FOUND'
  | 'K8S_ALREADY_EXISTS'
  | 'K8S_CONFLICT'
  | 'K8S_INVALID'
  | 'K8S_GONE'
  | 'K8S_SERVER_ERROR'
  // permission
  | 'PERMISSION_DENIED'
  | 'NOT_AUTHENTICATED'
  | 'DOCKER_ACCESS_DENIED'
  // validation
  | 'INVALID_INPUT'
  | 'NOT_FOUND'
  | 'REQUEST_CONFLICT'
  // unknown
  | 'UNKNOWN';

/**
 * A failure in words a user can act on. Produced by the backend's classifier,
 * stored with the instance and in the error history, shown by the frontend.
 *
 * A type alias rather than an interface so that it is assignable to
 * `Record<string, unknown>`-shaped types (JSON columns, event payloads).
 *
 * @public
 */
export type CategorizedError = {
  category: ErrorCategory;
  code: ErrorCode;
  severity: ErrorSeverity;
  /**
   * True when retrying the same operation unchanged may succeed (a platform
   * hiccup); false when it will fail the same way until something changes.
   */
  recoverable: boolean;
  origin: ErrorOrigin;
  /** One or two sentences on what happened, specific to this failure where the classifier could tell. */
  userMessage: string;
  /** What to do about it, naming the annotation, config key or command. */
  remediation: string;
  /** The original error text (with its causes), secrets redacted. Never empty. */
  detail: string;
};

/**
 * The defaults of one {@link ErrorCode}: one row of the table in docs and UI.
 *
 * @public
 */
export interface ErrorCodeInfo {
  code: ErrorCode;
  category: ErrorCategory;
  severity: ErrorSeverity;
  recoverable: boolean;
  origin: ErrorOrigin;
  /** What happened, in general terms. */
  userMessage: string;
  /**
   * What to do. May contain the placeholders `<name>` (the entity's name),
   * `<port>`, `<image>`, `<registry>`, `<url>` and `<cluster>`, which the
   * classifier fills in when it knows them; other `<…>` are for the reader.
   */
  remediation: string;
}
