import net from 'node:net';
import type { Server } from 'node:http';
import request from 'supertest';
import {
  startInstance,
  startRunnerBackend,
  waitForState,
} from '../__testUtils__/instanceApi';

/*
 * A restart keeps the published host port on the real engine, and when the
 * port was taken meanwhile the instance gets another one and its events say so.
 */

jest.setTimeout(180_000);

describe('published ports across restarts (real Docker engine)', () => {
  let server: Server;
  let id: string | undefined;
  const holders: net.Server[] = [];

  beforeAll(async () => {
    server = await startRunnerBackend();
  });

  afterAll(async () => {
    if (id) await request(server).delete(`/api/runner/instances/${id}`);
    await Promise.all(holders.map(h => new Promise(r => h.close(r))));
  });

  const restart = async () => {
    const res = await request(server).post(
      `/api/runner/instances/${id}/restart`,
    );
    expect(res.status).toBe(202);
    return waitForState(server, id!, ['running', 'failed']);
  };

  it('restarts on the same host port, and says so when it must change', async () => {
    const started = await startInstance(server, 'hello-http');
    expect(started.status).toBe(202);
    id = started.body.id;
    const first = await waitForState(server, id!, ['running', 'failed']);
    expect(first.state).toBe('running');
    const port = first.ports[0].hostPort;

    const again = await restart();
    expect(again.state).toBe('running');
    expect(again.ports[0].hostPort).toBe(port);
    const served = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect((await served.text()).trim()).toBe('ok');

    // Someone takes the port while the instance is stopped.
    await request(server).post(`/api/runner/instances/${id}/stop`).expect(200);
    const holder = net.createServer();
    holders.push(holder);
    await new Promise<void>(r => holder.listen(port, '127.0.0.1', r));
    const moved = await restart();
    expect(moved.state).toBe('running');
    expect(moved.ports[0].hostPort).not.toBe(port);
    const events = await request(server).get(
      `/api/runner/instances/${id}/events`,
    );
    const running = events.body.items.filter(
      (e: any) => e.toState === 'running',
    );
    expect(running.at(-1).message).toBe(
      `published port 8080/tcp from 127.0.0.1:${port} to 127.0.0.1:${moved.ports[0].hostPort}: the previous host port was in use, so links to it no longer reach this instance`,
    );
    // The earlier restart kept its port and said nothing.
    expect(running.at(-2).message ?? null).toBeNull();
  });
});
