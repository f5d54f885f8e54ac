import http from 'node:http';
import { sharedCrdRegistry } from '../../../gateway/__testUtils__/shared';
import { httpRouteInput } from '../../../gateway/__testUtils__/templateInputs';
import { buildTemplate } from '../../../gateway/templates';
import { KubernetesTestServer } from '../KubernetesTestServer';

/*
 * Raw-HTTP access to a KubernetesTestServer for the protocol tests: plain
 * fetch and http.get, no Kubernetes client in between.
 */

export const ROUTES =
  '/apis/gateway.networking.k8s.io/v1/namespaces/team-a/httproutes';

export function httpRoute(name = 'web'): any {
  const result = buildTemplate('httproute', { ...httpRouteInput, name });
  if (!result.ok) throw new Error('template failed');
  return result.bundle.objects[0];
}

export type Call = (
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<{ status: number; body: any; headers: Headers }>;

export async function startProtocolServer(): Promise<{
  server: KubernetesTestServer;
  call: Call;
}> {
  const registry = await sharedCrdRegistry();
  const server = await KubernetesTestServer.start({
    crds: registry.customResourceDefinitions().map(c => c.crd),
    namespaces: ['default', 'team-a'],
    bookmarkIntervalMs: 60_000,
  });
  const call: Call = async (method, path, body, headers = {}) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${server.token}`,
        'content-type': 'application/json',
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      body: text ? JSON.parse(text) : undefined,
      headers: res.headers,
    };
  };
  return { server, call };
}

/** Reads a watch stream line by line. */
export function rawWatch(server: KubernetesTestServer, query: string) {
  const events: any[] = [];
  let req: http.ClientRequest | undefined;
  const ended = new Promise<void>(resolve => {
    req = http.get(
      `${server.url}${ROUTES}?watch=true&${query}`,
      { headers: { authorization: `Bearer ${server.token}` } },
      res => {
        let buffer = '';
        res.on('data', chunk => {
          buffer += chunk;
          const lines = buffer.split('\n');
          buffer = lines.pop()!;
          for (const line of lines) if (line) events.push(JSON.parse(line));
        });
        res.on('end', resolve);
        res.on('close', resolve);
      },
    );
  });
  const until = async (predicate: () => boolean) => {
    const deadline = Date.now() + 5000;
    while (!predicate()) {
      if (Date.now() > deadline) {
        throw new Error(
          `watch events: ${JSON.stringify(events.map(e => e.type))}`,
        );
      }
      await new Promise(r => setTimeout(r, 10));
    }
  };
  return { events, ended, until, stop: () => req?.destroy() };
}
