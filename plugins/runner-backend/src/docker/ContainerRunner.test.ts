import http from 'node:http';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ContainerRunner } from './ContainerRunner';
import {
  ContainerStartError,
  ImageNotFoundError,
  PortInUseError,
  RUNNER_LABELS,
} from './types';
import {
  TEST_RUN_LABEL,
  buildExample,
  newRunId,
  pack,
  rawDocker,
  removeRunObjects,
  runRequest,
  tempContext,
  testEngine,
} from './__testUtils__/dockerTestEnv';

/* run() against the real engine: the hardening must be visible in `docker inspect`. */

jest.setTimeout(120_000);

const runId = newRunId('run');
const engine = testEngine();
const docker = rawDocker();
let helloImage: string;

beforeAll(async () => {
  helloImage = (await buildExample(engine, runId, 'hello-http')).imageId;
});

afterAll(async () => {
  await removeRunObjects(runId);
});

function get(
  port: number,
  path: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: '127.0.0.1', port, path, timeout: 2_000 },
      res => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', chunk => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
  });
}

async function getWithRetry(port: number, path: string) {
  for (let i = 0; ; i++) {
    try {
      return await get(port, path);
    } catch (error) {
      if (i >= 40) throw error;
      await sleep(250);
    }
  }
}

function listen(port = 0): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

async function containersNamed(name: string) {
  return docker.listContainers({
    all: true,
    filters: { name: [`^/${name}$`] },
  });
}

describe('run', () => {
  it('creates a hardened container that answers on 127.0.0.1 only', async () => {
    const req = runRequest(runId, helloImage, {
      env: { GREETING: 'hello from the test' },
      ports: [{ containerPort: 8080, protocol: 'tcp' }],
      securityOptions: ['label=disable'],
    });

    const state = await engine.run(req);

    expect(state).toMatchObject({
      name: req.name,
      status: 'running',
      exitCode: null,
      oomKilled: false,
    });
    expect(state.labels).toMatchObject({
      ...req.labels,
      [RUNNER_LABELS.managed]: 'true',
    });
    expect(state.ports).toHaveLength(1);
    const [published] = state.ports;
    expect(published).toMatchObject({
      containerPort: 8080,
      protocol: 'tcp',
      hostIp: '127.0.0.1',
    });

    const info = await docker.getContainer(state.id).inspect();
    const host = info.HostConfig;
    expect(host.CapDrop).toEqual(['ALL']);
    expect(host.CapAdd ?? []).toEqual([]);
    expect(host.SecurityOpt).toEqual(['no-new-privileges', 'label=disable']);
    expect(host.PidsLimit).toBe(64);
    expect(host.Memory).toBe(64 * 1024 * 1024);
    expect(host.MemorySwap).toBe(host.Memory);
    expect(host.NanoCpus).toBe(500_000_000);
    expect(host.Init).toBe(true);
    expect(host.ReadonlyRootfs).toBe(true);
    expect(host.Tmpfs).toEqual({ '/tmp': 'rw,noexec,nosuid,nodev,size=64m' });
    expect(host.Privileged).toBe(false);
    expect(host.NetworkMode).toBe('bridge');
    expect(host.RestartPolicy?.Name).toBe('no');
    expect(host.Binds ?? []).toEqual([]);
    expect(host.Devices ?? []).toEqual([]);
    expect(info.Mounts).toEqual([]);
    expect(info.Config.ExposedPorts).toEqual({ '8080/tcp': {} });
    expect(info.NetworkSettings.Ports['8080/tcp']).toEqual([
      { HostIp: '127.0.0.1', HostPort: String(published.hostPort) },
    ]);

    // The service really answers on the published loopback port.
    await expect(getWithRetry(published.hostPort, '/healthz')).resolves.toEqual(
      {
        status: 200,
        body: expect.stringMatching(/^ok\s*$/),
      },
    );
    const hello = await get(published.hostPort, '/cgi-bin/hello');
    expect(hello.body).toContain('hello from the test');

    await engine.remove(state.id);
    await expect(engine.inspect(state.id)).resolves.toBeUndefined();
  });

  it('refuses a fixed host port that is taken, naming it, and creates nothing', async () => {
    const server = await listen();
    const port = (server.address() as net.AddressInfo).port;
    const req = runRequest(runId, helloImage, {
      ports: [{ containerPort: 8080, protocol: 'tcp', hostPort: port }],
    });
    try {
      const error = await engine.run(req).catch(e => e);
      expect(error).toBeInstanceOf(PortInUseError);
      expect(error.hostPort).toBe(port);
      expect(error.message).toContain(`127.0.0.1:${port}`);
      expect(await containersNamed(req.name)).toEqual([]);
    } finally {
      server.close();
    }
  });

  it('maps a bind conflict reported by the engine at start and removes the container', async () => {
    // Skipping the local check stands in for a port taken between check and start.
    const runner = new ContainerRunner(docker, false);
    const server = await listen();
    const port = (server.address() as net.AddressInfo).port;
    const req = runRequest(runId, helloImage, {
      ports: [{ containerPort: 8080, protocol: 'tcp', hostPort: port }],
    });
    try {
      const error = await runner.run(req).catch(e => e);
      expect(error).toBeInstanceOf(PortInUseError);
      expect(error.hostPort).toBe(port);
      expect(await containersNamed(req.name)).toEqual([]);
    } finally {
      server.close();
    }
  });

  it('detects an OOM kill at the memory limit', async () => {
    const { imageId } = await buildExample(engine, runId, 'memory-hog');
    const state = await engine.run(
      runRequest(runId, imageId, {
        env: { HOG_MB: '200', HOG_DELAY: '0' },
        limits: { memoryBytes: 32 * 1024 * 1024, nanoCpus: 1e9, pidsLimit: 32 },
      }),
    );

    let final = state;
    for (let i = 0; i < 80 && final.status === 'running'; i++) {
      await sleep(250);
      final = (await engine.inspect(state.id)) ?? final;
    }
    expect(final).toMatchObject({
      status: 'exited',
      oomKilled: true,
      exitCode: 137,
    });
    expect(final.finishedAt).toBeDefined();
    await engine.remove(state.id);
  });

  it('throws the engine reason for a container that cannot start, and removes it', async () => {
    const ctx = await tempContext({
      // An unknown user fails the start itself. (A missing command does not:
      // with Init the init process starts and exits 127.)
      Dockerfile: `FROM busybox:latest\nUSER nosuchuser\nCMD ["sleep", "60"]\n`,
    });
    let image: string;
    try {
      ({ imageId: image } = await engine.build({
        context: pack(ctx.dir),
        dockerfile: 'Dockerfile',
        buildArgs: {},
        tag: `runner-test/bad-user:${runId}`,
        labels: { [TEST_RUN_LABEL]: runId },
        timeoutMs: 60_000,
        onLog: () => {},
      }));
    } finally {
      await ctx.cleanup();
    }

    const req = runRequest(runId, image);

    const error = await engine.run(req).catch(e => e);

    expect(error).toBeInstanceOf(ContainerStartError);
    expect(error.reason).toMatch(/unable to find user nosuchuser/);
    expect(await containersNamed(req.name)).toEqual([]);
  });

  it('fails before creating anything for an image that does not exist', async () => {
    const req = runRequest(runId, `runner-test/none:${runId}`);
    await expect(engine.run(req)).rejects.toBeInstanceOf(ImageNotFoundError);
    expect(await containersNamed(req.name)).toEqual([]);
  });
});
