import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { DockerEngine } from './DockerEngine';
import {
  CLOCK_SKEW_MS,
  ENGINE_SHUTDOWN_LAG_MS,
  EngineOutages,
} from './engineOutages';

const T0 = Date.parse('2026-11-26T10:00:00Z');
const at = (ms: number) => new Date(T0 + ms);

describe('EngineOutages', () => {
  let now = T0;
  let outages: EngineOutages;
  beforeEach(() => {
    now = T0;
    outages = new EngineOutages(() => now);
  });

  it('explains a container that died shortly before the stream dropped, or while it was down', () => {
    now = T0 + 10_000;
    outages.lost(); // the stream ends 10 s after the container died at T0
    now = T0 + 40_000;
    outages.regained();
    const outage = { from: at(10_000), to: at(40_000) };
    expect(outages.around(at(0), at(-60_000))).toEqual(outage);
    // Stopped by the engine while it restored its containers, before we reconnected.
    expect(outages.around(at(35_000), at(-60_000))).toEqual(outage);
    // Too long before the drop, or after we were back: the engine was there.
    expect(
      outages.around(at(10_000 - ENGINE_SHUTDOWN_LAG_MS - 1), at(-60_000)),
    ).toBeUndefined();
    expect(
      outages.around(at(40_000 + CLOCK_SKEW_MS + 1), at(-60_000)),
    ).toBeUndefined();
    // Started after the engine was back: the outage cannot have taken it down.
    expect(outages.around(at(41_000), at(40_500))).toBeUndefined();
  });

  it('counts an outage that still lasts, once, and a gone container by its running time', () => {
    outages.lost();
    now = T0 + 5_000;
    outages.lost(); // still the same outage
    expect(outages.around(at(4_000), at(-1))).toEqual({ from: at(0) });
    outages.regained();
    now = T0 + 600_000;
    // Gone without a finish time: any outage since it started running.
    expect(outages.around(undefined, at(-1_000))).toEqual({
      from: at(0),
      to: at(5_000),
    });
    expect(outages.around(undefined, at(6_000))).toBeUndefined();
  });
});

/*
 * The engine's shutdown, played on a unix socket: it closes its listener
 * (new connections are refused) while open connections still get answers.
 * engineOutage() must notice from a fresh connection, not a kept-alive one.
 */
describe('DockerEngine.engineOutage', () => {
  let dir: string;
  let server: http.Server;
  let engine: DockerEngine;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runner-outage-'));
    const socketPath = path.join(dir, 'docker.sock');
    server = http.createServer((_req, res) => res.end('OK'));
    await new Promise<void>(resolve => server.listen(socketPath, resolve));
    engine = new DockerEngine({
      host: `unix://${socketPath}`,
      connectionTimeoutMs: 2_000,
    });
  });
  afterEach(async () => {
    server.closeAllConnections();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('reports no outage while the engine answers, and one once it refuses new connections', async () => {
    const justNow = new Date(Date.now() - 1_000);
    expect(await engine.engineOutage(justNow, new Date(0))).toBeUndefined();
    expect((await engine.health()).reachable).toBe(true); // leaves a kept-alive connection

    server.close(); // the listener goes; open connections stay
    const outage = await engine.engineOutage(new Date(), new Date(0));
    expect(outage?.from.getTime()).toBeGreaterThan(justNow.getTime());
    expect(outage?.to).toBeUndefined();
    // A container that stopped long ago is not the engine's doing now.
    expect(
      await engine.engineOutage(
        new Date(Date.now() - 10 * ENGINE_SHUTDOWN_LAG_MS),
        new Date(0),
      ),
    ).toBeUndefined();
  });
});
