// Helpers for the RunnerClient tests. Not exported from an entry point.
import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { RunnerClient } from '../api/RunnerClient';

export const BASE_URL = 'http://backend:7007/api/runner';

/** A RunnerClient whose fetch answers with the given responses in order. */
export function setupClient(...responses: Response[]) {
  const discoveryApi: jest.Mocked<DiscoveryApi> = {
    getBaseUrl: jest.fn().mockResolvedValue(BASE_URL),
  };
  const fetchApi: jest.Mocked<FetchApi> = { fetch: jest.fn() };
  for (const response of responses) {
    fetchApi.fetch.mockResolvedValueOnce(response);
  }
  return {
    discoveryApi,
    fetchApi,
    client: new RunnerClient({ discoveryApi, fetchApi }),
  };
}

export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

/** A Backstage error body, as the backend's error handler sends it. */
export function errorResponse(
  status: number,
  name: string,
  message: string,
): Response {
  return jsonResponse(
    {
      error: { name, message },
      request: { method: 'POST', url: '/api/runner/x' },
      response: { statusCode: status },
    },
    status,
  );
}

/**
 * A text/plain response whose body arrives in the given chunks, one per read,
 * like a chunked log stream. `hold` keeps the stream open after the last
 * chunk, as a followed log does while its container runs.
 */
export function streamedResponse(
  chunks: string[],
  options: { hold?: boolean } = {},
): { response: Response; cancelled: () => boolean } {
  const encoder = new TextEncoder();
  let cancelled = false;
  let index = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (index < chunks.length) {
        controller.enqueue(encoder.encode(chunks[index++]));
        return undefined;
      }
      if (!options.hold) {
        controller.close();
        return undefined;
      }
      // Held open: a promise that never settles keeps the next read pending
      // until the reader cancels, as a followed log does while it runs.
      return new Promise<void>(() => {});
    },
    cancel() {
      cancelled = true;
    },
  });
  return {
    response: new Response(body, {
      status: 200,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    }),
    cancelled: () => cancelled,
  };
}
