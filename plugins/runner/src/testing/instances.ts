// Runner instance test data. Not exported from an entry point.
import type {
  InstanceEvent,
  RunnerInstance,
} from '@internal/plugin-runner-common';
import type { EffectiveConfig } from '../api';

export const HELLO_REF = 'component:default/hello';

export function runnerInstance(
  overrides: Partial<RunnerInstance> = {},
): RunnerInstance {
  return {
    id: '3f2a1b2c-0000-4000-8000-000000000001',
    entityRef: HELLO_REF,
    state: 'running',
    ports: [
      {
        containerPort: 8080,
        protocol: 'tcp',
        hostIp: '127.0.0.1',
        hostPort: 49153,
      },
    ],
    oomKilled: false,
    createdBy: 'user:default/alice',
    createdAt: '2025-01-01T10:00:00.000Z',
    updatedAt: '2025-01-01T10:00:05.000Z',
    startedAt: '2025-01-01T10:00:05.000Z',
    ...overrides,
  };
}

export const buildFailure = {
  category: 'build',
  code: 'BUILD_STEP_FAILED',
  severity: 'high',
  recoverable: false,
  origin: 'user',
  userMessage: 'Step RUN npm ci failed with exit code 1.',
  remediation:
    'Fix the failing instruction in `docker/Dockerfile` and start again.',
  detail: 'npm ERR! missing script: build',
};

export function failedInstance(
  overrides: Partial<RunnerInstance> = {},
): RunnerInstance {
  return runnerInstance({
    id: '9c8d7e6f-0000-4000-8000-000000000002',
    state: 'failed',
    ports: [],
    startedAt: undefined,
    stoppedAt: '2025-01-01T09:01:00.000Z',
    createdAt: '2025-01-01T09:00:00.000Z',
    updatedAt: '2025-01-01T09:01:00.000Z',
    failure: buildFailure,
    ...overrides,
  });
}

export function instanceEvents(id: string): InstanceEvent[] {
  return [
    { id: 1, instanceId: id, toState: 'pending', at: '2025-01-01T10:00:00Z' },
    {
      id: 2,
      instanceId: id,
      fromState: 'pending',
      toState: 'building',
      at: '2025-01-01T10:00:01Z',
    },
    {
      id: 3,
      instanceId: id,
      fromState: 'building',
      toState: 'running',
      message: 'container started',
      at: '2025-01-01T10:00:05Z',
    },
  ];
}

/** The secret's real value: tests assert it never reaches the page. */
export const SECRET_VALUE = 's3cr3t-token-value';

export function effectiveConfig(
  overrides: Partial<EffectiveConfig> = {},
): EffectiveConfig {
  return {
    entityRef: HELLO_REF,
    docker: {
      connectionTimeoutMs: 5000,
      buildTimeoutMs: 600000,
      resourceLimits: {
        memoryBytes: 536870912,
        nanoCpus: 500000000,
        pidsLimit: 256,
      },
      securityOptions: ['no-new-privileges'],
      readOnlyRootfs: false,
      imageCleanupPolicy: 'on-error',
      maxInstancesPerEntity: 1,
    },
    build: {
      dockerfile: 'docker/Dockerfile',
      context: '.',
      buildArgs: { NODE_VERSION: '22' },
    },
    run: {
      ports: [{ containerPort: 8080, protocol: 'tcp' }],
      healthPath: '/healthz',
      env: { LOG_LEVEL: 'debug' },
      secretEnv: { API_TOKEN: 'set' },
    },
    origins: {
      'docker.resourceLimits.memoryBytes': 'app-config',
      'build.dockerfile': 'annotation',
      'run.ports': 'annotation',
      'docker.buildTimeoutMs': 'default',
    },
    ...overrides,
  };
}
