import { InputError } from '@backstage/errors';
import { hardenedCreateOptions, validateRunRequest } from './hardening';
import { RUNNER_LABELS, type RunRequest } from './types';

function request(overrides: Partial<RunRequest> = {}): RunRequest {
  return {
    image: 'sha256:abc',
    name: 'runner-hello-1',
    labels: { [RUNNER_LABELS.instanceId]: 'i-1' },
    env: { GREETING: 'hi=there' },
    ports: [{ containerPort: 8080, protocol: 'tcp' }],
    limits: { memoryBytes: 512 * 1024 * 1024, nanoCpus: 5e8, pidsLimit: 128 },
    readOnlyRootfs: false,
    securityOptions: [],
    logRotation: {
      driver: 'json-file',
      maxSizeBytes: 10 * 1024 * 1024,
      maxFiles: 3,
    },
    ...overrides,
  };
}

describe('hardenedCreateOptions', () => {
  it('cannot be weakened by the request', () => {
    const options = hardenedCreateOptions(
      request({
        labels: { [RUNNER_LABELS.managed]: 'false' },
        securityOptions: [
          'no-new-privileges:true',
          'seccomp=/etc/profile.json',
        ],
      }),
      [
        {
          containerPort: 8080,
          protocol: 'tcp',
          hostPort: 40123,
          ephemeral: true,
        },
      ],
      ['/data'],
    );
    expect(options.Labels![RUNNER_LABELS.managed]).toBe('true');
    expect(options.Env).toEqual(['GREETING=hi=there']);
    expect(options.HostConfig).toMatchObject({
      NetworkMode: 'bridge',
      Privileged: false,
      CapDrop: ['ALL'],
      CapAdd: [],
      SecurityOpt: ['no-new-privileges', 'seccomp=/etc/profile.json'],
      Memory: 512 * 1024 * 1024,
      MemorySwap: 512 * 1024 * 1024,
      NanoCpus: 5e8,
      PidsLimit: 128,
      Init: true,
      ReadonlyRootfs: false,
      RestartPolicy: { Name: 'no', MaximumRetryCount: 0 },
      PortBindings: {
        '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '40123' }],
      },
      PublishAllPorts: false,
      Binds: [],
      Mounts: [],
      Devices: [],
      // The image's VOLUME becomes a bounded tmpfs, not a volume on the host.
      Tmpfs: { '/data': 'rw,nosuid,nodev,size=64m' },
      // Rotated whatever the engine's default log driver is.
      LogConfig: {
        Type: 'json-file',
        Config: { 'max-size': '10485760', 'max-file': '3' },
      },
    });
    expect(options.ExposedPorts).toEqual({ '8080/tcp': {} });
  });

  it('adds the /tmp tmpfs to a read-only root', () => {
    const options = hardenedCreateOptions(
      request({ readOnlyRootfs: true }),
      [],
    );
    expect(options.HostConfig?.ReadonlyRootfs).toBe(true);
    expect(options.HostConfig?.Tmpfs).toEqual({
      '/tmp': 'rw,noexec,nosuid,nodev,size=64m',
    });
  });
});

describe('validateRunRequest', () => {
  it.each<[string, Partial<RunRequest>, RegExp]>([
    ['a bad name', { name: '/etc' }, /Container name/],
    [
      'too little memory',
      { limits: { memoryBytes: 1024, nanoCpus: 1e9, pidsLimit: 1 } },
      /at least 6 MiB/,
    ],
    [
      'fractional NanoCpus',
      { limits: { memoryBytes: 1e8, nanoCpus: 0.5, pidsLimit: 1 } },
      /NanoCpus/,
    ],
    [
      'no PIDs limit',
      { limits: { memoryBytes: 1e8, nanoCpus: 1e9, pidsLimit: 0 } },
      /PIDs limit/,
    ],
    [
      'a port out of range',
      { ports: [{ containerPort: 70000, protocol: 'tcp' }] },
      /not a port/,
    ],
    [
      'a host port twice',
      {
        ports: [
          { containerPort: 1, protocol: 'tcp', hostPort: 8080 },
          { containerPort: 2, protocol: 'tcp', hostPort: 8080 },
        ],
      },
      /requested twice/,
    ],
    ['an env name with =', { env: { 'A=B': 'x' } }, /Environment variable/],
    [
      'no log rotation',
      { logRotation: undefined as any },
      /Log rotation undefined is invalid/,
    ],
    [
      'a log driver that does not rotate by size',
      {
        logRotation: { driver: 'syslog' as any, maxSizeBytes: 1, maxFiles: 1 },
      },
      /Log rotation .* is invalid/,
    ],
    [
      'turning no-new-privileges off',
      { securityOptions: ['no-new-privileges=false'] },
      /not allowed/,
    ],
  ])('rejects %s', (_what, overrides, message) => {
    expect(() => validateRunRequest(request(overrides))).toThrow(InputError);
    expect(() => validateRunRequest(request(overrides))).toThrow(message);
  });

  it('accepts a sound request', () => {
    expect(() => validateRunRequest(request())).not.toThrow();
  });
});
