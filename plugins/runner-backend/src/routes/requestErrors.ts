import express from 'express';
import { InputError, isError } from '@backstage/errors';

/*
 * What a malformed request gets back from the runner's routers: a 4xx that
 * names the problem and the fix. body-parser's own errors say too little
 * ("request entity too large"), echo the body back, and — like every error
 * in a backend started with NODE_ENV=development — carry a stack trace.
 */

/** The most a runner route reads as a body; none of them needs more than a small JSON object. */
const BODY_LIMIT_BYTES = 100 * 1024;

/** An error the backend's error handler answers with `statusCode`. */
function clientError(statusCode: number, name: string, message: string) {
  return Object.assign(new Error(message), { name, statusCode });
}

/** body-parser's failure → the same status, in words a caller can act on. */
function describeBodyError(error: any): Error {
  switch (error.type) {
    case 'entity.parse.failed':
      return new InputError(
        `The request body is not valid JSON (${error.message}); send a JSON object with Content-Type: application/json, or no body`,
      );
    case 'entity.too.large':
      return clientError(
        413,
        'PayloadTooLargeError',
        `The request body is ${error.length} bytes; these routes accept at most ${BODY_LIMIT_BYTES} bytes of JSON`,
      );
    case 'encoding.unsupported':
      return clientError(
        415,
        'UnsupportedMediaTypeError',
        `Content-Encoding '${error.encoding}' is not supported; send the body uncompressed, or as gzip or deflate`,
      );
    case 'charset.unsupported':
      return clientError(
        415,
        'UnsupportedMediaTypeError',
        `The charset '${error.charset}' is not supported; send the JSON body as UTF-8`,
      );
    case 'request.aborted':
    case 'request.size.invalid':
      return new InputError(
        'The request body ended before the length its Content-Length announced; send the whole body, or no body',
      );
    default:
      if (typeof error.code === 'string' && error.code.startsWith('Z_')) {
        return new InputError(
          `The request body could not be decompressed (${error.code}) as its Content-Encoding says; send it uncompressed, or as valid gzip or deflate`,
        );
      }
      return error;
  }
}

/**
 * express.json() for a router, followed by the handler that turns its
 * failures into clear 4xx errors. Mount with `router.use(jsonBody())`
 * before the routes.
 */
export function jsonBody(): Array<
  express.RequestHandler | express.ErrorRequestHandler
> {
  const describe: express.ErrorRequestHandler = (error, _req, _res, next) => {
    const status = statusOf(error);
    next(
      status !== undefined && status < 500 ? describeBodyError(error) : error,
    );
  };
  return [express.json({ limit: BODY_LIMIT_BYTES }), describe];
}

/**
 * The last handler of a router: a 4xx (bad input, not found, not allowed,
 * conflict) reaches the caller without a stack trace, in development too.
 * Server errors keep theirs for the log.
 */
export const withoutStackForClientErrors: express.ErrorRequestHandler = (
  error,
  _req,
  _res,
  next,
) => {
  const status = statusOf(error);
  if (status !== undefined && status < 500 && isError(error)) {
    delete (error as { stack?: string }).stack;
  }
  next(error);
};

/** As the backend's error handler maps @backstage/errors. */
const STATUS_BY_NAME: Record<string, number | undefined> = {
  NotModifiedError: 304,
  InputError: 400,
  AuthenticationError: 401,
  NotAllowedError: 403,
  NotFoundError: 404,
  ConflictError: 409,
};

/** The status the backend's error handler will answer with, when it is a known one. */
function statusOf(error: unknown): number | undefined {
  if (!isError(error)) return undefined;
  const e = error as { statusCode?: unknown; status?: unknown };
  for (const status of [e.statusCode, e.status]) {
    if (typeof status === 'number' && status >= 100 && status <= 599) {
      return status;
    }
  }
  return STATUS_BY_NAME[error.name];
}
