import path from 'node:path';
import { PassThrough } from 'node:stream';
import {
  BuildCancelledError,
  BuildFailedError,
  RUNNER_LABELS,
  RunnerTimeoutError,
  type BuildRequest,
} from './types';
import {
  EXAMPLES_DIR,
  TEST_RUN_LABEL,
  newRunId,
  pack,
  rawDocker,
  removeRunObjects,
  runRequest,
  tempContext,
  testEngine,
} from './__testUtils__/dockerTestEnv';

/* Builds against the real engine (legacy builder). */

jest.setTimeout(120_000);

const runId = newRunId('build');
const engine = testEngine();
const docker = rawDocker();
const contexts: Array<() => Promise<void>> = [];

afterAll(async () => {
  await removeRunObjects(runId);
  await Promise.all(contexts.map(cleanup => cleanup()));
});

async function context(files: Record<string, string>) {
  const ctx = await tempContext(files);
  contexts.push(ctx.cleanup);
  return ctx.dir;
}

function request(
  dir: string,
  overrides: Partial<BuildRequest> = {},
): BuildRequest & { lines: string[] } {
  const lines: string[] = [];
  return {
    context: pack(dir),
    dockerfile: 'Dockerfile',
    buildArgs: {},
    tag: `runner-test/build:${runId}-${Math.random().toString(36).slice(2, 8)}`,
    labels: { [TEST_RUN_LABEL]: runId },
    timeoutMs: 60_000,
    onLog: line => lines.push(line),
    lines,
    ...overrides,
  };
}

/** Containers (any state) whose command contains the marker. */
async function containersRunning(marker: string) {
  const all = await docker.listContainers({ all: true });
  return all.filter(c => c.Command.includes(marker));
}

describe('build', () => {
  it('builds an example, labels the image and finds it by cache key', async () => {
    const cacheKey = `key-${runId}`;
    const req = request(path.join(EXAMPLES_DIR, 'hello-http'), {
      labels: {
        [TEST_RUN_LABEL]: runId,
        [RUNNER_LABELS.managed]: 'true',
        [RUNNER_LABELS.cacheKey]: cacheKey,
        [RUNNER_LABELS.entityRef]: 'component:default/hello-http',
      },
      buildArgs: { UNUSED: '1' },
    });

    const { imageId } = await engine.build(req);

    expect(imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(req.lines[0]).toMatch(/^Step 1\/\d+ : FROM busybox:latest$/);
    expect(req.lines.some(l => l.startsWith('Successfully tagged'))).toBe(true);
    // Split progress messages ("Step n/m : …" and its "\n") come out as one line.
    expect(req.lines.every(l => !l.includes('\n'))).toBe(true);

    const info = await docker.getImage(req.tag).inspect();
    expect(info.Id).toBe(imageId);
    expect(info.Config.Labels).toMatchObject({
      [RUNNER_LABELS.cacheKey]: cacheKey,
      [RUNNER_LABELS.entityRef]: 'component:default/hello-http',
    });
    // Never on an image: every container started from it would inherit it.
    expect(info.Config.Labels[RUNNER_LABELS.managed]).toBeUndefined();

    await expect(engine.findImage(cacheKey)).resolves.toBe(imageId);
    await expect(
      engine.findImage(`${cacheKey}-other`),
    ).resolves.toBeUndefined();
  });

  it('reports the failing step, the engine message and the log tail', async () => {
    const req = request(path.join(EXAMPLES_DIR, 'broken-build'));

    const error = await engine.build(req).catch(e => e);

    expect(error).toBeInstanceOf(BuildFailedError);
    expect(error.message).toMatch(/returned a non-zero code: 1/);
    expect(error.step).toMatch(
      /^Step 3\/\d+ : RUN echo "compiling broken-build/,
    );
    // The step's stderr, without the engine's colour codes.
    expect(error.logTail).toContain(
      'error: missing file app.conf (expected at /app/app.conf; examples/sources/broken-build fails on purpose)',
    );
    expect(req.lines.at(-1)).toMatch(/^ERROR: The command/);
  });

  it('turns a Dockerfile the engine rejects up front (HTTP 400) into a failed build', async () => {
    const dir = await context({
      Dockerfile: 'FROM busybox:latest\nNOT_AN_INSTRUCTION x\n',
    });

    const error = await engine.build(request(dir)).catch(e => e);

    expect(error).toBeInstanceOf(BuildFailedError);
    expect(error.message).toMatch(/unknown instruction: NOT_AN_INSTRUCTION/i);
  });

  it('aborts at the timeout and leaves no build container running', async () => {
    const marker = `timeout-${runId}`;
    const dir = await context({
      Dockerfile: `FROM busybox:latest\nRUN echo ${marker} && sleep 60\n`,
    });
    const req = request(dir, { timeoutMs: 2_000 });
    const started = Date.now();

    const error = await engine.build(req).catch(e => e);

    expect(error).toBeInstanceOf(RunnerTimeoutError);
    expect(error.operation).toBe('build');
    expect(Date.now() - started).toBeLessThan(10_000);
    // The step really ran in a container before the abort.
    expect(req.lines).toContain(marker);
    expect(req.lines.some(l => / ---> Running in [0-9a-f]+/.test(l))).toBe(
      true,
    );
    // The legacy builder kills and removes the step container when the
    // client goes away; build() waits for that before it rejects.
    expect(await containersRunning(marker)).toEqual([]);
  });

  it('is cancelled through the request signal', async () => {
    const marker = `cancel-${runId}`;
    const dir = await context({
      Dockerfile: `FROM busybox:latest\nRUN echo ${marker} && sleep 60\n`,
    });
    const abort = new AbortController();
    const req = request(dir, {
      signal: abort.signal,
      onLog: line => {
        if (line === marker) abort.abort();
      },
    });

    await expect(engine.build(req)).rejects.toBeInstanceOf(BuildCancelledError);
    expect(await containersRunning(marker)).toEqual([]);
  });

  it('destroys a context it could not send', async () => {
    const broken = new PassThrough();
    const req = request(await context({ Dockerfile: 'FROM busybox:latest\n' }));
    req.context = broken;
    setTimeout(() => broken.destroy(new Error('disk went away')), 50);

    await expect(engine.build(req)).rejects.toThrow(/disk went away/);
    expect(broken.destroyed).toBe(true);
  });
});

describe('removeImage', () => {
  it('removes, reports a missing image, and reports an image in use', async () => {
    const dir = await context({
      Dockerfile: `FROM busybox:latest\nLABEL marker=${runId}-rm\n`,
    });
    const req = request(dir);
    const { imageId } = await engine.build(req);

    // In use by a (stopped) container: reported, not thrown.
    const container = await engine.run(
      runRequest(runId, imageId, { readOnlyRootfs: false }),
    );
    const inUse = await engine.removeImage(imageId);
    expect(inUse).toEqual({
      removed: false,
      reason: 'in-use',
      message: expect.stringMatching(/being used|must be forced/),
    });

    await engine.remove(container.id);
    await expect(engine.removeImage(req.tag)).resolves.toEqual({
      removed: true,
    });
    await expect(engine.removeImage(req.tag)).resolves.toMatchObject({
      removed: false,
      reason: 'not-found',
    });
  });
});
