import http from 'node:http';

export interface HttpProbeResult {
  ok: boolean;
  /** The HTTP status, when the server answered. */
  status?: number;
  /** Why the probe failed: connection refused, timed out, HTTP 503, … */
  reason?: string;
  /** Whether the server could not be reached at all (nothing listening yet). */
  unreachable: boolean;
  latencyMs: number;
}

/**
 * GET http://127.0.0.1:<port><path> with a deadline. 2xx and 3xx are healthy
 * (as Kubernetes' httpGet probe); redirects are not followed. The host is
 * always loopback: the runner publishes container ports there only, so the
 * probe can reach nothing but the instance's own published port.
 */
export function httpProbe(
  port: number,
  path: string,
  timeoutMs: number,
): Promise<HttpProbeResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise(resolve => {
    const req = http.get(
      {
        host: '127.0.0.1',
        port,
        path,
        timeout: timeoutMs,
        headers: { 'user-agent': 'backstage-runner-health-probe' },
        agent: false,
      },
      res => {
        // Only the status matters; drain the body so the socket closes.
        res.resume();
        const status = res.statusCode ?? 0;
        const ok = status >= 200 && status < 400;
        resolve({
          ok,
          status,
          reason: ok ? undefined : `HTTP ${status} from ${path}`,
          unreachable: false,
          latencyMs: elapsed(),
        });
      },
    );
    // `timeout` only covers socket inactivity; this bounds the whole exchange.
    const deadline = setTimeout(
      () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    req.on('timeout', () =>
      req.destroy(new Error(`no answer within ${timeoutMs} ms`)),
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      const refused = ['ECONNREFUSED', 'ECONNRESET', 'EPIPE'].includes(
        error.code ?? '',
      );
      resolve({
        ok: false,
        reason: refused
          ? `nothing answers on 127.0.0.1:${port} (${error.code})`
          : `GET ${path} on 127.0.0.1:${port}: ${error.message}`,
        unreachable: refused,
        latencyMs: elapsed(),
      });
    });
    req.on('close', () => clearTimeout(deadline));
  });
}
