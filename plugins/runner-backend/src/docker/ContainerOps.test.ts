import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { NotFoundError } from '@backstage/errors';
import { RUNNER_LABELS, type ContainerState } from './types';
import {
  TEST_RUN_LABEL,
  buildExample,
  newRunId,
  rawDocker,
  removeRunObjects,
  runRequest,
  testEngine,
} from './__testUtils__/dockerTestEnv';

/* Reading and ending containers, against the real engine. */

jest.setTimeout(120_000);

const runId = newRunId('ops');
const engine = testEngine();
const docker = rawDocker();
let exitsEarly: string;
let hello: string;

beforeAll(async () => {
  [exitsEarly, hello] = await Promise.all([
    buildExample(engine, runId, 'exits-early').then(r => r.imageId),
    buildExample(engine, runId, 'hello-http').then(r => r.imageId),
  ]);
});

afterAll(async () => {
  await removeRunObjects(runId);
});

async function readAll(stream: Readable): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of stream) lines.push(line as string);
  return lines;
}

async function waitFor(
  id: string,
  done: (s: ContainerState) => boolean,
): Promise<ContainerState> {
  for (let i = 0; i < 100; i++) {
    const state = await engine.inspect(id);
    if (state && done(state)) return state;
    await sleep(200);
  }
  throw new Error(`container ${id} never reached the expected state`);
}

describe('logs', () => {
  it('follows stdout and stderr line by line until the container exits, then tails', async () => {
    const state = await engine.run(
      runRequest(runId, exitsEarly, { env: { WORK_SECONDS: '2' } }),
    );

    const followed = await readAll(
      engine.logs(state.id, { follow: true, tail: 'all' }),
    );

    // Ended by itself: the container exited.
    expect(followed).toEqual([
      'exits-early: starting, will exit with code 3 after 2s\n',
      'exits-early: working (1/2)\n',
      'exits-early: working (2/2)\n',
      'exits-early: fatal: lost connection to the (imaginary) database, exiting with code 3\n',
    ]);
    const exited = await waitFor(state.id, s => s.status === 'exited');
    expect(exited.exitCode).toBe(3);
    expect(exited.oomKilled).toBe(false);

    const tail = await readAll(
      engine.logs(state.id, { follow: false, tail: 2 }),
    );
    expect(tail).toEqual(followed.slice(-2));

    const stamped = await readAll(
      engine.logs(state.id, { follow: false, tail: 1, timestamps: true }),
    );
    expect(stamped[0]).toMatch(/^\d{4}-\d\d-\d\dT\S+Z exits-early: fatal/);
  });

  it('stops following when the reader goes away', async () => {
    const state = await engine.run(runRequest(runId, hello));
    const stream = engine.logs(state.id, { follow: true, tail: 'all' });
    const first = await new Promise<string>((resolve, reject) => {
      stream.once('data', resolve);
      stream.once('error', reject);
    });
    expect(first).toMatch(/^hello-http: serving/);
    stream.destroy();
    await new Promise(resolve => stream.once('close', resolve));
    await engine.remove(state.id);
  });

  it('fails the stream with NotFoundError for an unknown container', async () => {
    const stream = engine.logs(`nope-${runId}`, { follow: false, tail: 10 });
    await expect(readAll(stream)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('stop, remove, inspect', () => {
  it('stops a running container, and stopping or removing again is a no-op', async () => {
    const state = await engine.run(runRequest(runId, hello));
    expect(state.status).toBe('running');

    const started = Date.now();
    await engine.stop(state.id, 10);
    // hello-http handles SIGTERM: no wait for the SIGKILL.
    expect(Date.now() - started).toBeLessThan(5_000);
    const stopped = await engine.inspect(state.id);
    expect(stopped).toMatchObject({ status: 'exited', exitCode: 0 });
    // A stopped container still reports the ports it was created with.
    expect(stopped?.ports).toEqual(state.ports);

    await engine.stop(state.id, 10);
    await engine.remove(state.id);
    await engine.remove(state.id);
    await engine.stop(state.id, 10);
    await expect(engine.inspect(state.id)).resolves.toBeUndefined();
  });

  it('reads one stats sample', async () => {
    const state = await engine.run(runRequest(runId, hello));
    const stats = await engine.statsOnce(state.id);
    expect(stats?.memory_stats.limit).toBe(64 * 1024 * 1024);
    expect(stats?.pids_stats?.limit).toBe(64);
    expect(stats?.cpu_stats.cpu_usage.total_usage).toBeGreaterThan(0);
    await engine.remove(state.id);
    await expect(engine.statsOnce(state.id)).resolves.toBeUndefined();
  });
});

describe('listManaged', () => {
  it('finds managed containers in any state, and only those', async () => {
    const running = await engine.run(runRequest(runId, hello));
    const exited = await engine.run(
      runRequest(runId, exitsEarly, { env: { WORK_SECONDS: '0' } }),
    );
    await waitFor(exited.id, s => s.status === 'exited');
    // Same image and run label, but not created by the runner.
    const foreign = await docker.createContainer({
      Image: hello,
      name: `${runId}-foreign`,
      Labels: { [TEST_RUN_LABEL]: runId },
    });

    const mine = (await engine.listManaged()).filter(
      c => c.labels[TEST_RUN_LABEL] === runId,
    );

    const byId = new Map(mine.map(c => [c.id, c]));
    expect(byId.get(running.id)).toMatchObject({ status: 'running' });
    expect(byId.get(exited.id)).toMatchObject({
      status: 'exited',
      exitCode: 3,
    });
    expect(byId.has(foreign.id)).toBe(false);
    expect(mine.every(c => c.labels[RUNNER_LABELS.managed] === 'true')).toBe(
      true,
    );
  });
});
