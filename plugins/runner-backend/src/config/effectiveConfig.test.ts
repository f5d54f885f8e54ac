import type { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { resolveEffectiveConfig } from './effectiveConfig';
import { readRunnerConfig } from './RunnerConfig';

function entity(
  annotations: Record<string, string> = {},
  namespace = 'default',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'hello-http', namespace, annotations },
    spec: {},
  };
}

function config(runner: unknown = {}) {
  return readRunnerConfig(new ConfigReader({ runner } as any));
}

describe('resolveEffectiveConfig', () => {
  it('uses the built-in defaults for an entity without annotations or overrides', () => {
    const effective = resolveEffectiveConfig(entity(), config());
    expect(effective).toEqual({
      entityRef: 'component:default/hello-http',
      docker: {
        connectionTimeoutMs: 5000,
        buildTimeoutMs: 600_000,
        runTimeoutMs: undefined,
        resourceLimits: {
          memoryBytes: 512 * 1024 ** 2,
          nanoCpus: 1e9,
          pidsLimit: 256,
        },
        securityOptions: [],
        readOnlyRootfs: false,
        imageCleanupPolicy: 'on-error',
        maxInstancesPerEntity: 1,
        maxContextBytes: 200 * 1024 ** 2,
        logRotation: {
          driver: 'json-file',
          maxSizeBytes: 10 * 1024 ** 2,
          maxFiles: 3,
        },
        imageRetention: { keep: 3 },
      },
      build: {
        dockerfile: 'Dockerfile',
        context: '.',
        buildArgs: {},
        target: undefined,
      },
      run: { ports: [], healthPath: undefined, env: {}, secretEnv: {} },
      origins: expect.any(Object),
    });
    expect(new Set(Object.values(effective.origins))).toEqual(
      new Set(['default']),
    );
    expect(effective.origins['docker.resourceLimits.memoryBytes']).toBe(
      'default',
    );
    expect(effective.origins['run.ports']).toBe('default');
  });

  it('reads every annotation', () => {
    const effective = resolveEffectiveConfig(
      entity({
        'runner.backstage.io/dockerfile': 'docker/Dockerfile',
        'runner.backstage.io/build-context': 'services/api',
        'runner.backstage.io/build-args': 'VERSION=1, MODE=dev,EQ=a=b',
        'runner.backstage.io/build-target': 'runtime',
        'runner.backstage.io/ports': '8080,9090/udp,18081:8081',
        'runner.backstage.io/health-path': '/healthz',
        'runner.backstage.io/env': 'GREETING=hello',
      }),
      config(),
    );
    expect(effective.build).toEqual({
      dockerfile: 'docker/Dockerfile',
      context: 'services/api',
      buildArgs: { VERSION: '1', MODE: 'dev', EQ: 'a=b' },
      target: 'runtime',
    });
    expect(effective.run).toEqual({
      ports: [
        { containerPort: 8080, protocol: 'tcp' },
        { containerPort: 9090, protocol: 'udp' },
        { containerPort: 8081, protocol: 'tcp', hostPort: 18081 },
      ],
      healthPath: '/healthz',
      env: { GREETING: 'hello' },
      secretEnv: {},
    });
    expect(effective.origins).toMatchObject({
      'build.dockerfile': 'annotation',
      'build.buildArgs.VERSION': 'annotation',
      'run.ports': 'annotation',
      'run.env.GREETING': 'annotation',
      'build.target': 'annotation',
    });
  });

  it('merges default < annotation < app-config name < app-config ref, field by field', () => {
    const runnerConfig = config({
      docker: {
        buildTimeout: '20m',
        runTimeout: '1h',
        resourceLimits: { memory: '256m', pids: 100 },
        env: { FROM_DEFAULT: 'd', SHARED: 'default' },
        secretEnv: { TOKEN: 'default-token' },
      },
      components: {
        'hello-http': {
          docker: {
            resourceLimits: { memory: '1g', cpus: 2 },
            env: { SHARED: 'name' },
          },
          build: { dockerfile: 'Dockerfile.name', buildArgs: { MODE: 'name' } },
          run: { ports: ['7000'] },
        },
        'component:default/hello-http': {
          docker: { resourceLimits: { cpus: 0.25 }, runTimeout: 'none' },
          build: { target: 'fromref' },
        },
        'component:other/hello-http': {
          docker: { resourceLimits: { pids: 1 } },
        },
      },
    });
    const effective = resolveEffectiveConfig(
      entity({
        'runner.backstage.io/dockerfile': 'Dockerfile.annotation',
        'runner.backstage.io/build-args': 'MODE=annotation,VERSION=3',
        'runner.backstage.io/build-target': 'fromannotation',
        'runner.backstage.io/ports': '8080',
        'runner.backstage.io/health-path': '/healthz',
        'runner.backstage.io/env': 'SHARED=annotation,TOKEN=plain',
      }),
      runnerConfig,
    );

    expect(effective.docker).toMatchObject({
      buildTimeoutMs: 20 * 60_000, // runner.docker
      runTimeoutMs: undefined, // lifted by the ref's runTimeout: none
      resourceLimits: {
        memoryBytes: 1024 ** 3, // name
        nanoCpus: 250_000_000, // ref wins over name
        pidsLimit: 100, // runner.docker; the other namespace's ref does not apply
      },
    });
    expect(effective.build).toEqual({
      dockerfile: 'Dockerfile.name', // app-config over annotation
      context: '.',
      buildArgs: { MODE: 'name', VERSION: '3' },
      target: 'fromref',
    });
    expect(effective.run.ports).toEqual([
      { containerPort: 7000, protocol: 'tcp' },
    ]);
    expect(effective.run.healthPath).toBe('/healthz');
    // The annotation sets TOKEN plainly, over the default secret.
    expect(effective.run.env).toEqual({
      FROM_DEFAULT: 'd',
      SHARED: 'name',
      TOKEN: 'plain',
    });
    expect(effective.run.secretEnv).toEqual({});
    expect(effective.origins).toMatchObject({
      'docker.buildTimeoutMs': 'default',
      'docker.runTimeoutMs': 'app-config',
      'docker.resourceLimits.memoryBytes': 'app-config',
      'docker.resourceLimits.nanoCpus': 'app-config',
      'docker.resourceLimits.pidsLimit': 'default',
      'build.dockerfile': 'app-config',
      'build.context': 'default',
      'build.buildArgs.MODE': 'app-config',
      'build.buildArgs.VERSION': 'annotation',
      'build.target': 'app-config',
      'run.ports': 'app-config',
      'run.healthPath': 'annotation',
      'run.env.SHARED': 'app-config',
      'run.env.TOKEN': 'annotation',
      'run.env.FROM_DEFAULT': 'default',
    });
    expect(effective.origins['run.secretEnv.TOKEN']).toBeUndefined();
  });

  it('lets an app-config secret replace a plain annotation variable', () => {
    const effective = resolveEffectiveConfig(
      entity({ 'runner.backstage.io/env': 'TOKEN=plain,OTHER=x' }),
      config({
        components: {
          'hello-http': { docker: { secretEnv: { TOKEN: 'sec' } } },
        },
      }),
    );
    expect(effective.run.env).toEqual({ OTHER: 'x' });
    expect(effective.run.secretEnv).toEqual({ TOKEN: 'sec' });
    expect(effective.origins['run.secretEnv.TOKEN']).toBe('app-config');
    expect(effective.origins['run.env.TOKEN']).toBeUndefined();
  });

  it('matches names and refs case-insensitively and ignores other components', () => {
    const runnerConfig = config({
      components: {
        'Hello-HTTP': { docker: { maxInstancesPerEntity: 2 } },
        other: { docker: { maxInstancesPerEntity: 5 } },
      },
    });
    expect(
      resolveEffectiveConfig(entity(), runnerConfig).docker
        .maxInstancesPerEntity,
    ).toBe(2);
    // A bare name applies in every namespace.
    expect(
      resolveEffectiveConfig(entity({}, 'team-a'), runnerConfig).docker
        .maxInstancesPerEntity,
    ).toBe(2);
  });

  it('does not let one resolution change the config or another resolution', () => {
    const runnerConfig = config({
      docker: { securityOptions: ['apparmor=x'] },
      components: {
        'component:default/hello-http': {
          docker: { securityOptions: ['apparmor=y'] },
          run: { ports: ['8080'] },
        },
      },
    });
    const first = resolveEffectiveConfig(entity(), runnerConfig);
    first.docker.securityOptions.push('label=type:t');
    first.docker.resourceLimits.pidsLimit = 1;
    first.run.ports[0].containerPort = 1;
    const second = resolveEffectiveConfig(entity(), runnerConfig);
    expect(second.docker.securityOptions).toEqual(['apparmor=y']);
    expect(second.run.ports).toEqual([
      { containerPort: 8080, protocol: 'tcp' },
    ]);
    expect(runnerConfig.dockerDefaults.securityOptions).toEqual(['apparmor=x']);
    expect(second.docker.resourceLimits.pidsLimit).toBe(256);
  });

  it.each([
    [
      'runner.backstage.io/ports',
      'http',
      'is not a port; use CONTAINER[/tcp|udp] or HOST:CONTAINER',
    ],
    ['runner.backstage.io/ports', '8080:', 'is not a port'],
    ['runner.backstage.io/ports', '127.0.0.1:80:8080', 'no host IP'],
    ['runner.backstage.io/ports', '8080/sctp', 'is not a port'],
    [
      'runner.backstage.io/build-args',
      'VERSION',
      "'VERSION' is not KEY=value; use comma-separated KEY=value pairs",
    ],
    ['runner.backstage.io/build-args', 'A=1,A=2', "'A' is given twice"],
    ['runner.backstage.io/env', 'MY-VAR=1', "'MY-VAR=1' is not KEY=value"],
    ['runner.backstage.io/dockerfile', '../Dockerfile', 'leaves its root'],
    ['runner.backstage.io/build-context', '/abs', 'is absolute'],
    ['runner.backstage.io/build-target', 'a b', 'is not a build stage name'],
    [
      'runner.backstage.io/health-path',
      'healthz',
      'is not an HTTP path; use a path starting with /',
    ],
  ])(
    'rejects %s: %j as an InputError naming the annotation',
    (name, value, message) => {
      let error: unknown;
      try {
        resolveEffectiveConfig(entity({ [name]: value }), config());
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toContain(
        `Invalid annotation '${name}' on component:default/hello-http:`,
      );
      expect((error as Error).message).toContain(message);
    },
  );

  it('treats an empty annotation as absent', () => {
    const effective = resolveEffectiveConfig(
      entity({
        'runner.backstage.io/dockerfile': ' ',
        'runner.backstage.io/ports': '',
      }),
      config(),
    );
    expect(effective.build.dockerfile).toBe('Dockerfile');
    expect(effective.run.ports).toEqual([]);
  });
});
