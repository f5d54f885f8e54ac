/*
 * One error type for everything that goes wrong talking to a cluster: an API
 * server Status (404, 409, 422, …), a network failure, a timeout, or
 * credentials that could not be loaded. It keeps what callers need (code,
 * reason, field causes, a message a user can act on) and drops what
 * client-node's ApiException carries besides (the raw body and response
 * headers), so nothing else can leak through it.
 */

export interface KubernetesStatusCause {
  field?: string;
  message?: string;
  reason?: string;
}

export type KubernetesErrorKind = 'status' | 'network' | 'timeout' | 'config';

export class KubernetesApiError extends Error {
  readonly name = 'KubernetesApiError';
  /** HTTP status of an API server answer; undefined for network, timeout and config errors. */
  readonly code: number | undefined;
  /** The Status reason: NotFound, AlreadyExists, Conflict, Invalid, Expired, Forbidden, … */
  readonly reason: string | undefined;
  readonly causes: KubernetesStatusCause[];
  readonly kind: KubernetesErrorKind;

  constructor(options: {
    message: string;
    kind: KubernetesErrorKind;
    code?: number;
    reason?: string;
    causes?: KubernetesStatusCause[];
  }) {
    super(options.message);
    this.kind = options.kind;
    this.code = options.code;
    this.reason = options.reason;
    this.causes = options.causes ?? [];
  }

  /** The cluster could not be reached at all (as opposed to answering with an error). */
  get unreachable(): boolean {
    return this.kind !== 'status';
  }
}

export interface ErrorContext {
  url: string;
  timeoutMs: number;
}

function errnoOf(error: any): unknown {
  return error?.cause?.code ?? error?.code ?? error?.errno;
}

/** A network-level failure in words a user can act on (never the request's headers). */
export function describeConnectionError(
  error: unknown,
  { url, timeoutMs }: ErrorContext,
): string {
  const err = error as { message?: string; name?: string; type?: string };
  const code = errnoOf(error);
  if (code === 'ECONNREFUSED') {
    return `connection refused at ${url}; the API server is not listening there`;
  }
  // node-fetch says "Premature close" when a response (a watch) ends mid-stream.
  if (
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    code === 'ERR_STREAM_PREMATURE_CLOSE'
  ) {
    return `the connection to ${url} was closed while waiting for an answer`;
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return `the host of ${url} does not resolve`;
  }
  if (code === 401 || code === 403) {
    return `the API server at ${url} refused the credentials (HTTP ${code}); check the token or kubeconfig user`;
  }
  if (
    typeof code === 'string' &&
    /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)
  ) {
    return `TLS verification of ${url} failed (${code}); set caData or caFile for this cluster`;
  }
  if (
    err?.name === 'TimeoutError' ||
    err?.name === 'AbortError' ||
    err?.type === 'aborted' ||
    /timed? ?out|aborted/i.test(err?.message ?? '')
  ) {
    return `the API server at ${url} did not answer within ${timeoutMs} ms`;
  }
  return `cannot reach the API server at ${url}: ${
    err?.message ?? String(error)
  }`;
}

function parseBody(body: unknown): any {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/**
 * Converts whatever client-node threw into a KubernetesApiError. An
 * ApiException's Status body supplies message, reason and causes; anything
 * else is described as a connection problem.
 */
export function toKubernetesApiError(
  error: unknown,
  context: ErrorContext,
): KubernetesApiError {
  if (error instanceof KubernetesApiError) return error;
  const err = error as { code?: unknown; body?: unknown; statusCode?: unknown };
  // ApiException carries `code`; Watch errors carry `statusCode`.
  const httpCode = [err?.code, err?.statusCode].find(
    (c): c is number => typeof c === 'number',
  );
  if (httpCode !== undefined) {
    const status = parseBody(err.body);
    const isStatus =
      status && typeof status === 'object' && status.kind === 'Status';
    let message = `the API server at ${context.url} answered HTTP ${httpCode}`;
    if (isStatus && typeof status.message === 'string') {
      message = status.message;
    } else if (httpCode === 401 || httpCode === 403) {
      message = describeConnectionError({ code: httpCode }, context);
    }
    return new KubernetesApiError({
      message,
      kind: 'status',
      code: httpCode,
      reason: isStatus ? status.reason : undefined,
      causes:
        isStatus && Array.isArray(status.details?.causes)
          ? status.details.causes
          : [],
    });
  }
  const timedOut = /did not answer within/.test(
    describeConnectionError(error, context),
  );
  return new KubernetesApiError({
    message: describeConnectionError(error, context),
    kind: timedOut ? 'timeout' : 'network',
  });
}
