import {
  errorCodeInfo,
  type CategorizedError,
  type ErrorCode,
} from '@internal/plugin-runner-common';

/**
 * How a runtime fails: the failure is categorized where the engine's facts
 * are known (a pod's waiting reason, a registry's answer), so the lifecycle
 * stores and shows it as it is instead of guessing from a message.
 *
 * @public
 */
export class RuntimeError extends Error {
  readonly name = 'RuntimeError';

  constructor(
    readonly failure: CategorizedError,
    options?: { cause?: unknown },
  ) {
    super(`${failure.code}: ${failure.userMessage}`, options);
  }
}

/** @public */
export function isRuntimeError(error: unknown): error is RuntimeError {
  return (
    error instanceof RuntimeError ||
    // Across duplicate package copies, by shape.
    (typeof error === 'object' &&
      error !== null &&
      (error as { name?: unknown }).name === 'RuntimeError' &&
      typeof (error as { failure?: { code?: unknown } }).failure?.code ===
        'string')
  );
}

/** What one case adds to its code's defaults. @public */
export interface FailureSpecifics {
  userMessage?: string;
  remediation?: string;
  /**
   * Values for the remediation's placeholders (`<name>`, `<cluster>`,
   * `<image>`, `<registry>`, `<namespace>`, …); placeholders without a value
   * stay for the reader.
   */
  values?: Record<string, string | undefined>;
}

/**
 * A categorized failure from a code's defaults in the taxonomy, with what
 * this case adds: a specific message and remediation, and the engine's own
 * words as the detail (never empty; the caller keeps secrets out of it).
 *
 * @public
 */
export function runtimeFailure(
  code: ErrorCode,
  detail: string,
  specific: FailureSpecifics = {},
): CategorizedError {
  const info = errorCodeInfo(code);
  const remediation = (specific.remediation ?? info.remediation).replace(
    /<([a-z-]+)>/g,
    (placeholder, key: string) => specific.values?.[key] ?? placeholder,
  );
  return {
    category: info.category,
    code,
    severity: info.severity,
    recoverable: info.recoverable,
    origin: info.origin,
    userMessage: specific.userMessage ?? info.userMessage,
    remediation,
    detail: detail || info.userMessage,
  };
}

/** Shorthand: `throw runtimeError('K8S_FORBIDDEN', detail, …)`. @public */
export function runtimeError(
  code: ErrorCode,
  detail: string,
  specific?: FailureSpecifics,
  options?: { cause?: unknown },
): RuntimeError {
  return new RuntimeError(runtimeFailure(code, detail, specific), options);
}
