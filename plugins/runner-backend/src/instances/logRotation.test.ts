import fs from 'node:fs/promises';
import path from 'node:path';
import Docker from 'dockerode';
import request from 'supertest';
import type { Server } from 'node:http';
import {
  eventually,
  startInstance,
  startRunnerBackend,
  waitForState,
} from '../__testUtils__/instanceApi';
import {
  type TempComponents,
  tempComponents,
} from '../__testUtils__/tempComponents';

/*
 * A chatty component on the real engine: each container writes 200 MB of
 * output (200,000 numbered lines of ~1 KB, then DONE). The engine's log
 * driver must keep what is on disk under logRotation's cap, and the log
 * route must still answer a tail that spans rotated files.
 */

jest.setTimeout(180_000);

const docker = new Docker();
const runId = `l${Date.now().toString(36)}`;
const MAX_SIZE = 5 * 1024 * 1024;
const MAX_FILES = 3;
const LINES = 200_000;
/** A file may pass max-size by the one message that crossed it (~1 KB of JSON). */
const SLACK = 4096;

const DOCKERFILE = `FROM busybox:latest
CMD ["sh", "-c", "pad=$(head -c 1000 /dev/zero | tr '\\\\0' x); seq 1 ${LINES} | sed \\"s/$/ $pad/\\"; echo DONE; exec sleep 3600"]
`;

let sources: TempComponents;
const names = { json: `chatty-json-${runId}`, local: `chatty-local-${runId}` };
let server: Server;

beforeAll(async () => {
  sources = await tempComponents('logs');
  await sources.write('chatty', 'Dockerfile', DOCKERFILE);
  server = await startRunnerBackend({
    runner: {
      docker: { logRotation: { maxSize: '5m', maxFiles: MAX_FILES } },
      components: {
        [names.local]: { docker: { logRotation: { driver: 'local' } } },
      },
      sources: { allowedLocalRoots: [sources.root] },
    },
    extraEntities: [
      sources.entity(names.json, 'chatty'),
      sources.entity(names.local, 'chatty'),
    ],
  });
});

afterAll(() =>
  sources.cleanup(Object.values(names).map(n => `component:default/${n}`)),
);

const logs = (id: string, tail: number | 'all') =>
  request(server)
    .get(`/api/runner/instances/${id}/logs`)
    .query({ stream: 'run', tail });

async function startAndDrain(name: string) {
  const started = await startInstance(server, name);
  expect(started.status).toBe(202);
  const running = await waitForState(server, started.body.id, ['running']);
  await eventually(
    async () =>
      (await logs(running.id, 1)).text === 'DONE\n' ? true : undefined,
    () => `${name} did not write its 200 MB`,
  );
  return running as { id: string; containerId: string };
}

/** The container's log files, as the engine keeps them on its disk. */
async function logFiles(containerId: string, driver: string) {
  const inspect = await docker.getContainer(containerId).inspect();
  expect(inspect.HostConfig.LogConfig).toEqual({
    Type: driver,
    Config: { 'max-size': String(MAX_SIZE), 'max-file': String(MAX_FILES) },
  });
  // json-file: <container dir>/<id>-json.log[.n]; local: <container dir>/local-logs/.
  const containerDir = path.dirname(inspect.ResolvConfPath);
  const dir =
    driver === 'local' ? path.join(containerDir, 'local-logs') : containerDir;
  const files = (await fs.readdir(dir)).filter(f =>
    driver === 'local'
      ? f.startsWith('container.log')
      : f.includes('-json.log'),
  );
  return Promise.all(
    files.map(async f => ({
      file: f,
      bytes: (await fs.stat(path.join(dir, f))).size,
    })),
  );
}

describe.each([
  ['json-file', () => names.json],
  ['local', () => names.local],
])('the %s log driver', (driver, name) => {
  let instance: { id: string; containerId: string };
  beforeAll(async () => {
    instance = await startAndDrain(name());
  });

  it('keeps 200 MB of output under maxSize × maxFiles on the engine disk', async () => {
    const files = await logFiles(instance.containerId, driver);
    const total = files.reduce((sum, f) => sum + f.bytes, 0);
    // Reported so the numbers can be quoted: what 200 MB of output leaves.
    console.log(`${driver}: ${JSON.stringify(files)} total ${total} bytes`);
    expect(files.length).toBeGreaterThan(1); // it did rotate
    expect(files.length).toBeLessThanOrEqual(MAX_FILES);
    for (const f of files)
      expect(f.bytes).toBeLessThanOrEqual(MAX_SIZE + SLACK);
    expect(total).toBeLessThanOrEqual(MAX_FILES * (MAX_SIZE + SLACK));
  });

  it('answers a tail that spans rotated files, newest line last', async () => {
    // 8,000 lines of ~1 KB are more than one 5 MiB file holds.
    const res = await logs(instance.id, 8000);
    expect(res.status).toBe(200);
    const lines = res.text.trimEnd().split('\n');
    expect(lines).toHaveLength(8000);
    expect(lines[7999]).toBe('DONE');
    const numbers = lines.slice(0, -1).map(l => Number(l.split(' ')[0]));
    expect(numbers[0]).toBe(LINES - 7998);
    expect(numbers.every((n, i) => n === LINES - 7998 + i)).toBe(true);

    // Everything kept: the oldest output is gone, the newest is whole.
    const all = (await logs(instance.id, 'all')).text.trimEnd().split('\n');
    expect(Number(all[0].split(' ')[0])).toBeGreaterThan(LINES / 2);
    expect(all[all.length - 1]).toBe('DONE');
  });
});
