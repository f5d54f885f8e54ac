import type { KubernetesTestServer } from './KubernetesTestServer';
import {
  ROUTES,
  httpRoute,
  rawWatch,
  startProtocolServer,
  type Call,
} from './__testUtils__/protocolClient';

/*
 * Watches on the stand-in API server at the wire level: JSON lines,
 * resourceVersions, bookmarks, selector transitions, 410 Gone, stop/restart.
 */

describe('KubernetesTestServer watch protocol', () => {
  let server: KubernetesTestServer;
  let call: Call;

  beforeAll(async () => {
    ({ server, call } = await startProtocolServer());
  });
  afterAll(() => server.stop());

  it('streams ADDED, MODIFIED, DELETED and BOOKMARK lines from a resourceVersion, filtered by label', async () => {
    const from = server.resourceVersion;
    const w = rawWatch(
      server,
      `resourceVersion=${from}&allowWatchBookmarks=true&labelSelector=${encodeURIComponent(
        'watch=me',
      )}`,
    );
    const route = {
      ...httpRoute('watched'),
      metadata: {
        ...httpRoute().metadata,
        name: 'watched',
        labels: { watch: 'me' },
      },
    };
    const created = (await call('POST', ROUTES, route)).body;
    await call('POST', ROUTES, httpRoute('unwatched'));
    const modified = (
      await call('PUT', `${ROUTES}/watched`, {
        ...created,
        spec: { ...created.spec, hostnames: ['x.example.com'] },
      })
    ).body;
    // No longer matching the selector: the watcher sees it go.
    await call('PUT', `${ROUTES}/watched`, {
      ...modified,
      metadata: { ...modified.metadata, labels: { watch: 'no' } },
    });
    server.sendBookmarks();
    await w.until(() => w.events.some(e => e.type === 'BOOKMARK'));
    w.stop();
    expect(w.events.map(e => e.type)).toEqual([
      'ADDED',
      'MODIFIED',
      'DELETED',
      'BOOKMARK',
    ]);
    expect(w.events[0].object.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(Number(w.events[3].object.metadata.resourceVersion)).toBe(
      server.resourceVersion,
    );
  });

  it('replays current objects as ADDED without a resourceVersion', async () => {
    const w = rawWatch(server, 'labelSelector=watch%3Dno');
    await w.until(() => w.events.length > 0);
    w.stop();
    expect(w.events).toEqual([expect.objectContaining({ type: 'ADDED' })]);
    expect(w.events[0].object.metadata.name).toBe('watched');
  });

  it('sends a 410 Expired ERROR event for a resourceVersion older than the window', async () => {
    const old = server.resourceVersion;
    await call('POST', ROUTES, httpRoute('compacted'));
    server.compactHistory();
    const w = rawWatch(server, `resourceVersion=${old}`);
    await w.ended;
    expect(w.events).toEqual([
      {
        type: 'ERROR',
        object: expect.objectContaining({
          kind: 'Status',
          code: 410,
          reason: 'Expired',
          message: `too old resource version: ${old} (${server.resourceVersion})`,
        }),
      },
    ]);
  });

  it('ends open watches on stop, and serves the same objects on the same port after restart', async () => {
    const w = rawWatch(server, `resourceVersion=${server.resourceVersion}`);
    await new Promise(r => setTimeout(r, 50));
    expect(server.openWatches).toBe(1);
    const url = server.url;
    await server.stop();
    await w.ended;
    expect(server.openWatches).toBe(0);
    await expect(fetch(`${url}/version`)).rejects.toThrow();
    await server.restart();
    expect(server.url).toBe(url);
    expect((await call('GET', `${ROUTES}/watched`)).status).toBe(200);
  });
});
