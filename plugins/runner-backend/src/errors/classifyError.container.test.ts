import { isCategorizedError } from '@internal/plugin-runner-common';
import { classifyError } from './classifyError';
import {
  buildItem,
  dockerodeError,
  systemError,
  type Row,
} from './__testUtils__/errorShapes';

/*
 * Real messages, verbatim. Unless a row says otherwise they were captured
 * from the engine these tests run against (Docker 20.10.24, API 1.41, classic
 * builder) through dockerode 4 / docker-modem 5.0.7, no registry reachable;
 * the registry rows from the same engine against a throwaway local HTTP
 * registry answering MANIFEST_UNKNOWN / UNAUTHORIZED / DENIED / NAME_UNKNOWN.
 */
const ENGINE = 'dockerd 20.10.24 via dockerode';

const rows: Row[] = [
  // a second container publishing 127.0.0.1:18765 (docker.getContainer(id).start())
  {
    from: `${ENGINE}: port allocated by another container`,
    error: dockerodeError(
      500,
      'server error',
      'driver failed programming external connectivity on endpoint determined_shockley (27d7502e5ec13d315abd846ab3d0871328dfe0e9a8be7631899673abbf58f82a): Bind for 127.0.0.1:18765 failed: port is already allocated',
      {
        message:
          'driver failed programming external connectivity on endpoint determined_shockley (27d7502e5ec13d315abd846ab3d0871328dfe0e9a8be7631899673abbf58f82a): Bind for 127.0.0.1:18765 failed: port is already allocated',
      },
    ),
    op: 'run',
    code: 'PORT_IN_USE',
    says: '127.0.0.1:18765',
  },
  // `docker run -p 127.0.0.1:18769:80` while a Node server listens there
  {
    from: 'docker CLI: port held by a process',
    error: new Error(
      'driver failed programming external connectivity on endpoint serene_mahavira (df70a1e25562b9b6481ab6051e6019910115e8c0014b5862604a45d7240824a4): Error starting userland proxy: listen tcp4 127.0.0.1:18769: bind: address already in use',
    ),
    op: 'run',
    code: 'PORT_IN_USE',
    says: '18769',
  },
  // Node's net.Server.listen on a taken port (the runner's own pre-check)
  {
    from: 'node: listen on a taken port',
    error: systemError(
      'listen EADDRINUSE: address already in use 127.0.0.1:8080',
      {
        code: 'EADDRINUSE',
        syscall: 'listen',
        address: '127.0.0.1',
        port: 8080,
      },
    ),
    code: 'PORT_IN_USE',
    says: '127.0.0.1:8080',
  },
  // createContainer({ HostConfig: { Memory: 1024 } }); same text from `docker run --memory 1k`
  {
    from: `${ENGINE}: memory limit too small`,
    error: dockerodeError(
      400,
      'bad parameter',
      'Minimum memory limit allowed is 6MB',
      { message: 'Minimum memory limit allowed is 6MB' },
    ),
    op: 'run',
    code: 'INVALID_RESOURCE_LIMIT',
    says: 'Minimum memory limit allowed is 6MB',
  },
  // createContainer({ HostConfig: { NanoCpus: 1e15 } }); same for -1 and `docker run --cpus 100`
  {
    from: `${ENGINE}: too many CPUs`,
    error: dockerodeError(
      400,
      'bad parameter',
      'Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available',
      {
        message:
          'Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available',
      },
    ),
    op: 'run',
    code: 'INVALID_RESOURCE_LIMIT',
  },
  // `docker run --memory 8m --memory-swap 4m busybox true`
  {
    from: 'docker CLI: swap below memory',
    error: new Error(
      'Error response from daemon: Minimum memoryswap limit should be larger than memory limit, see usage',
    ),
    op: 'run',
    code: 'INVALID_RESOURCE_LIMIT',
  },
  // moby daemon/daemon_unix.go (verifyPlatformContainerResources), on hosts without CFS
  {
    from: 'moby source: no CPU CFS',
    error: dockerodeError(
      400,
      undefined,
      'NanoCPUs can not be set, as your kernel does not support CPU CFS scheduler or the cgroup is not mounted',
      {
        message:
          'NanoCPUs can not be set, as your kernel does not support CPU CFS scheduler or the cgroup is not mounted',
      },
    ),
    op: 'run',
    code: 'RESOURCE_LIMIT_UNSUPPORTED',
  },
  // createContainer twice with name 'dupname-cap'
  {
    from: `${ENGINE}: container name taken`,
    error: dockerodeError(
      409,
      undefined,
      'Conflict. The container name "/dupname-cap" is already in use by container "30bcc73580b8a6d4e6a6d8d07f03b18711f1bba1cde5680c97d7e6a4a0e38937". You have to remove (or rename) that container to be able to reuse that name.',
      {
        message:
          'Conflict. The container name "/dupname-cap" is already in use by container "30bcc73580b8a6d4e6a6d8d07f03b18711f1bba1cde5680c97d7e6a4a0e38937". You have to remove (or rename) that container to be able to reuse that name.',
      },
    ),
    op: 'run',
    code: 'DOCKER_CONFLICT',
  },
  // createContainer({ Cmd: ['/nonexistent-binary'] }).start()
  {
    from: `${ENGINE}: command missing in the image`,
    error: dockerodeError(
      400,
      undefined,
      'failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "/nonexistent-binary": stat /nonexistent-binary: no such file or directory: unknown',
      {
        message:
          'failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "/nonexistent-binary": stat /nonexistent-binary: no such file or directory: unknown',
      },
    ),
    op: 'run',
    code: 'CONTAINER_START_FAILED',
  },
  // createContainer({ name: 'bad name!' })
  {
    from: `${ENGINE}: invalid container name`,
    error: dockerodeError(
      400,
      'bad parameter',
      'Invalid container name (bad name!), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed',
      {
        message:
          'Invalid container name (bad name!), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed',
      },
    ),
    op: 'run',
    code: 'INVALID_INPUT',
    says: 'Invalid container name',
  },
  // getContainer('doesnotexist123').inspect()
  {
    from: `${ENGINE}: container gone`,
    error: dockerodeError(
      404,
      'no such container',
      'No such container: doesnotexist123',
      { message: 'No such container: doesnotexist123' },
    ),
    op: 'stop',
    code: 'CONTAINER_NOT_FOUND',
  },
  // inspect().State of busybox with Memory = MemorySwap = 8 MiB running `head -c 64m /dev/zero | tail`
  {
    from: `${ENGINE}: inspect State after an OOM kill`,
    error: {
      State: {
        Status: 'exited',
        Running: false,
        Paused: false,
        Restarting: false,
        OOMKilled: true,
        Dead: false,
        Pid: 0,
        ExitCode: 137,
        Error: '',
        StartedAt: '2026-11-26T03:02:47.75168617Z',
        FinishedAt: '2026-11-26T03:02:47.804597495Z',
      },
    },
    op: 'run',
    code: 'OOM_KILLED',
  },
  // inspect().State after start() failed for Cmd ['/nonexistent-binary']
  {
    from: `${ENGINE}: inspect State after a failed start`,
    error: JSON.parse(
      '{"Status":"created","Running":false,"Paused":false,"Restarting":false,"OOMKilled":false,"Dead":false,"Pid":0,"ExitCode":127,"Error":"failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \\"/nonexistent-binary\\": stat /nonexistent-binary: no such file or directory: unknown","StartedAt":"0001-01-01T00:00:00Z","FinishedAt":"0001-01-01T00:00:00Z"}',
    ),
    op: 'run',
    code: 'CONTAINER_START_FAILED',
    says: '/nonexistent-binary',
  },
  // inspect().State of busybox running `sh -c 'exit 3'`
  {
    from: `${ENGINE}: inspect State after exit 3`,
    error: {
      Status: 'exited',
      Running: false,
      Paused: false,
      Restarting: false,
      OOMKilled: false,
      Dead: false,
      Pid: 0,
      ExitCode: 3,
      Error: '',
      StartedAt: '2026-11-26T03:02:48.214882144Z',
      FinishedAt: '2026-11-26T03:02:48.214325453Z',
    },
    op: 'run',
    code: 'CONTAINER_EXITED',
    says: 'code 3',
  },
  // GET /events around the OOM run above: the engine's `oom`, then `die` events (image labels trimmed)
  {
    from: `${ENGINE}: oom event`,
    error: JSON.parse(
      '{"status":"oom","id":"a7dca43c698c5406e6555e0338cd4ff9462652ec650253c2eace92a2b3fdd7c8","from":"busybox:latest","Type":"container","Action":"oom","Actor":{"ID":"a7dca43c698c5406e6555e0338cd4ff9462652ec650253c2eace92a2b3fdd7c8","Attributes":{"image":"busybox:latest","name":"jovial_babbage"}},"scope":"local","time":1795662909,"timeNano":1795662909448563333}',
    ),
    code: 'OOM_KILLED',
  },
  {
    // A `die` alone cannot tell an OOM kill from `docker kill`: it is an exit.
    from: `${ENGINE}: die event`,
    error: JSON.parse(
      '{"status":"die","id":"a7dca43c698c5406e6555e0338cd4ff9462652ec650253c2eace92a2b3fdd7c8","from":"busybox:latest","Type":"container","Action":"die","Actor":{"ID":"a7dca43c698c5406e6555e0338cd4ff9462652ec650253c2eace92a2b3fdd7c8","Attributes":{"exitCode":"137","image":"busybox:latest","name":"jovial_babbage"}},"scope":"local","time":1795662909,"timeNano":1795662909475965850}',
    ),
    code: 'CONTAINER_EXITED',
    says: 'code 137',
  },
  // Go's context.DeadlineExceeded, relayed by the engine
  {
    from: 'engine: deadline',
    error: dockerodeError(500, 'server error', 'context deadline exceeded', {
      message: 'context deadline exceeded',
    }),
    op: 'stop',
    code: 'OPERATION_TIMEOUT',
  },
  // synthetic: a 500 that no pattern knows keeps its status meaning (errdefs.System)
  {
    from: 'synthetic: engine 500 no pattern knows',
    error: dockerodeError(
      500,
      'server error',
      'error creating overlay mount to /var/lib/docker/overlay2/x/merged: no space left on device',
      {
        message:
          'error creating overlay mount to /var/lib/docker/overlay2/x/merged: no space left on device',
      },
    ),
    op: 'run',
    code: 'DOCKER_ENGINE_ERROR',
  },
];

describe('classifyError: ports, limits and containers', () => {
  it.each(rows)('$code ← $from', ({ error, op, code, says }) => {
    const result = classifyError(error, {
      operation: op,
      entityRef: 'component:default/hello-http',
    });
    expect(result.code).toBe(code);
    expect(isCategorizedError(result)).toBe(true);
    expect(result.userMessage).toContain(says ?? '');
    expect(result.detail.length).toBeGreaterThan(0);
  });

  it('splits platform failures (retry) from user-code failures (fix first)', () => {
    const port = classifyError(
      rows.find(r => r.code === 'PORT_IN_USE')!.error,
      { operation: 'run' },
    );
    expect(port).toMatchObject({ origin: 'platform', recoverable: true });
    const step = classifyError(
      buildItem(
        "The command '/bin/sh -c exit 1' returned a non-zero code: 1",
        1,
      ),
      { operation: 'build' },
    );
    expect(step).toMatchObject({
      category: 'build',
      origin: 'user',
      recoverable: false,
      severity: 'high',
    });
    const down = classifyError(
      systemError('connect ENOENT /var/run/docker.sock', {
        code: 'ENOENT',
        syscall: 'connect',
        address: '/var/run/docker.sock',
      }),
    );
    expect(down).toMatchObject({
      category: 'docker-unavailable',
      origin: 'platform',
      recoverable: true,
      severity: 'critical',
    });
  });

  it('fills the remediation with what it knows', () => {
    const oom = classifyError(
      { OOMKilled: true, ExitCode: 137 },
      { operation: 'run', entityRef: 'component:default/hello-http' },
    );
    expect(oom.remediation).toContain(
      'runner.components.hello-http.docker.resourceLimits.memory',
    );
    const port = classifyError(
      rows.find(r => r.from.includes('another container'))!.error,
      { operation: 'run' },
    );
    expect(port.remediation).toContain('docker ps --filter publish=18765');
    expect(port.remediation).not.toContain('<port>');
  });
});
