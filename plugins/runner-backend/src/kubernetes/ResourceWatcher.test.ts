import { ClusterClient } from './ClusterClient';
import { ResourceWatcher, type CacheChange } from './ResourceWatcher';
import { adminObjects, createObject } from './__testUtils__/adminObjects';
import {
  startApiServer,
  type ApiServerProcess,
} from './__testUtils__/apiServerProcess';
import { compactEtcd } from './__testUtils__/etcd';
import {
  HTTP_ROUTES,
  eventually,
  httpRoute,
  routeRef,
} from './__testUtils__/routes';
import { startTcpProxy, type TcpProxy } from './__testUtils__/tcpProxy';
import {
  clusterConfigWithToken,
  createTestNamespace,
  describeWithCluster,
  serviceAccountWithRules,
  uniqueName,
} from './__testUtils__/testCluster';

/*
 * The watch cache against the real API server, and the faults a real one
 * has: a connection cut mid-watch, a connection that stalls, etcd compacted
 * under a resumed watch (410 Gone), and the API server restarted mid-watch.
 * The restarts happen to a second kube-apiserver of this test's own (same
 * etcd and keys), never to the shared one the other suites use; faults on
 * the wire come from a TCP proxy between the plugin and the API server.
 * Objects are written by the test as the admin, straight to the shared API
 * server, so a broken link of the plugin's never hides a write.
 */

jest.setTimeout(120_000);

const names = (changes: CacheChange[]) =>
  changes.map(c => `${c.type} ${c.object.metadata.name}`);

describeWithCluster('ResourceWatcher against the API server', () => {
  let ns: { name: string; remove: () => Promise<void> };
  let token: string;
  let removeAccount: () => Promise<void>;
  const cleanup: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    ns = await createTestNamespace('watch');
    // Watches are cluster-wide, as the plugin's are; a label keeps them to this file's objects.
    const sa = await serviceAccountWithRules({
      namespace: ns.name,
      clusterRules: [
        {
          apiGroups: ['gateway.networking.k8s.io'],
          resources: ['httproutes'],
          verbs: ['list', 'watch'],
        },
      ],
    });
    token = sa.token;
    removeAccount = sa.remove;
  });
  afterEach(async () => {
    while (cleanup.length) await cleanup.pop()!();
  });
  afterAll(async () => {
    await removeAccount();
    await ns.remove();
  });

  function watcher(
    url: string,
    suite: string,
    changes: CacheChange[],
    options: Partial<ConstructorParameters<typeof ResourceWatcher>[0]> = {},
  ) {
    const client = new ClusterClient({
      ...clusterConfigWithToken(token, 'one'),
      url,
      connectionTimeoutMs: 2000,
    });
    const w = new ResourceWatcher({
      api: () => client.api(),
      resource: HTTP_ROUTES,
      labelSelector: `suite=${suite}`,
      indexLabel: 'runner.backstage.io/entity',
      onChange: change => changes.push(change),
      backoff: { initialMs: 50, maxMs: 300 },
      connectTimeoutMs: 2000,
      ...options,
    });
    cleanup.push(() => w.close());
    return w;
  }

  async function proxyTo(url: string): Promise<TcpProxy> {
    const { hostname, port } = new URL(url);
    const proxy = await startTcpProxy({ host: hostname, port: Number(port) });
    cleanup.push(() => proxy.close());
    return proxy;
  }

  const route = (name: string, suite: string) =>
    createObject(httpRoute(ns.name, name, { suite }));
  const remove = async (name: string) => {
    const { apiVersion, kind, namespace } = routeRef(ns.name, name);
    await adminObjects().delete({
      apiVersion,
      kind,
      metadata: { name, namespace },
    });
  };

  it('follows events, and resumes without a re-list after the connection is cut', async () => {
    const suite = uniqueName('cut');
    const proxy = await proxyTo(clusterConfigWithToken(token).url!);
    const changes: CacheChange[] = [];
    const w = watcher(proxy.url, suite, changes);
    await route('before', suite);
    w.start();
    expect(await w.waitForSync(10_000)).toBe(true);
    expect(w.cache.get(ns.name, 'before')).toBeDefined();
    const during = await route('during', suite);
    await eventually(() =>
      expect(w.cache.get(ns.name, 'during')).toBeDefined(),
    );
    expect(
      w.cache
        .byIndex(during.metadata.labels['runner.backstage.io/entity'])
        .map(o => o.metadata.name)
        .sort(),
    ).toEqual(['before', 'during']);

    proxy.cut();
    await remove('before');
    await route('after-cut', suite);
    await eventually(() => {
      expect(w.cache.get(ns.name, 'before')).toBeUndefined();
      expect(w.cache.get(ns.name, 'after-cut')).toBeDefined();
    });
    // The API server's watch cache still held the version: nothing listed again.
    expect(w.listCount).toBe(1);
    expect(proxy.accepted).toBeGreaterThan(1);
    expect(names(changes)).toEqual([
      'ADDED before',
      'ADDED during',
      'DELETED before',
      'ADDED after-cut',
    ]);

    await w.close();
    expect(w.state).toBe('closed');
    await eventually(() => expect(proxy.open).toBe(0), 5000);
  });

  it('notices a stalled connection, says so, and catches up once bytes flow again', async () => {
    const suite = uniqueName('stall');
    const proxy = await proxyTo(clusterConfigWithToken(token).url!);
    const changes: CacheChange[] = [];
    const errors: string[] = [];
    const w = watcher(proxy.url, suite, changes, {
      idleTimeoutMs: 3000,
      onError: error => errors.push(error.message),
    });
    w.start();
    expect(await w.waitForSync(10_000)).toBe(true);
    // The watch is up once it delivers something.
    await route('before-stall', suite);
    await eventually(() =>
      expect(w.cache.get(ns.name, 'before-stall')).toBeDefined(),
    );
    proxy.stall();
    await route('while-stalled', suite);
    // Without a deadline of its own the watch would wait forever: TCP is still up.
    await eventually(() => expect(w.state).toBe('error'), 15_000);
    expect(errors[0]).toBe(
      'the watch of HTTPRoute sent nothing for 3000 ms; reconnecting',
    );
    expect(w.cache.get(ns.name, 'while-stalled')).toBeUndefined();
    proxy.resume();
    await eventually(
      () => expect(w.cache.get(ns.name, 'while-stalled')).toBeDefined(),
      15_000,
    );
    expect(w.state).toBe('synced');
    expect(names(changes)).toEqual([
      'ADDED before-stall',
      'ADDED while-stalled',
    ]);
  });

  describe('with an API server of its own', () => {
    let server: ApiServerProcess;
    afterEach(() => server?.stop());

    it('re-lists when etcd was compacted under a resumed watch (410 Gone)', async () => {
      // This server serves watches from etcd (no watch cache), so a
      // compacted revision is gone for it; the shared one would still have
      // it in its watch cache (see the restart case).
      server = await startApiServer(['--watch-cache=false']);
      const proxy = await proxyTo(server.url);
      const suite = uniqueName('compact');
      const changes: CacheChange[] = [];
      const w = watcher(proxy.url, suite, changes);
      w.start();
      expect(await w.waitForSync(10_000)).toBe(true);
      await route('c-1', suite);
      await eventually(() => expect(w.cache.get(ns.name, 'c-1')).toBeDefined());

      // The watch breaks and cannot come back until etcd has forgotten its revision.
      proxy.stall();
      proxy.cut();
      const c2 = await route('c-2', suite);
      // etcd keeps the revision it compacts at: one more write, so c-2's is gone too.
      await route('noise', 'not-this-watch');
      expect(await compactEtcd()).toBeGreaterThan(
        Number(c2.metadata.resourceVersion),
      );
      proxy.resume();
      await eventually(
        () => expect(w.cache.get(ns.name, 'c-2')).toBeDefined(),
        15_000,
      );
      expect(w.listCount).toBe(2);
      expect(w.state).toBe('synced');
      expect(names(changes)).toEqual(['ADDED c-1', 'ADDED c-2']);
    });

    it('recovers when the API server restarts mid-watch, re-listing what changed while it was down', async () => {
      server = await startApiServer();
      const suite = uniqueName('restart');
      const changes: CacheChange[] = [];
      const errors: string[] = [];
      const w = watcher(server.url, suite, changes, {
        onError: error => errors.push(error.message),
      });
      w.start();
      expect(await w.waitForSync(10_000)).toBe(true);
      await route('r-1', suite);
      await eventually(() => expect(w.cache.get(ns.name, 'r-1')).toBeDefined());

      await server.stop();
      await eventually(() => expect(w.state).toBe('error'));
      // First the watch is cut off, then every retry is refused.
      expect(errors[0]).toBe(
        `the connection to ${server.url} was closed while waiting for an answer`,
      );
      await eventually(() =>
        expect(w.lastError).toBe(
          `connection refused at ${server.url}; the API server is not listening there`,
        ),
      );
      await route('r-2', suite);
      await remove('r-1');
      await server.restart();
      await eventually(() => {
        expect(w.cache.get(ns.name, 'r-2')).toBeDefined();
        expect(w.cache.get(ns.name, 'r-1')).toBeUndefined();
      }, 20_000);
      // A restarted API server's watch cache starts at the present: the old
      // version is "too old" (410), so the watcher lists again.
      expect(w.listCount).toBe(2);
      expect(w.state).toBe('synced');
      expect(names(changes)).toEqual(['ADDED r-1', 'DELETED r-1', 'ADDED r-2']);
      expect(errors.length).toBeGreaterThan(0);
    });
  });
});
