import {
  ConflictError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type { GatewayFinding } from '@internal/plugin-runner-common';
import { classifyError } from '../../errors/classifyError';
import { redactSecrets } from '../../errors/redactSecrets';
import { KubernetesApiError } from '../../kubernetes/KubernetesApiError';

/*
 * The errors gateway routes answer with. Backstage's error handler uses an
 * error's `statusCode` and serializes its own fields, so a validation
 * failure reaches the client as a 422 whose body carries every finding with
 * its path. Nothing here carries a secret value: messages from the cluster
 * are scrubbed of the request's secret values before they are used.
 */

export class GatewayValidationError extends Error {
  readonly name = 'GatewayValidationError';
  readonly statusCode = 422;
  constructor(message: string, readonly findings: GatewayFinding[]) {
    super(message);
  }
}

/** Bad YAML: a 400 with the parse errors (line, column) as findings. */
export class GatewayImportError extends Error {
  readonly name = 'GatewayImportError';
  readonly statusCode = 400;
  constructor(message: string, readonly findings: GatewayFinding[]) {
    super(message);
  }
}

export const NO_CLUSTER_MESSAGE =
  'No Kubernetes cluster is configured (runner.kubernetes.clusters is empty): gateway resources can be built, validated, diffed and exported, not applied.';

export function noClusterError(): ConflictError {
  return new ConflictError(NO_CLUSTER_MESSAGE);
}

export function validationFailed(
  what: string,
  findings: GatewayFinding[],
): GatewayValidationError {
  const errors = findings.filter(f => f.severity === 'error');
  return new GatewayValidationError(
    `${what} is invalid: ${errors.length} problem${
      errors.length === 1 ? '' : 's'
    } found; nothing was changed`,
    findings,
  );
}

/** Findings from a 422 the API server sent for one object (e.g. a dry run). */
export function findingsFromStatus(
  error: KubernetesApiError,
  object: {
    apiVersion: string;
    kind: string;
    name?: string;
    namespace?: string;
  },
  secrets: readonly string[],
): GatewayFinding[] {
  const scrub = (text: string) => redactSecrets(text, secrets);
  if (error.causes.length === 0) {
    return [
      {
        path: '',
        message: scrub(error.message),
        severity: 'error',
        source: 'server',
        object,
      },
    ];
  }
  return error.causes.map(cause => ({
    path: cause.field ?? '',
    message: scrub(cause.message ?? error.message),
    severity: 'error' as const,
    source: 'server' as const,
    object,
  }));
}

/**
 * The error taxonomy's verdict on a cluster's answer, as fields of the error
 * a route throws: Backstage serializes an error's own fields into the body
 * (`error.category`, `error.code`, `error.remediation`), which the Gateway
 * tab shows. Only for what the taxonomy recognizes.
 */
function withCategory<T extends Error>(
  error: T,
  cause: KubernetesApiError,
  cluster: string,
  secrets: readonly string[],
): T {
  const categorized = classifyError(cause, {
    operation: 'kubernetes',
    cluster,
    secrets,
  });
  if (categorized.code === 'UNKNOWN') return error;
  return Object.assign(error, {
    category: categorized.category,
    code: categorized.code,
    severity: categorized.severity,
    remediation: categorized.remediation,
  });
}

/**
 * A cluster error as the route should answer it: 404 and 409 as such, an
 * unreachable or refusing cluster as 503, everything scrubbed of `secrets`
 * and categorized.
 */
export function fromClusterError(
  error: unknown,
  cluster: string,
  secrets: readonly string[] = [],
): Error {
  if (!(error instanceof KubernetesApiError)) return error as Error;
  return withCategory(
    answerFor(error, cluster, secrets),
    error,
    cluster,
    secrets,
  );
}

function answerFor(
  error: KubernetesApiError,
  cluster: string,
  secrets: readonly string[],
): Error {
  const message = redactSecrets(error.message, secrets);
  if (error.unreachable) {
    return new ServiceUnavailableError(
      `Kubernetes cluster '${cluster}' is unavailable: ${message}`,
    );
  }
  switch (error.code) {
    case 404:
      return new NotFoundError(message);
    case 409:
      return new ConflictError(
        `${message}. Reload and apply the change again.`,
      );
    case 422:
      return new GatewayValidationError(
        message,
        findingsFromStatus(error, { apiVersion: '', kind: '' }, secrets),
      );
    case 401:
      return new ServiceUnavailableError(
        `Kubernetes cluster '${cluster}' refused the runner's credentials: ${message}`,
      );
    case 403:
      // The API server's message names the verb, resource, group and namespace.
      return new ServiceUnavailableError(
        `Kubernetes cluster '${cluster}' does not allow the runner this: ${message}`,
      );
    default:
      return new Error(`Kubernetes cluster '${cluster}' answered: ${message}`);
  }
}
