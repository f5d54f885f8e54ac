import type {
  CategorizedError,
  ErrorCategory,
  ErrorCode,
  ErrorCodeInfo,
} from './types';
import { ERROR_CATEGORIES } from './types';
import { ENGINE_CODES } from './engineCodes';
import { INTEGRATION_CODES } from './integrationCodes';
import { KUBERNETES_CODES } from './kubernetesCodes';

/**
 * What each category covers, for docs and the UI's legend.
 *
 * @public
 */
export const ERROR_CATEGORY_DESCRIPTIONS: Record<ErrorCategory, string> = {
  'docker-unavailable':
    'The Docker engine cannot be reached, dropped the connection, or failed internally.',
  build:
    'A Dockerfile instruction failed, or the Dockerfile is missing, malformed or lacks the target.',
  image:
    'An image cannot be obtained or shipped: not on the engine with no registry reachable, unknown to the registry, refused, or not pullable by the cluster.',
  port: 'A host port the container should publish on 127.0.0.1 is already taken.',
  'resource-limit':
    'The engine rejected a memory, CPU or PIDs limit, the host cannot enforce it, or no node or quota has room for it.',
  oom: 'The container was killed for using more memory than its limit.',
  container:
    'The container could not start its command, exited with an error, vanished, or was in a conflicting state.',
  timeout:
    'A build, a run, or a call to the engine or another dependency took longer than allowed.',
  source:
    "The component's source could not be read: not found, credentials refused, host unreachable, or not allowed.",
  config: 'The `runner:` app-config is invalid.',
  kubernetes:
    'A Kubernetes API server was unreachable, refused the credentials or the request, or failed.',
  permission:
    'The caller lacks a Backstage permission, or the backend may not use the Docker engine.',
  validation:
    'A request to the runner was malformed, referred to something missing, or conflicts with the current state.',
  unknown: 'Not recognized; the original error is kept whole in the detail.',
};

type Row = Omit<ErrorCodeInfo, 'code'>;

/*
 * The table. Typed as a Record keyed by ErrorCode so the compiler rejects a
 * code without defaults. Within a category, declaration order is the display
 * order.
 */
const CATALOG: Record<ErrorCode, Row> = {
  ...ENGINE_CODES,
  ...INTEGRATION_CODES,
  ...KUBERNETES_CODES,
};

/**
 * Every code with its defaults, grouped by category in {@link ERROR_CATEGORIES}
 * order: the table that docs and the UI list.
 *
 * @public
 */
export const ERROR_CODE_TABLE: readonly ErrorCodeInfo[] = Object.freeze(
  (Object.keys(CATALOG) as ErrorCode[])
    .map(code => Object.freeze({ code, ...CATALOG[code] }))
    .sort(
      (a, b) =>
        ERROR_CATEGORIES.indexOf(a.category) -
        ERROR_CATEGORIES.indexOf(b.category),
    ),
);

/**
 * The defaults of one code.
 *
 * @public
 */
export function errorCodeInfo(code: ErrorCode): ErrorCodeInfo {
  const row = CATALOG[code];
  if (!row) {
    throw new TypeError(`Unknown runner error code '${code}'`);
  }
  return { code, ...row };
}

/** @public */
export function isErrorCode(value: unknown): value is ErrorCode {
  return (
    typeof value === 'string' &&
    Object.prototype.hasOwnProperty.call(CATALOG, value)
  );
}

/**
 * Whether a value (e.g. parsed from a REST response or a database row) is a
 * well-formed {@link CategorizedError} whose code and category agree.
 *
 * @public
 */
export function isCategorizedError(value: unknown): value is CategorizedError {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    isErrorCode(v.code) &&
    CATALOG[v.code].category === v.category &&
    ['critical', 'high', 'medium', 'low'].includes(v.severity as string) &&
    (v.origin === 'platform' || v.origin === 'user') &&
    typeof v.recoverable === 'boolean' &&
    typeof v.userMessage === 'string' &&
    typeof v.remediation === 'string' &&
    typeof v.detail === 'string'
  );
}
