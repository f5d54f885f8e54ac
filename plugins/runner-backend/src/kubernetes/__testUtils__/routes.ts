import { httpRouteInput } from '../../gateway/__testUtils__/templateInputs';
import { buildTemplate } from '../../gateway/templates';
import type { KubeObject } from '../ClusterApi';
import type { WatchedResource } from '../ResourceWatcher';

/*
 * HTTPRoutes for the kubernetes/ tests: what the route template builds, in
 * the test's namespace, with extra labels to select by.
 */

export const HTTP_ROUTES: WatchedResource = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  plural: 'httproutes',
};

export function httpRoute(
  namespace: string,
  name: string,
  labels: Record<string, string> = {},
): KubeObject {
  const result = buildTemplate('httproute', {
    ...httpRouteInput,
    namespace,
    name,
  });
  if (!result.ok) throw new Error('the route template failed');
  const route = result.bundle.objects[0] as KubeObject;
  return {
    ...route,
    metadata: {
      ...route.metadata,
      labels: { ...route.metadata.labels, ...labels },
    },
  };
}

export const routeRef = (namespace: string, name: string) => ({
  apiVersion: HTTP_ROUTES.apiVersion,
  kind: HTTP_ROUTES.kind,
  namespace,
  name,
});

/** Retries `check` until it passes or the time is up (the last failure is thrown). */
export async function eventually<T>(
  check: () => T | Promise<T>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise(r => setTimeout(r, 50));
    }
  }
}
