import { ResponseError } from '@backstage/errors';

/** A ResponseError as RunnerClient throws it for a failed backend call. */
export async function backendError(
  status: number,
  message: string,
): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'ServiceUnavailableError', message },
        request: { method: 'GET', url: '/api/runner/health' },
        response: { statusCode: status },
      }),
      { status, headers: { 'Content-Type': 'application/json' } },
    ),
  );
}
