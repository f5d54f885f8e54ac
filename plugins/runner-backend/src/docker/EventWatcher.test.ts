import Docker from 'dockerode';
import http from 'node:http';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventWatcher, toContainerEvent } from './EventWatcher';
import { RUNNER_LABELS, type ContainerEvent } from './types';
import {
  newRunId,
  removeRunObjects,
  runRequest,
  testEngine,
} from './__testUtils__/dockerTestEnv';

jest.setTimeout(60_000);

async function until(check: () => boolean, what: string, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

function timers(): number {
  return process
    .getActiveResourcesInfo()
    .filter(resource => resource === 'Timeout').length;
}

describe('against the real engine', () => {
  const runId = newRunId('events');
  const engine = testEngine();

  afterAll(async () => {
    await removeRunObjects(runId);
  });

  it('delivers start and die of a managed container, with labels and exit code', async () => {
    const events: ContainerEvent[] = [];
    let resyncs = 0;
    const errors: Error[] = [];
    const subscription = engine.watchEvents(
      event => events.push(event),
      () => resyncs++,
      { onError: error => errors.push(error) },
    );
    try {
      await until(() => resyncs === 1, 'the stream to open');

      // busybox's default command (sh without input) exits at once with 0.
      const req = runRequest(runId, 'busybox:latest');
      const state = await engine.run(req);
      const mine = () => events.filter(e => e.containerId === state.id);
      await until(() => mine().some(e => e.action === 'die'), 'die');

      const actions = mine().map(e => e.action);
      expect(actions.indexOf('start')).toBeGreaterThanOrEqual(0);
      expect(actions.indexOf('start')).toBeLessThan(actions.indexOf('die'));
      const die = mine().find(e => e.action === 'die')!;
      expect(die).toMatchObject({
        exitCode: 0,
        name: req.name,
        labels: expect.objectContaining({
          [RUNNER_LABELS.managed]: 'true',
          [RUNNER_LABELS.instanceId]: runId,
        }),
      });
      expect(die.labels.name).toBeUndefined();
      expect(Math.abs(die.time - Date.now())).toBeLessThan(60_000);
      expect(errors).toEqual([]);
    } finally {
      subscription.close();
    }
    expect(resyncs).toBe(1);
  });
});

/*
 * A stand-in for the engine's /events endpoint: the shared engine cannot be
 * restarted by a test, so stream ends, engine downtime and odd chunking are
 * played by this server on a unix socket.
 */
describe('reconnecting (stand-in engine)', () => {
  let dir: string;
  let socketPath: string;
  let server: http.Server | undefined;
  let connections: http.ServerResponse[] = [];
  let onRequest: (res: http.ServerResponse, n: number) => void;
  let requests: string[] = [];

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runner-events-'));
    socketPath = path.join(dir, 'docker.sock');
    connections = [];
    requests = [];
  });

  afterEach(async () => {
    connections.forEach(res => res.destroy());
    await new Promise(resolve => (server ? server.close(resolve) : resolve(0)));
    server = undefined;
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function startServer() {
    server = http.createServer((req, res) => {
      requests.push(req.url ?? '');
      connections.push(res);
      // Connection: close keeps keep-alive timers out of the timer count below.
      res.writeHead(200, {
        'content-type': 'application/json',
        connection: 'close',
      });
      res.flushHeaders(); // as the engine does: the stream is open before any event
      onRequest(res, connections.length);
    });
    await new Promise<void>(resolve => server!.listen(socketPath, resolve));
  }

  function event(id: string, action: string, extra = {}) {
    return JSON.stringify({
      Type: 'container',
      Action: action,
      status: action,
      id,
      Actor: {
        ID: id,
        Attributes: {
          name: 'c1',
          image: 'img',
          [RUNNER_LABELS.managed]: 'true',
          ...extra,
        },
      },
      time: 1700000000,
      timeNano: 1700000000123456789,
    });
  }

  function watcher(
    events: ContainerEvent[],
    onResync: () => void,
    errors: Error[] = [],
    connectionChanges: boolean[] = [],
  ) {
    return new EventWatcher(
      new Docker({ socketPath }),
      e => events.push(e),
      onResync,
      {
        initialDelayMs: 20,
        maxDelayMs: 80,
        healthyAfterMs: 10_000,
        onError: e => errors.push(e),
        onConnectionChange: connected => connectionChanges.push(connected),
      },
    ).start();
  }

  it('parses split and concatenated events, reconnects after the stream ends, and resyncs each time', async () => {
    onRequest = (res, n) => {
      if (n === 1) {
        // Two events in one chunk, the third split mid-document (and mid UTF-8).
        const third = event('c3', 'die', { exitCode: '137', note: 'ünïcode' });
        const bytes = Buffer.from(
          `${event('c1', 'start')}\n${event('c2', 'start')}\n${third}\n`,
        );
        const cut = bytes.indexOf(Buffer.from('ü')) + 1;
        res.write(bytes.subarray(0, cut));
        setTimeout(() => {
          res.write(bytes.subarray(cut));
          res.end(); // the engine went away
        }, 30);
      } else {
        res.write(`${event('c4', 'health_status: healthy')}\r\n`);
      }
    };
    await startServer();
    const events: ContainerEvent[] = [];
    const errors: Error[] = [];
    const changes: boolean[] = [];
    let resyncs = 0;
    const subscription = watcher(events, () => resyncs++, errors, changes);
    try {
      await until(() => events.length === 4, 'four events');
      expect(resyncs).toBe(2);
      // Up, down when the stream ended, up again: what engine outages are made of.
      expect(changes).toEqual([true, false, true]);
      expect(events.map(e => [e.containerId, e.action])).toEqual([
        ['c1', 'start'],
        ['c2', 'start'],
        ['c3', 'die'],
        ['c4', 'health_status: healthy'],
      ]);
      expect(events[2]).toEqual({
        containerId: 'c3',
        action: 'die',
        exitCode: 137,
        name: 'c1',
        image: 'img',
        labels: { [RUNNER_LABELS.managed]: 'true', note: 'ünïcode' },
        time: 1700000000123,
      });
      expect(errors.map(e => e.message)).toEqual([
        'the Docker events stream ended',
      ]);
      // The filter reaches the engine.
      const query = new URL(requests[0], 'http://x').searchParams;
      expect(JSON.parse(query.get('filters')!)).toEqual({
        type: ['container'],
        label: [`${RUNNER_LABELS.managed}=true`],
      });
    } finally {
      subscription.close();
    }
  });

  it('retries while the engine is down, then resyncs once it answers', async () => {
    onRequest = () => {};
    const errors: Error[] = [];
    const changes: boolean[] = [];
    let resyncs = 0;
    const subscription = watcher([], () => resyncs++, errors, changes);
    try {
      await until(() => errors.length >= 3, 'three failed attempts');
      expect(resyncs).toBe(0);
      expect(errors[0].message).toMatch(/could not be opened/);
      expect(new Set(changes)).toEqual(new Set([false]));
      await startServer();
      await until(() => resyncs === 1, 'a resync');
      expect(changes[changes.length - 1]).toBe(true);
    } finally {
      subscription.close();
    }
  });

  it('close() ends the stream and leaves no timer behind, even mid-backoff', async () => {
    onRequest = res => res.end(); // every stream ends at once: constant reconnecting
    await startServer();
    const before = timers();
    let resyncs = 0;
    const events: ContainerEvent[] = [];
    const subscription = watcher(events, () => resyncs++);
    await until(() => resyncs >= 2, 'two connections');

    subscription.close();
    const seen = connections.length;
    await sleep(300); // several max backoffs
    expect(connections.length).toBe(seen);
    expect(timers()).toBeLessThanOrEqual(before);
  });

  it('keeps watching when a callback throws', async () => {
    onRequest = res =>
      res.write(`${event('c1', 'start')}\n${event('c2', 'start')}\n`);
    await startServer();
    const errors: Error[] = [];
    const seen: string[] = [];
    const subscription = new EventWatcher(
      new Docker({ socketPath }),
      e => {
        seen.push(e.containerId);
        throw new Error('boom');
      },
      () => Promise.reject(new Error('resync failed')),
      { onError: e => errors.push(e) },
    ).start();
    try {
      await until(() => seen.length === 2, 'both events');
      await until(() => errors.length === 3, 'three reported errors');
      expect(errors.map(e => e.message).sort()).toEqual([
        'an events callback failed: boom',
        'an events callback failed: boom',
        'an events callback failed: resync failed',
      ]);
    } finally {
      subscription.close();
    }
  });
});

describe('toContainerEvent', () => {
  it('ignores events that are not about containers', () => {
    expect(
      toContainerEvent({ Type: 'network', Action: 'connect' }),
    ).toBeUndefined();
    expect(toContainerEvent('nope')).toBeUndefined();
  });

  it('reads the legacy fields when Type/Action are missing', () => {
    expect(toContainerEvent({ status: 'stop', id: 'abc', time: 2 })).toEqual({
      containerId: 'abc',
      action: 'stop',
      labels: {},
      exitCode: undefined,
      name: undefined,
      image: undefined,
      time: 2000,
    });
  });
});
