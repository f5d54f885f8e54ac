import http from 'node:http';
import { mockServices } from '@backstage/backend-test-utils';
import { createBackend } from '@backstage/backend-defaults';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { runnerPlugin } from '../plugin';
import { exampleEntities, examplesDir } from '../__testUtils__/exampleEntities';
import { freePort } from '../kubernetes/__testUtils__/apiServerProcess';

/*
 * A followed log over real HTTP through Backstage's production root router
 * (helmet, cors, compression, logging, rate limit: what `backend start`
 * runs; startTestBackend's router has no compression and cannot be
 * replaced), with the test backend's mock services, from a real
 * hello-http container. The client asks for gzip as browsers do: the
 * stream must come back uncompressed, and a line the container writes must
 * reach the client within a second.
 */

jest.setTimeout(120_000);

/** A response whose body is read line by line, each with its arrival time. */
function follow(url: string) {
  const lines: Array<{ text: string; at: number }> = [];
  const waiters: Array<() => void> = [];
  let headers: http.IncomingHttpHeaders | undefined;
  let partial = '';
  const request = http.get(url, {
    headers: { 'accept-encoding': 'gzip, deflate, br' },
  });
  const opened = new Promise<void>((resolve, reject) => {
    request.once('error', reject);
    request.once('response', response => {
      headers = response.headers;
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        const parts = (partial + chunk).split('\n');
        partial = parts.pop() ?? '';
        for (const text of parts) lines.push({ text, at: Date.now() });
        waiters.splice(0).forEach(wake => wake());
      });
      resolve();
    });
  });
  return {
    opened,
    headers: () => headers,
    /** Resolves with the first line (from index `from` on) that matches. */
    async line(pattern: RegExp, from = 0, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = lines.slice(from).find(l => pattern.test(l.text));
        if (found) return found;
        if (Date.now() > deadline) {
          throw new Error(
            `no line matching ${pattern} in ${JSON.stringify(lines)}`,
          );
        }
        await new Promise<void>(resolve => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
    count: () => lines.length,
    close: () => request.destroy(),
  };
}

async function json(url: string, init?: RequestInit): Promise<any> {
  const response = await fetch(url, init);
  return response.json();
}

describe('GET /instances/:id/logs?follow=true through the production router', () => {
  let base: string;
  let instanceId: string | undefined;
  let backend: ReturnType<typeof createBackend>;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}/api/runner`;
    backend = createBackend();
    const features = [
      // startTestBackend's mocks, minus its root router and discovery.
      mockServices.auth.factory(),
      mockServices.auditor.factory(),
      mockServices.cache.factory(),
      mockServices.database.factory(),
      mockServices.httpAuth.factory(),
      mockServices.httpRouter.factory(),
      mockServices.lifecycle.factory(),
      mockServices.logger.factory(),
      mockServices.permissionsRegistry.factory(),
      mockServices.rootHealth.factory(),
      mockServices.rootLifecycle.factory(),
      mockServices.rootLogger.factory(),
      mockServices.scheduler.factory(),
      mockServices.userInfo.factory(),
      mockServices.urlReader.factory(),
      mockServices.events.factory(),
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      mockServices.rootConfig.factory({
        data: {
          backend: {
            baseUrl: `http://127.0.0.1:${port}`,
            listen: { host: '127.0.0.1', port },
          },
          runner: {
            docker: {
              resourceLimits: { memory: '64m', cpus: '0.5', pids: 64 },
              imageCleanupPolicy: 'never',
            },
            sources: { allowedLocalRoots: [examplesDir()] },
          },
        },
      }),
      catalogServiceMock.factory({ entities: exampleEntities() }),
      runnerPlugin,
    ];
    for (const feature of features) backend.add(feature);
    await backend.start();
  });

  afterAll(async () => {
    if (instanceId) {
      await fetch(`${base}/instances/${instanceId}`, { method: 'DELETE' });
    }
    await backend?.stop();
  });

  it('sends the tail at once, uncompressed, then each new line within a second of its writing', async () => {
    const started = await json(
      `${base}/entities/component/default/hello-http/instances`,
      { method: 'POST' },
    );
    instanceId = started.id;
    let instance = started;
    const deadline = Date.now() + 90_000;
    while (!['running', 'failed'].includes(instance.state)) {
      if (Date.now() > deadline) throw new Error(`still ${instance.state}`);
      await new Promise(resolve => setTimeout(resolve, 250));
      instance = await json(`${base}/instances/${instanceId}`);
    }
    expect(instance.state).toBe('running');
    const hostPort = instance.ports[0].hostPort;

    const log = follow(
      `${base}/instances/${instanceId}/logs?stream=run&tail=100&follow=true`,
    );
    await log.opened;
    expect(log.headers()).toMatchObject({
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': 'no-store, no-transform',
    });
    expect(log.headers()!['content-encoding']).toBeUndefined();
    // The tail: what the container printed when it started.
    await log.line(/^hello-http: serving/, 0, 5_000);

    // busybox httpd -v logs every response; a 404 is this test's own line.
    for (let i = 0; i < 3; i++) {
      const from = log.count();
      const requestedAt = Date.now();
      const response = await fetch(`http://127.0.0.1:${hostPort}/follow-${i}`);
      expect(response.status).toBe(404);
      const line = await log.line(/response:404/, from, 5_000);
      expect(line.at - requestedAt).toBeLessThan(1_000);
    }
    log.close();
  });
});
