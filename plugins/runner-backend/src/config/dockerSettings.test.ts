import { ConfigReader } from '@backstage/config';
import { readRunnerConfig } from './RunnerConfig';

function read(runner: unknown) {
  return readRunnerConfig(new ConfigReader({ runner } as any));
}

function component(docker: unknown) {
  return { components: { 'hello-http': { docker } } };
}

describe('runner.docker settings', () => {
  it('reads every default key in its accepted forms', () => {
    const { dockerDefaults } = read({
      docker: {
        buildTimeout: '15m',
        runTimeout: 'PT1H',
        resourceLimits: { memory: '1g', cpus: '0.5', pids: 64 },
        securityOptions: ['apparmor=docker-default', 'no-new-privileges'],
        readOnlyRootfs: true,
        imageCleanupPolicy: 'always',
        maxInstancesPerEntity: 3,
        maxContextSize: '50m',
        env: { GREETING: 'hi', PORT: 8080 },
        secretEnv: { TOKEN: 's3cr3t' },
      },
    });
    expect(dockerDefaults).toEqual({
      connectionTimeoutMs: 5000,
      buildTimeoutMs: 15 * 60_000,
      runTimeoutMs: 3_600_000,
      resourceLimits: {
        memoryBytes: 1024 ** 3,
        nanoCpus: 500_000_000,
        pidsLimit: 64,
      },
      securityOptions: ['apparmor=docker-default', 'no-new-privileges'],
      readOnlyRootfs: true,
      imageCleanupPolicy: 'always',
      maxInstancesPerEntity: 3,
      maxContextBytes: 50 * 1024 ** 2,
      logRotation: {
        driver: 'json-file',
        maxSizeBytes: 10 * 1024 ** 2,
        maxFiles: 3,
      },
      imageRetention: { keep: 3 },
      env: { GREETING: 'hi', PORT: '8080' },
      secretEnv: { TOKEN: 's3cr3t' },
    });
  });

  it.each([
    ['512m', 512 * 1024 ** 2],
    ['512MiB', 512 * 1024 ** 2],
    ['1g', 1024 ** 3],
    ['1.5G', 1.5 * 1024 ** 3],
    [536870912, 536870912],
    ['6m', 6 * 1024 ** 2],
  ])('reads memory %j as %d bytes', (memory, bytes) => {
    expect(
      read({ docker: { resourceLimits: { memory } } }).dockerDefaults
        .resourceLimits.memoryBytes,
    ).toBe(bytes);
  });

  it.each([
    [0.5, 500_000_000],
    ['2', 2_000_000_000],
    [0.01, 10_000_000],
    [64, 64_000_000_000],
  ])('reads cpus %j as %d NanoCpus', (cpus, nano) => {
    expect(
      read({ docker: { resourceLimits: { cpus } } }).dockerDefaults
        .resourceLimits.nanoCpus,
    ).toBe(nano);
  });

  it.each([
    [
      component({ resourceLimits: { memory: '12 parsecs' } }),
      "Invalid config at 'runner.components.hello-http.docker.resourceLimits.memory': '12 parsecs'; use bytes (536870912) or a size such as 512m, 1g",
    ],
    [
      { docker: { resourceLimits: { memory: '4m' } } },
      "'runner.docker.resourceLimits.memory': '4m' is 4 MiB (4194304 bytes); the minimum is 6 MiB",
    ],
    [
      { docker: { resourceLimits: { cpus: 0 } } },
      "'runner.docker.resourceLimits.cpus': '0'; use a number of CPUs from 0.01 to 64",
    ],
    [
      { docker: { resourceLimits: { cpus: '500' } } },
      "'runner.docker.resourceLimits.cpus'",
    ],
    [
      { docker: { resourceLimits: { cpus: 'half' } } },
      "'runner.docker.resourceLimits.cpus'",
    ],
    [
      { docker: { resourceLimits: { pids: 0 } } },
      "'runner.docker.resourceLimits.pids': '0'; use a whole number of at least 1",
    ],
    [
      { docker: { resourceLimits: { pids: 1.5 } } },
      "'runner.docker.resourceLimits.pids'",
    ],
    [
      { docker: { resourceLimits: { swap: '1g' } } },
      "'runner.docker.resourceLimits.swap': unknown key; use one of memory, cpus, pids",
    ],
    [
      { docker: { resourceLimits: '512m' } },
      "'runner.docker.resourceLimits': expected a map",
    ],
    [{ docker: { buildTimeout: 'soon' } }, "'runner.docker.buildTimeout'"],
    [
      component({ runTimeout: -5 }),
      "'runner.components.hello-http.docker.runTimeout'",
    ],
    [
      { docker: { readOnlyRootfs: 'yes' } },
      "'runner.docker.readOnlyRootfs': 'yes'; use true or false",
    ],
    [
      { docker: { imageCleanupPolicy: 'sometimes' } },
      "'runner.docker.imageCleanupPolicy': 'sometimes'; use always, on-error, never",
    ],
    [
      component({ maxInstancesPerEntity: 0 }),
      "'runner.components.hello-http.docker.maxInstancesPerEntity'",
    ],
    [
      { docker: { maxContextSize: 'big' } },
      "'runner.docker.maxContextSize': 'big'; use bytes",
    ],
    [
      { docker: { env: { '1BAD': 'x' } } },
      "'runner.docker.env.1BAD': '1BAD' is not a variable name",
    ],
    [
      { docker: { env: { A: ['x'] } } },
      "'runner.docker.env.A': '[\"x\"]' is not a string",
    ],
    [
      { docker: { env: { A: 'x' }, secretEnv: { A: 'y' } } },
      "'runner.docker.secretEnv.A': 'A' is also set in 'runner.docker.env'",
    ],
    [
      { docker: { securityOptions: 'seccomp=unconfined' } },
      "'runner.docker.securityOptions': expected a list",
    ],
    [
      component({ host: 'tcp://10.0.0.1:2375' }),
      "'runner.components.hello-http.docker.host': the Docker engine is shared by all components; set it once at 'runner.docker.host'",
    ],
    [
      component({ privileged: true }),
      "'runner.components.hello-http.docker.privileged': unknown key",
    ],
  ])('rejects %j: %s', (runner, message) => {
    expect(() => read(runner)).toThrow(message);
  });

  it.each([
    ['seccomp=unconfined', 'seccomp syscall filter'],
    ['seccomp:unconfined', 'seccomp syscall filter'],
    ['apparmor=unconfined', 'AppArmor'],
    ['apparmor:unconfined', 'AppArmor'],
    ['label=disable', 'SELinux'],
    ['label:disable', 'SELinux'],
    ['systempaths=unconfined', '/proc and /sys'],
    ['no-new-privileges=false', 'no-new-privileges'],
    ['no-new-privileges:false', 'no-new-privileges'],
    ['SECCOMP = Unconfined', 'seccomp syscall filter'],
  ])('refuses the weakening security option %s and says why', (option, why) => {
    for (const runner of [
      { docker: { securityOptions: ['apparmor=x', option] } },
      component({ securityOptions: ['apparmor=x', option] }),
    ]) {
      const key =
        'components' in runner
          ? 'runner.components.hello-http.docker.securityOptions[1]'
          : 'runner.docker.securityOptions[1]';
      expect(() => read(runner)).toThrow(
        new RegExp(
          `^Invalid config at '${key.replace(
            /[.[\]]/g,
            '\\$&',
          )}': '${option}' is not allowed because .*${why}`,
        ),
      );
    }
  });

  it.each([
    'privileged',
    'seccomp',
    'label',
    'systempaths=strict',
    'no-new-privileges=maybe',
  ])('rejects the unknown or incomplete security option %s', option => {
    expect(() => read({ docker: { securityOptions: [option] } })).toThrow(
      "'runner.docker.securityOptions[0]'",
    );
  });

  it('accepts options that keep or tighten isolation', () => {
    const options = [
      'seccomp={"defaultAction":"SCMP_ACT_ERRNO"}',
      'apparmor=docker-default',
      'label=type:container_t',
      'label:level:s0:c100,c200',
      'no-new-privileges',
      'no-new-privileges=true',
      'writable-cgroups=false',
    ];
    expect(
      read({ docker: { securityOptions: options } }).dockerDefaults
        .securityOptions,
    ).toEqual(options);
  });

  it('never puts a secretEnv value in an error message', () => {
    expect(() =>
      read({ docker: { secretEnv: { TOKEN: { nested: 's3cr3t-value' } } } }),
    ).toThrow(
      expect.objectContaining({
        message: expect.not.stringContaining('s3cr3t-value'),
      }),
    );
  });
});
