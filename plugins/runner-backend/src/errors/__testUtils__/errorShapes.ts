import type { ErrorCode } from '@internal/plugin-runner-common';
import type { ClassifyOperation } from '../rules';

/** One row of a classifier table test. */
export interface Row {
  /** Where the message came from. */
  from: string;
  error: unknown;
  op?: ClassifyOperation;
  code: ErrorCode;
  /** Something the userMessage must contain. */
  says?: string;
}

/**
 * An error exactly as docker-modem 5.0.7 builds it (lib/modem.js,
 * buildPayload) for an engine answer that is not a success: the message is
 * `(HTTP code N) <reason> - <engine message> `, with statusCode, reason and
 * json (null when the engine answered plain text).
 */
export function dockerodeError(
  statusCode: number,
  reason: string | undefined,
  engineMessage: string,
  json: { message: string } | null,
): Error {
  return Object.assign(
    new Error(
      `(HTTP code ${statusCode}) ${reason ?? 'unexpected'} - ${engineMessage} `,
    ),
    { reason, statusCode, json },
  );
}

/** A build progress item as dockerode's followProgress hands it over. */
export function buildItem(message: string, code?: number) {
  return {
    errorDetail: code === undefined ? { message } : { code, message },
    error: message,
  };
}

/** A Node system error (what `net`, node-fetch and dockerode's socket layer throw). */
export function systemError(
  message: string,
  fields: { code: string; syscall?: string; address?: string; port?: number },
): Error {
  return Object.assign(new Error(message), fields);
}

/** node-fetch 2's FetchError (used by client-node and Backstage's UrlReaders). */
export function fetchError(message: string, code: string): Error {
  return Object.assign(new Error(message), {
    name: 'FetchError',
    type: 'system',
    code,
    errno: code,
  });
}
