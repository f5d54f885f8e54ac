import Docker from 'dockerode';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tar from 'tar-fs';
import { classifyError } from './classifyError';

/*
 * Live: real failures of the real engine (DOCKER_HOST, started by
 * scripts/bootstrap.sh), through dockerode, classified as they arrive. Only
 * the local busybox:latest image is used; nothing is pulled.
 */
jest.setTimeout(60_000);

function dockerFromEnv(): Docker {
  // Kept local so that these tests depend on nothing but dockerode.
  const host = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
  const url = new URL(host);
  if (url.protocol === 'unix:') return new Docker({ socketPath: url.pathname });
  return new Docker({
    host: url.hostname,
    port: Number(url.port || 2375),
    protocol: 'http',
  });
}

const docker = dockerFromEnv();
const created: Docker.Container[] = [];
const LABELS = { 'backstage-runner.test': 'errors-classifier' };

afterAll(async () => {
  await Promise.all(
    created.map(c => c.remove({ force: true }).catch(() => undefined)),
  );
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

async function container(
  options: Partial<Docker.ContainerCreateOptions>,
): Promise<Docker.Container> {
  const c = await docker.createContainer({
    Image: 'busybox:latest',
    Labels: LABELS,
    ...options,
  });
  created.push(c);
  return c;
}

function publishing(port: number): Partial<Docker.ContainerCreateOptions> {
  return {
    Cmd: ['sleep', '30'],
    ExposedPorts: { '80/tcp': {} },
    HostConfig: {
      PortBindings: {
        '80/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }],
      },
    },
  };
}

/** Builds a context directory and returns the engine's error items (a failed build still answers HTTP 200). */
async function buildContextErrors(dir: string): Promise<any[]> {
  // tar-fs's Pack is a Readable; @types/tar-fs and @types/dockerode disagree on the type.
  const context = tar.pack(dir) as unknown as NodeJS.ReadableStream;
  // forcerm: the classic builder otherwise keeps the failed step's container.
  const stream: NodeJS.ReadableStream = await docker.buildImage(context, {
    forcerm: true,
    labels: LABELS,
  });
  const items: any[] = await new Promise((resolve, reject) =>
    docker.modem.followProgress(stream, (err: unknown, out: any[]) =>
      err ? reject(err) : resolve(out),
    ),
  );
  return items.filter(item => item.error || item.errorDetail);
}

/** The same for a one-file context holding only this Dockerfile. */
async function buildErrors(dockerfile: string): Promise<unknown[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'classifier-build-'));
  try {
    fs.writeFileSync(path.join(dir, 'Dockerfile'), dockerfile);
    return await buildContextErrors(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the engine to refuse');
}

describe('classifyError against the real Docker engine', () => {
  it('an engine socket that does not exist is DOCKER_UNREACHABLE', async () => {
    const socketPath = path.join(os.tmpdir(), `no-engine-${process.pid}.sock`);
    const error = await caught(new Docker({ socketPath }).version());
    const result = classifyError(error);
    expect(result).toMatchObject({
      code: 'DOCKER_UNREACHABLE',
      recoverable: true,
      origin: 'platform',
    });
    expect(result.userMessage).toContain(socketPath);
  });

  it('a host port published twice is PORT_IN_USE, naming the port', async () => {
    const port = await freePort();
    await (await container(publishing(port))).start();
    const second = await container(publishing(port));
    const result = classifyError(await caught(second.start()), {
      operation: 'run',
    });
    expect(result.code).toBe('PORT_IN_USE');
    expect(result.userMessage).toBe(
      `Host port 127.0.0.1:${port} is already taken.`,
    );
    expect(result.detail).toContain('port is already allocated');
  });

  it('a host port held by another process is PORT_IN_USE', async () => {
    const holder = net.createServer();
    await new Promise<void>(resolve => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as net.AddressInfo;
    try {
      const c = await container(publishing(port));
      const result = classifyError(await caught(c.start()), {
        operation: 'run',
      });
      expect(result.code).toBe('PORT_IN_USE');
      expect(result.userMessage).toContain(String(port));
    } finally {
      await new Promise(resolve => holder.close(resolve));
    }
  });

  it('a memory limit of 1 KiB is INVALID_RESOURCE_LIMIT', async () => {
    const error = await caught(
      container({ Cmd: ['true'], HostConfig: { Memory: 1024 } }),
    );
    const result = classifyError(error, {
      operation: 'run',
      entityRef: 'component:default/hello-http',
    });
    expect(result.code).toBe('INVALID_RESOURCE_LIMIT');
    expect(result.userMessage).toMatch(/Minimum memory limit/);
    expect(result.remediation).toContain(
      'runner.components.hello-http.docker.resourceLimits',
    );
  });

  it('a container past its memory limit is OOM_KILLED', async () => {
    const c = await container({
      Cmd: ['sh', '-c', 'head -c 64m /dev/zero | tail'],
      HostConfig: { Memory: 8 * 1024 * 1024, MemorySwap: 8 * 1024 * 1024 },
    });
    await c.start();
    await c.wait();
    const { State } = await c.inspect();
    expect(classifyError(State, { operation: 'run' }).code).toBe('OOM_KILLED');
  });

  it('a container that is gone is CONTAINER_NOT_FOUND', async () => {
    const error = await caught(
      docker.getContainer('no-such-container-for-classifier').inspect(),
    );
    expect(classifyError(error, { operation: 'stop' }).code).toBe(
      'CONTAINER_NOT_FOUND',
    );
  });

  it('RUN exit 1 is BUILD_STEP_FAILED', async () => {
    const [item] = await buildErrors('FROM busybox:latest\nRUN exit 1\n');
    const result = classifyError(item, { operation: 'build' });
    expect(result.code).toBe('BUILD_STEP_FAILED');
    expect(result.userMessage).toContain('exit code 1');
  });

  it("the broken-build example's failure is BUILD_STEP_FAILED, with a remediation", async () => {
    const dir = path.resolve(
      __dirname,
      '../../../../examples/sources/broken-build',
    );
    const [item] = await buildContextErrors(dir);
    const result = classifyError(item, {
      operation: 'build',
      entityRef: 'component:default/broken-build',
    });
    expect(result).toMatchObject({
      category: 'build',
      code: 'BUILD_STEP_FAILED',
      recoverable: false,
    });
    expect(result.userMessage).toMatch(
      /^The Dockerfile command `\/bin\/sh -c echo "compiling broken-build\.\.\.".*` failed with exit code 1\.$/,
    );
    expect(result.remediation).toContain('runner.backstage.io/dockerfile');
    expect(result.detail).toContain('app.conf');
  });

  it('a base image that is not local, with its registry unreachable, is BASE_IMAGE_MISSING', async () => {
    const closed = await freePort();
    const [item] = await buildErrors(`FROM 127.0.0.1:${closed}/team/base:1\n`);
    const result = classifyError(item, { operation: 'build' });
    expect(result.code).toBe('BASE_IMAGE_MISSING');
    expect(result.userMessage).toContain(`127.0.0.1:${closed}`);
  });

  it('a tag the registry does not know is IMAGE_NOT_FOUND', async () => {
    // A minimal registry: /v2/ answers, every manifest is unknown. With the
    // `detail` that distribution sends, the engine names the image.
    const registry = http.createServer((req, res) => {
      const unknown = req.url !== '/v2/';
      res.writeHead(unknown ? 404 : 200, {
        'Content-Type': 'application/json',
        'Docker-Distribution-API-Version': 'registry/2.0',
      });
      res.end(
        unknown
          ? JSON.stringify({
              errors: [
                {
                  code: 'MANIFEST_UNKNOWN',
                  message: 'manifest unknown',
                  detail: { Tag: 'v9' },
                },
              ],
            })
          : '{}',
      );
    });
    await new Promise<void>(resolve =>
      registry.listen(0, '127.0.0.1', resolve),
    );
    const { port } = registry.address() as net.AddressInfo;
    try {
      const [item] = await buildErrors(`FROM 127.0.0.1:${port}/team/app:v9\n`);
      const result = classifyError(item, { operation: 'build' });
      expect(result.code).toBe('IMAGE_NOT_FOUND');
      expect(result.userMessage).toContain(`127.0.0.1:${port}/team/app:v9`);
    } finally {
      await new Promise(resolve => registry.close(resolve));
    }
  });
});
