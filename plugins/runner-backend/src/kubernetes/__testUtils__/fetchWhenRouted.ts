/**
 * GET a Service's ClusterIP, retried while the connection is refused: kube-proxy
 * programs a new Service a moment after its pod is ready, and until then the
 * test cluster's fence (docs/test-cluster.md) refuses the packet. Any answer,
 * and any other error, is returned or thrown as it is.
 */
export async function fetchWhenRouted(
  url: string,
  timeoutMs = 15_000,
): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fetch(url, { signal: AbortSignal.timeout(2_000) });
    } catch (error) {
      const refused = (error as any)?.cause?.code === 'ECONNREFUSED';
      if (!refused || Date.now() > deadline) throw error;
      await new Promise(resolve => setTimeout(resolve, 100));
    }
  }
}
