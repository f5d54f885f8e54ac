import { ConfigReader } from '@backstage/config';
import { readRunnerConfig } from './RunnerConfig';

function read(runner: unknown) {
  return readRunnerConfig(new ConfigReader({ runner } as any));
}

describe('runner.components', () => {
  it('reads names and full entity refs, with docker, build and run sections', () => {
    const { components } = read({
      components: {
        'hello-http': { docker: { resourceLimits: { memory: '1g' } } },
        'component:team-a/Hello-HTTP': {
          docker: { runTimeout: 'none', secretEnv: { TOKEN: 't' } },
          build: {
            dockerfile: './docker/Dockerfile.prod',
            context: 'services/api/',
            buildArgs: { VERSION: 2 },
            target: 'runtime',
          },
          run: { ports: ['18080:8080', 9090], healthPath: '/ready' },
        },
      },
    });
    expect(components).toEqual([
      {
        key: 'hello-http',
        selector: { type: 'name', name: 'hello-http' },
        docker: {
          resourceLimits: { memoryBytes: 1024 ** 3 },
          logRotation: {},
          env: {},
          secretEnv: {},
        },
        build: { buildArgs: {} },
        run: {},
      },
      {
        key: 'component:team-a/Hello-HTTP',
        selector: { type: 'ref', ref: 'component:team-a/hello-http' },
        docker: {
          runTimeoutMs: null,
          resourceLimits: {},
          logRotation: {},
          env: {},
          secretEnv: { TOKEN: 't' },
        },
        build: {
          dockerfile: 'docker/Dockerfile.prod',
          context: 'services/api',
          buildArgs: { VERSION: '2' },
          target: 'runtime',
        },
        run: {
          ports: [
            { containerPort: 8080, protocol: 'tcp', hostPort: 18080 },
            { containerPort: 9090, protocol: 'tcp' },
          ],
          healthPath: '/ready',
        },
      },
    ]);
  });

  it('accepts ports in the annotation comma form', () => {
    const { components } = read({
      components: { a: { run: { ports: '8080/udp, 9090' } } },
    });
    expect(components[0].run.ports).toEqual([
      { containerPort: 8080, protocol: 'udp' },
      { containerPort: 9090, protocol: 'tcp' },
    ]);
  });

  it.each([
    [
      { 'not a name': {} },
      "'runner.components.not a name': 'not a name' is neither a component name",
    ],
    [{ 'default/hello': {} }, "'runner.components.default/hello'"],
    [{ a: 'x' }, "'runner.components.a': expected a map"],
    [
      { a: { dokcer: {} } },
      "'runner.components.a.dokcer': unknown key; use docker, build or run",
    ],
    [
      { a: { build: { dockerfile: '../Dockerfile' } } },
      "'runner.components.a.build.dockerfile': '../Dockerfile' leaves its root",
    ],
    [
      { a: { build: { dockerfile: '/etc/Dockerfile' } } },
      "'runner.components.a.build.dockerfile': '/etc/Dockerfile' is absolute",
    ],
    [
      { a: { build: { context: 'x/../../y' } } },
      "'runner.components.a.build.context'",
    ],
    [
      { a: { build: { target: '1stage' } } },
      "'runner.components.a.build.target': '1stage' is not a build stage name",
    ],
    [
      { a: { build: { buildArgs: { 'A-B': 1 } } } },
      "'runner.components.a.build.buildArgs.A-B'",
    ],
    [
      { a: { build: { args: {} } } },
      "'runner.components.a.build.args': unknown key",
    ],
    [
      { a: { run: { ports: ['http'] } } },
      "'runner.components.a.run.ports': 'http' is not a port; use CONTAINER[/tcp|udp] or HOST:CONTAINER",
    ],
    [{ a: { run: { ports: ['0.0.0.0:80:8080'] } } }, 'no host IP'],
    [
      { a: { run: { ports: [70000] } } },
      "'runner.components.a.run.ports': '70000' is not a port",
    ],
    [
      { a: { run: { ports: ['8080', '8080/tcp'] } } },
      'container port 8080/tcp is listed twice',
    ],
    [
      { a: { run: { ports: ['80:8080', '80:9090'] } } },
      'host port 80/tcp is listed twice',
    ],
    [
      { a: { run: { healthPath: 'healthz' } } },
      "'runner.components.a.run.healthPath': 'healthz' is not an HTTP path",
    ],
    [
      { a: { run: { env: {} } } },
      "'runner.components.a.run.env': unknown key; use one of ports, healthPath",
    ],
    [
      { 'Hello-HTTP': {}, 'hello-http': {} },
      "'runner.components.hello-http': it names the same component as 'runner.components.Hello-HTTP'",
    ],
  ])('rejects %j: %s', (components, message) => {
    expect(() => read({ components })).toThrow(message);
  });

  it('validates every entry, not just the first', () => {
    expect(() =>
      read({
        components: {
          a: {},
          b: { docker: { resourceLimits: { pids: -1 } } },
        },
      }),
    ).toThrow("'runner.components.b.docker.resourceLimits.pids'");
  });
});
