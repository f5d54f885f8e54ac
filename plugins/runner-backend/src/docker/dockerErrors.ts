/*
 * dockerode reports an engine refusal as an Error with `statusCode` and a
 * message like "(HTTP code 409) unexpected - <engine message> ". These helpers
 * read both, so callers can branch on the status and show the engine's words.
 */

export function statusCodeOf(error: unknown): number | undefined {
  const code = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

/** The engine's own message, without dockerode's "(HTTP code n) reason - " prefix. */
export function engineMessage(error: unknown): string {
  const json = (error as { json?: unknown } | undefined)?.json;
  if (json && typeof json === 'object' && 'message' in json) {
    const message = (json as { message?: unknown }).message;
    if (typeof message === 'string' && message) return message;
  }
  const message =
    error instanceof Error ? error.message : String(error ?? 'unknown error');
  return message.replace(/^\(HTTP code \d+\) [^-]*- /, '').trim();
}

/** True for the error an AbortSignal produces, at any point of a request. */
export function isAbortError(error: unknown): boolean {
  const err = error as { name?: string; code?: string } | undefined;
  return err?.name === 'AbortError' || err?.code === 'ABORT_ERR';
}

/** Wraps a dockerode error with the operation that failed, keeping the cause. */
export function engineError(operation: string, error: unknown): Error {
  const status = statusCodeOf(error);
  const wrapped = new Error(
    `Docker engine: ${operation} failed${
      status ? ` (HTTP ${status})` : ''
    }: ${engineMessage(error)}`,
    { cause: error },
  );
  (wrapped as Error & { statusCode?: number }).statusCode = status;
  return wrapped;
}
