import net from 'node:net';

/*
 * A TCP proxy on 127.0.0.1 between the plugin and an API server, to break
 * the connection the way networks do: `cut()` resets every open connection
 * (a dropped watch), `stall()` keeps connections open but passes nothing
 * more either way, not even a close (a hung proxy, a half-dead NAT entry),
 * `resume()` lets bytes flow again. TLS passes through untouched: the API server's
 * certificate names 127.0.0.1, so the proxy's address verifies too.
 */

export interface TcpProxy {
  /** `https://127.0.0.1:<port>`: the API server as seen through the proxy. */
  url: string;
  port: number;
  /** Connections open right now. */
  readonly open: number;
  /** Connections accepted since the start. */
  readonly accepted: number;
  cut(): void;
  stall(): void;
  resume(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: {
  host: string;
  port: number;
}): Promise<TcpProxy> {
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  let stalled = false;
  let accepted = 0;

  const server = net.createServer(client => {
    accepted++;
    const upstream = net.connect(target.port, target.host);
    const pair = { client, upstream };
    pairs.add(pair);
    const forward = (from: net.Socket, to: net.Socket) => {
      from.on('data', chunk => {
        // A stalled link swallows bytes: neither side hears anything again.
        if (!stalled) to.write(chunk);
      });
      from.on('end', () => {
        if (!stalled) to.end();
      });
    };
    forward(client, upstream);
    forward(upstream, client);
    const done = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', done).on('close', done);
    upstream.on('error', done).on('close', done);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;

  const proxy: TcpProxy = {
    url: `https://127.0.0.1:${port}`,
    port,
    get open() {
      return pairs.size;
    },
    get accepted() {
      return accepted;
    },
    cut() {
      for (const { client, upstream } of pairs) {
        client.resetAndDestroy();
        upstream.destroy();
      }
      pairs.clear();
    },
    stall() {
      stalled = true;
    },
    resume() {
      stalled = false;
    },
    async close() {
      proxy.cut();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
  return proxy;
}
