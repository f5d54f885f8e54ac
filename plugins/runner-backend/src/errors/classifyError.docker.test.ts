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
  // new Docker({ socketPath: '/tmp/cap/nope.sock' }).version()
  {
    from: `${ENGINE}: socket missing`,
    error: systemError('connect ENOENT /tmp/cap/nope.sock', {
      code: 'ENOENT',
      syscall: 'connect',
      address: '/tmp/cap/nope.sock',
    }),
    code: 'DOCKER_UNREACHABLE',
    says: '/tmp/cap/nope.sock',
  },
  // new Docker({ host: '127.0.0.1', port: 1, protocol: 'http' }).version()
  {
    from: `${ENGINE}: tcp endpoint refused`,
    error: systemError('connect ECONNREFUSED 127.0.0.1:1', {
      code: 'ECONNREFUSED',
      syscall: 'connect',
      address: '127.0.0.1',
    }),
    op: 'docker',
    code: 'DOCKER_UNREACHABLE',
  },
  // docker CLI 20.10 with DOCKER_HOST=unix:///tmp/nope.sock
  {
    from: 'docker CLI: no daemon',
    error: new Error(
      'Cannot connect to the Docker daemon at unix:///tmp/nope.sock. Is the docker daemon running?',
    ),
    code: 'DOCKER_UNREACHABLE',
  },
  // new Docker({ timeout: 300 }).getContainer(id).stop({ t: 5 }): docker-modem destroys the request
  {
    from: `${ENGINE}: request timeout`,
    error: systemError('socket hang up', { code: 'ECONNRESET' }),
    op: 'stop',
    code: 'DOCKER_CONNECTION_RESET',
  },
  // buildImage, Dockerfile `FROM nonexistent-image:1`
  {
    from: `${ENGINE}: build, FROM an image that is not local, no registry`,
    error: buildItem(
      'Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host',
    ),
    op: 'build',
    code: 'BASE_IMAGE_MISSING',
    says: 'registry-1.docker.io',
  },
  // buildImage, Dockerfile `FROM 127.0.0.1:1/app:1`
  {
    from: `${ENGINE}: build, FROM a registry that refuses`,
    error: buildItem(
      'Get "http://127.0.0.1:1/v2/": dial tcp 127.0.0.1:1: connect: connection refused',
    ),
    op: 'build',
    code: 'BASE_IMAGE_MISSING',
    says: '127.0.0.1:1',
  },
  // docker.pull('nonexistent-image:1')
  {
    from: `${ENGINE}: pull with no registry`,
    error: dockerodeError(
      500,
      'server error',
      'Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host',
      null,
    ),
    op: 'pull',
    code: 'BASE_IMAGE_MISSING',
  },
  // buildImage, Dockerfile `FROM 127.0.0.1:18767/team/app:v9` (registry: MANIFEST_UNKNOWN)
  {
    from: `${ENGINE}: build, tag unknown to the registry`,
    error: buildItem(
      'manifest for 127.0.0.1:18767/team/app:v9 not found: manifest unknown: manifest unknown',
    ),
    op: 'build',
    code: 'IMAGE_NOT_FOUND',
    says: '127.0.0.1:18767/team/app:v9',
  },
  // docker.pull('127.0.0.1:18768/team/private:1') (registry: bearer challenge, then insufficient_scope)
  {
    from: `${ENGINE}: pull, repository denied`,
    error: dockerodeError(
      404,
      undefined,
      "pull access denied for 127.0.0.1:18768/team/private, repository does not exist or may require 'docker login': denied: requested access to the resource is denied",
      null,
    ),
    op: 'pull',
    code: 'IMAGE_NOT_FOUND',
    says: '127.0.0.1:18768/team/private',
  },
  // the same, from a registry whose MANIFEST_UNKNOWN error carries no `detail`
  {
    from: `${ENGINE}: build, tag unknown, registry without detail`,
    error: buildItem('manifest unknown'),
    op: 'build',
    code: 'IMAGE_NOT_FOUND',
  },
  // buildImage FROM a repository the registry answers NAME_UNKNOWN / UNAUTHORIZED / DENIED for
  {
    from: `${ENGINE}: build, NAME_UNKNOWN`,
    error: buildItem('name unknown'),
    op: 'build',
    code: 'IMAGE_NOT_FOUND',
  },
  {
    from: `${ENGINE}: build, UNAUTHORIZED`,
    error: buildItem('unauthorized'),
    op: 'build',
    code: 'REGISTRY_AUTH_FAILED',
  },
  {
    from: `${ENGINE}: build, DENIED`,
    error: buildItem('denied'),
    op: 'build',
    code: 'REGISTRY_AUTH_FAILED',
  },
  // createContainer({ Image: 'nonexistent-image:1' })
  {
    from: `${ENGINE}: create, image not local`,
    error: dockerodeError(
      404,
      'no such container',
      'No such image: nonexistent-image:1',
      { message: 'No such image: nonexistent-image:1' },
    ),
    op: 'run',
    code: 'IMAGE_NOT_FOUND',
    says: 'nonexistent-image:1',
  },
  // buildImage, Dockerfile `FROM busybox:latest` + `RUN exit 1`
  {
    from: `${ENGINE}: build, RUN exit 1`,
    error: buildItem(
      "The command '/bin/sh -c exit 1' returned a non-zero code: 1",
      1,
    ),
    op: 'build',
    code: 'BUILD_STEP_FAILED',
    says: '`/bin/sh -c exit 1` failed with exit code 1',
  },
  // buildImage with memory 8 MiB, `RUN head -c 64m /dev/zero | tail`
  {
    from: `${ENGINE}: build step killed for memory`,
    error: buildItem(
      "The command '/bin/sh -c head -c 64m /dev/zero | tail' returned a non-zero code: 137",
      137,
    ),
    op: 'build',
    code: 'BUILD_STEP_FAILED',
    says: 'killed',
  },
  // BuildKit, as printed by `docker build` (public build logs; this engine has no buildx)
  {
    from: 'BuildKit: failed RUN',
    error: new Error(
      'failed to solve: process "/bin/sh -c npm run build" did not complete successfully: exit code: 2',
    ),
    op: 'build',
    code: 'BUILD_STEP_FAILED',
    says: '`/bin/sh -c npm run build` failed with exit code 2',
  },
  // buildImage, Dockerfile `COPY nothere.txt /`
  {
    from: `${ENGINE}: build, COPY of a missing file`,
    error: buildItem(
      'COPY failed: file not found in build context or excluded by .dockerignore: stat nothere.txt: file does not exist',
    ),
    op: 'build',
    code: 'BUILD_CONTEXT_FILE_MISSING',
  },
  // buildImage, Dockerfile line 2 `FOO bar`
  {
    from: `${ENGINE}: build, unknown instruction`,
    error: dockerodeError(
      400,
      undefined,
      'dockerfile parse error line 2: unknown instruction: FOO',
      null,
    ),
    op: 'build',
    code: 'DOCKERFILE_INVALID',
    says: 'line 2',
  },
  // buildImage({ dockerfile: 'Nope.Dockerfile' })
  {
    from: `${ENGINE}: build, Dockerfile missing`,
    error: dockerodeError(
      500,
      'server error',
      'Cannot locate specified Dockerfile: Nope.Dockerfile',
      null,
    ),
    op: 'build',
    code: 'DOCKERFILE_INVALID',
  },
  // buildImage({ target: 'runtime' }) of a single-stage Dockerfile
  {
    from: `${ENGINE}: build, unknown target`,
    error: dockerodeError(
      400,
      undefined,
      'failed to reach build target runtime in Dockerfile',
      null,
    ),
    op: 'build',
    code: 'DOCKERFILE_INVALID',
  },
];

describe('classifyError: Docker engine, image and build messages', () => {
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

  it('does not guess which dependency a bare network error came from', () => {
    const refused = systemError('connect ECONNREFUSED 127.0.0.1:1', {
      code: 'ECONNREFUSED',
      syscall: 'connect',
      address: '127.0.0.1',
    });
    expect(classifyError(refused).code).toBe('UNKNOWN');
    expect(classifyError(refused, { operation: 'docker' }).code).toBe(
      'DOCKER_UNREACHABLE',
    );
    expect(classifyError(refused, { operation: 'source' }).code).toBe(
      'SOURCE_NETWORK',
    );
    expect(classifyError(refused, { operation: 'kubernetes' }).code).toBe(
      'K8S_UNREACHABLE',
    );
  });

  it('reads bare registry words only where the builder relays them', () => {
    expect(
      classifyError(buildItem('unauthorized'), { operation: 'build' }).code,
    ).toBe('REGISTRY_AUTH_FAILED');
    expect(classifyError(new Error('unauthorized')).code).toBe('UNKNOWN');
  });
});
