import { NotFoundError } from '@backstage/errors';
import { isCategorizedError } from '@internal/plugin-runner-common';
import { classifyError } from './classifyError';
import { dockerodeError, systemError } from './__testUtils__/errorShapes';

/*
 * The runner's own errors, built with the fields that docker/types.ts and
 * instances/InstanceLifecycle.ts give them; recognized by name and fields so
 * the classifier does not depend on those modules.
 */
const runnerTimeout = (
  operation: 'build' | 'run' | 'stop',
  timeoutMs: number,
) =>
  Object.assign(
    new Error(`${operation} exceeded its timeout of ${timeoutMs} ms`),
    {
      name: 'RunnerTimeoutError',
      operation,
      timeoutMs,
    },
  );
const portInUse = (hostPort: number) =>
  Object.assign(new Error(`Port 127.0.0.1:${hostPort} is already in use`), {
    name: 'PortInUseError',
    hostPort,
  });
const containerExit = (exitCode: number, oomKilled: boolean) =>
  Object.assign(
    new Error(
      oomKilled
        ? `container was OOMKilled (exit code ${exitCode}): it used more memory than its limit`
        : `container exited with code ${exitCode}`,
    ),
    { name: 'ContainerExitError', exitCode, oomKilled },
  );
const buildFailed = (message: string, step: string, logTail: string[]) =>
  Object.assign(new Error(message), {
    name: 'BuildFailedError',
    step,
    logTail,
  });

const PORT_TAKEN = dockerodeError(
  500,
  'server error',
  'driver failed programming external connectivity on endpoint web (27d7502e5ec1): Bind for 127.0.0.1:8080 failed: port is already allocated',
  {
    message:
      'driver failed programming external connectivity on endpoint web (27d7502e5ec1): Bind for 127.0.0.1:8080 failed: port is already allocated',
  },
);

describe('classifyError', () => {
  it.each([
    [
      'an Error',
      new Error('the flux capacitor is out of sync'),
      'the flux capacitor is out of sync',
    ],
    ['a string', 'plain words thrown', 'plain words thrown'],
    ['undefined', undefined, 'undefined'],
    ['null', null, 'null'],
    ['a number', 42, '42'],
    ['an object', { weird: 'shape', n: 1 }, '{"weird":"shape","n":1}'],
  ])(
    'keeps %s it does not know as UNKNOWN, with its text',
    (_, error, text) => {
      const result = classifyError(error);
      expect(result).toMatchObject({ category: 'unknown', code: 'UNKNOWN' });
      expect(result.detail).toContain(text);
      expect(isCategorizedError(result)).toBe(true);
    },
  );

  it('survives circular objects and cyclic causes', () => {
    const a: any = new Error('a');
    const b: any = new Error('b', { cause: a });
    a.cause = b;
    const circular: any = { name: 'Odd' };
    circular.self = circular;
    expect(classifyError(a).detail).toContain('a\ncaused by: b');
    expect(classifyError(circular).code).toBe('UNKNOWN');
  });

  it('looks through causes and keeps every message in the detail', () => {
    const wrapped = new Error('starting component:default/web failed', {
      cause: PORT_TAKEN,
    });
    const result = classifyError(wrapped, { operation: 'run' });
    expect(result.code).toBe('PORT_IN_USE');
    expect(result.detail).toContain('starting component:default/web failed');
    expect(result.detail).toContain(
      'caused by: (HTTP code 500) server error - driver failed',
    );
  });

  it('prefers a specific cause over a generic wrapper', () => {
    const socket = systemError('connect ENOENT /var/run/docker.sock', {
      code: 'ENOENT',
      syscall: 'connect',
      address: '/var/run/docker.sock',
    });
    const result = classifyError(
      new NotFoundError('could not list containers', socket),
    );
    expect(result.code).toBe('DOCKER_UNREACHABLE');
    // @backstage/errors already quotes its cause; it is not repeated.
    expect(result.detail.match(/connect ENOENT/g)).toHaveLength(1);
  });

  it.each([
    [runnerTimeout('build', 600_000), 'BUILD_TIMEOUT', '10 min'],
    [runnerTimeout('run', 90_000), 'RUN_TIMEOUT', '90 s'],
    [runnerTimeout('stop', 10_000), 'OPERATION_TIMEOUT', undefined],
    [portInUse(8080), 'PORT_IN_USE', '127.0.0.1:8080'],
    [containerExit(137, true), 'OOM_KILLED', undefined],
    [containerExit(1, false), 'CONTAINER_EXITED', 'code 1'],
    [
      Object.assign(
        new Error(
          'container disappeared (removed outside the runner, or the Docker engine lost it)',
        ),
        {
          name: 'ContainerLostError',
          exitCode: null,
          oomKilled: false,
        },
      ),
      'CONTAINER_NOT_FOUND',
      undefined,
    ],
    [
      {
        id: 'c1',
        status: 'exited',
        exitCode: 0,
        oomKilled: false,
        labels: {},
        ports: [],
      },
      'CONTAINER_EXITED',
      'code 0',
    ],
    [
      { containerId: 'c1', action: 'oom', labels: {}, time: 1 },
      'OOM_KILLED',
      undefined,
    ],
    [
      // instances/exitCause.ts: the process ended (here with 143) because the engine did.
      Object.assign(
        new Error(
          'the Docker engine was out of reach since 2026-11-26T10:00:00.000Z (stopped, restarted or killed); the container stopped at 2026-11-26T10:00:01.000Z with exit code 143, which nobody asked for',
        ),
        { name: 'EngineLostError', exitCode: 143 },
      ),
      'DOCKER_ENGINE_LOST',
      'Nobody stopped the instance',
    ],
  ])('recognizes the runner’s own %#: %s', (error, code, says) => {
    const result = classifyError(error, { operation: 'run' });
    expect(result.code).toBe(code);
    expect(result.userMessage).toContain(says ?? '');
  });

  it('reports the failing build step with the output before it', () => {
    const error = buildFailed(
      "The command '/bin/sh -c npm ci' returned a non-zero code: 1",
      'Step 3/6 : RUN npm ci',
      [
        'npm ERR! code ENOTFOUND',
        'npm ERR! network request to https://registry.npmjs.org/left-pad failed',
      ],
    );
    const result = classifyError(error, { operation: 'build' });
    expect(result.code).toBe('BUILD_STEP_FAILED');
    // The step's own error lines first, the step once, advice for the cause.
    expect(result.userMessage).toBe(
      'npm ERR! code ENOTFOUND / npm ERR! network request to https://registry.npmjs.org/left-pad failed — Step 3/6 (`RUN npm ci`) failed with exit code 1.',
    );
    expect(result.remediation).toMatch(
      /^Step 3\/6 needed the network and did not reach it/,
    );
    expect(result.remediation).not.toContain('137');
    expect(result.detail).toContain('at Step 3/6 : RUN npm ci');
    expect(result.detail).toContain('npm ERR! code ENOTFOUND');
  });

  it('times out by the abort signal too', async () => {
    const signal = AbortSignal.timeout(1);
    await new Promise(resolve => signal.addEventListener('abort', resolve));
    expect(classifyError(signal.reason, { operation: 'docker' }).code).toBe(
      'OPERATION_TIMEOUT',
    );
    expect(classifyError(signal.reason, { operation: 'build' }).code).toBe(
      'BUILD_TIMEOUT',
    );
  });

  it('does not take a child process exit code for a container exit', () => {
    const git = Object.assign(
      new Error(
        "Command failed: git clone\nfatal: repository 'https://github.com/org/missing.git/' not found",
      ),
      {
        exitCode: 128,
      },
    );
    expect(classifyError(git, { operation: 'source' }).code).toBe(
      'SOURCE_NOT_FOUND',
    );
  });

  it('lets no secret through, in any field', () => {
    const envSecret = 'correct-horse-battery-staple';
    const clusterToken = [
      'eyJhbGciOiJSUzI1NiJ9',
      'eyJzdWIiOiJydW5uZXIifQ',
      'c2ln',
    ].join('.');
    const error = buildFailed(
      `The command '/bin/sh -c curl -H "Authorization: Bearer ${clusterToken}" https://deploy:${envSecret}@example.com' returned a non-zero code: 22`,
      'Step 4/6 : RUN curl …',
      [
        `+ echo API_SECRET=${envSecret}`,
        `token ${clusterToken}`,
        `url https://ci:${encodeURIComponent(envSecret)}@example.com`,
      ],
    );
    const wrapped = new Error(
      `build of component:default/web failed (secret ${envSecret})`,
      { cause: error },
    );
    const result = classifyError(wrapped, {
      operation: 'build',
      secrets: [envSecret, clusterToken],
    });
    const everything = JSON.stringify(result);
    expect(result.code).toBe('BUILD_STEP_FAILED');
    expect(everything).not.toContain(envSecret);
    expect(everything).not.toContain(clusterToken);
    expect(everything).not.toContain('c2ln');
    expect(result.detail).toContain('[REDACTED]');
  });

  it('cuts a huge detail in the middle and keeps its end', () => {
    const logTail = Array.from(
      { length: 30 },
      (_, i) => `line ${i} ${'x'.repeat(1000)}`,
    );
    const result = classifyError(
      buildFailed(
        "The command '/bin/sh -c make' returned a non-zero code: 2",
        'Step 2/2 : RUN make',
        logTail,
      ),
      {
        operation: 'build',
      },
    );
    expect(result.detail.length).toBeLessThan(16_100);
    expect(result.detail).toContain('characters cut');
    expect(result.detail).toContain('line 29');
    expect(
      result.detail.startsWith(
        "BuildFailedError: The command '/bin/sh -c make'",
      ),
    ).toBe(true);
  });
});
