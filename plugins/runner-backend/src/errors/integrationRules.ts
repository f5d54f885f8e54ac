import type { ErrorCode } from '@internal/plugin-runner-common';
import {
  isDockerOperation,
  patternRule,
  type Pattern,
  type Rule,
} from './ruleTypes';

/** Kubernetes `Status.reason` → code; the reason is more precise than the HTTP status (409 is Conflict or AlreadyExists). */
const K8S_REASONS: Record<string, ErrorCode> = {
  Unauthorized: 'K8S_UNAUTHORIZED',
  Forbidden: 'K8S_FORBIDDEN',
  NotFound: 'K8S_NOT_FOUND',
  AlreadyExists: 'K8S_ALREADY_EXISTS',
  Conflict: 'K8S_CONFLICT',
  Invalid: 'K8S_INVALID',
  BadRequest: 'K8S_INVALID',
  MethodNotAllowed: 'K8S_INVALID',
  NotAcceptable: 'K8S_INVALID',
  UnsupportedMediaType: 'K8S_INVALID',
  RequestEntityTooLarge: 'K8S_INVALID',
  Gone: 'K8S_GONE',
  Expired: 'K8S_GONE',
  ServiceUnavailable: 'K8S_SERVER_ERROR',
  InternalError: 'K8S_SERVER_ERROR',
  ServerTimeout: 'K8S_SERVER_ERROR',
  Timeout: 'K8S_SERVER_ERROR',
  TooManyRequests: 'K8S_SERVER_ERROR',
};

function k8sByStatus(status: number): ErrorCode | undefined {
  if (status === 401) return 'K8S_UNAUTHORIZED';
  if (status === 403) return 'K8S_FORBIDDEN';
  if (status === 404) return 'K8S_NOT_FOUND';
  if (status === 409) return 'K8S_CONFLICT';
  if (status === 410) return 'K8S_GONE';
  if (status === 400 || status === 422) return 'K8S_INVALID';
  if (status === 429 || status >= 500) return 'K8S_SERVER_ERROR';
  return undefined;
}

/** Answers of a Kubernetes API server (a Status body, or client-node's ApiException). */
export const kubernetesRule: Rule = (f, op) => {
  const fromApi =
    f.kubernetes ||
    f.fromKubernetesClient ||
    (op === 'kubernetes' && f.status && !f.fromDockerEngine);
  if (!fromApi) return undefined;
  const code =
    K8S_REASONS[f.kubernetes?.reason ?? ''] ??
    (f.status ? k8sByStatus(f.status) : undefined);
  if (!code) return undefined;
  return {
    code,
    more: f.kubernetes?.message
      ? `Kubernetes answered: ${f.kubernetes.message}`
      : undefined,
  };
};

const quotedUrl = (m: RegExpExecArray) => ({
  url: /'(\w+:\/\/[^']+)'/.exec(m.input)?.[1],
});

/**
 * git/curl output and Backstage's UrlReaders, then config and engine-side
 * deadlines. Network rows come before "not found": git prints "Could not
 * read from remote repository" after an ssh connection failure too.
 */
export const sourcePatterns: readonly Pattern[] = [
  {
    code: 'SOURCE_NETWORK',
    re: /Could not resolve host|Failed to connect to|Couldn't connect to server|ssh: connect to host|\(rate limit exceeded\)/,
    with: quotedUrl,
  },
  {
    code: 'SOURCE_AUTH_FAILED',
    re: /Authentication failed for|could not read Username for|Permission denied \(publickey|The requested URL returned error: 40[13]|HTTP Basic: Access denied|Invalid username or (?:password|token)/,
    with: quotedUrl,
  },
  {
    code: 'SOURCE_NOT_FOUND',
    re: /fatal: repository '([^']+)' (?:not found|does not exist)|remote: Repository not found|Could not read from remote repository|The requested URL returned error: 404/,
    with: m => ({ url: m[1] }),
  },
  {
    code: 'SOURCE_NOT_ALLOWED',
    re: /Reading from '([^']+)' is not allowed/,
    with: m => ({ url: m[1] }),
  },
  // UrlReaders: "Request failed for <url>, 404 Not Found" (GitHub, GitLab, …)
  // and "could not read <url>, 404 Not Found" (fetch).
  {
    code: 'SOURCE_NOT_FOUND',
    re: /(?:Request failed for|could not read|Unable to read) (\S+?),? 404\b/,
    with: m => ({ url: m[1] }),
  },
  {
    code: 'SOURCE_AUTH_FAILED',
    re: /(?:Request failed for|could not read|Unable to read) (\S+?),? 40[13]\b/,
    with: m => ({ url: m[1] }),
  },
  {
    code: 'SOURCE_NETWORK',
    re: /(?:Request failed for|could not read|Unable to read) (\S+?),? (?:429|5\d\d)\b/,
    with: m => ({ url: m[1] }),
  },
  // RunnerConfig's own messages, then @backstage/config's.
  {
    code: 'CONFIG_INVALID',
    re: /^Invalid config at '|Invalid type in config for key '|Missing required config value at '|Invalid config key '/,
    with: m => ({ say: m.input }),
  },
  // Go's context.DeadlineExceeded and net/http's header timeout, relayed by the engine.
  {
    code: 'OPERATION_TIMEOUT',
    re: /context deadline exceeded|timeout exceeded while awaiting headers/,
  },
];

export const sourcePatternRule = patternRule(sourcePatterns);

const NETWORK_ERRNOS = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const TIMEOUT_ERRNOS = new Set([
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const TLS_ERRNO = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/;

/**
 * Node's network errors say nothing about which dependency failed, so the
 * operation decides; a unix socket can only be the engine, and client-node's
 * URLs (`/api/v1/…`, `/apis/<group>/v…`) only Kubernetes. Anything else stays
 * unknown rather than blaming the wrong dependency.
 */
export const networkRule: Rule = (f, op) => {
  const errno = f.errno ?? '';
  const hangUp = f.message === 'socket hang up';
  const socket = (f.address ?? '').startsWith('/');
  const connectEnoent =
    errno === 'ENOENT' &&
    (f.syscall === 'connect' || /^connect ENOENT/.test(f.message));
  if (errno === 'EACCES' && (f.syscall === 'connect' || socket))
    return { code: 'DOCKER_ACCESS_DENIED' };
  if (
    !NETWORK_ERRNOS.has(errno) &&
    !TLS_ERRNO.test(errno) &&
    !hangUp &&
    !connectEnoent
  )
    return undefined;

  const url = /request to (\w+:\/\/[^/\s]+)/.exec(f.message)?.[1];
  if (
    op === 'kubernetes' ||
    (!op && /request to \S+\/apis?\/(?:v1\/|[\w.-]+\/v\d)/.test(f.message))
  ) {
    const say = TLS_ERRNO.test(errno)
      ? `TLS verification of the Kubernetes API server failed (${errno}): set caData or caFile of the cluster.`
      : undefined;
    return { code: 'K8S_UNREACHABLE', url, say };
  }
  if (op === 'source') return { code: 'SOURCE_NETWORK', url };
  if (isDockerOperation(op) || socket || connectEnoent) {
    if (TIMEOUT_ERRNOS.has(errno)) return { code: 'OPERATION_TIMEOUT' };
    if (hangUp || errno === 'ECONNRESET' || errno === 'EPIPE')
      return { code: 'DOCKER_CONNECTION_RESET' };
    const where = f.address ? ` at ${f.address}` : '';
    return {
      code: 'DOCKER_UNREACHABLE',
      say: `The runner cannot reach the Docker engine${where} (${errno}).`,
    };
  }
  return undefined;
};

/** @backstage/errors classes, by name (works across duplicate package copies). */
export const backstageRule: Rule = (f, op) => {
  switch (f.name) {
    case 'InputError':
      return { code: 'INVALID_INPUT', say: f.message };
    case 'NotAllowedError':
      return { code: 'PERMISSION_DENIED', more: f.message };
    case 'AuthenticationError':
      return { code: 'NOT_AUTHENTICATED' };
    case 'NotFoundError':
      return op === 'source'
        ? { code: 'SOURCE_NOT_FOUND', more: f.message }
        : { code: 'NOT_FOUND', say: f.message };
    case 'ConflictError':
      return { code: 'REQUEST_CONFLICT', say: f.message };
    default:
      return undefined;
  }
};
