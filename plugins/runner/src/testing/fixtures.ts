// Test data shared by the tests of this package. Not exported from an entry
// point.
import type { Entity } from '@backstage/catalog-model';
import {
  GATEWAY_ANNOTATIONS,
  RUNNER_ANNOTATIONS,
  type RunnerHealthReport,
} from '@internal/plugin-runner-common';
import type { RunnerApi } from '../api';
import { effectiveConfig, instanceEvents } from './instances';
import { instanceHealth } from './monitoring';
import { gatewayTemplates, noClusters, templateWithSchema } from './gateway';

export const runnableEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'hello',
    annotations: {
      'backstage.io/source-location': 'url:https://example.com/hello',
      [RUNNER_ANNOTATIONS.dockerfile]: 'docker/Dockerfile',
      [RUNNER_ANNOTATIONS.ports]: '8080/tcp',
      [RUNNER_ANNOTATIONS.healthPath]: '/healthz',
      [GATEWAY_ANNOTATIONS.namespace]: 'team-a',
      [GATEWAY_ANNOTATIONS.parentGateway]: 'infra/eg',
      [GATEWAY_ANNOTATIONS.cluster]: 'dev',
    },
  },
  spec: { type: 'service', lifecycle: 'experimental', owner: 'team-a' },
};

export function healthReport(
  overrides: Partial<RunnerHealthReport> = {},
): RunnerHealthReport {
  return {
    status: 'ok',
    docker: {
      reachable: true,
      version: '27.3.1',
      endpoint: 'unix:///var/run/docker.sock',
    },
    kubernetes: { configured: false, clusters: [] },
    checkedAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

/**
 * A RunnerApi of jest mocks. By default the entity has no instances, an
 * effective config, empty logs, no metrics samples, a healthy instance and
 * no alerts or errors; tests override single methods.
 */
export function mockRunnerApi(
  getHealth: RunnerApi['getHealth'] = async () => healthReport(),
): jest.Mocked<RunnerApi> {
  const notMocked = (name: string) => async () => {
    throw new Error(`${name} is not mocked in this test`);
  };
  const implementation: RunnerApi = {
    getHealth,
    listInstances: async () => [],
    startInstance: notMocked('startInstance'),
    stopInstance: notMocked('stopInstance'),
    restartInstance: notMocked('restartInstance'),
    removeInstance: async () => undefined,
    getInstanceEvents: async id => instanceEvents(id),
    getEffectiveConfig: async () => effectiveConfig(),
    getLogs: async () => '',
    followLogs: async () => undefined,
    // A running instance with no samples yet, healthy, no alerts or errors.
    getInstanceMetrics: async id => ({
      instanceId: id,
      from: '2025-01-01T09:00:00.000Z',
      to: '2025-01-01T10:00:00.000Z',
      stepMs: 30_000,
      source: 'raw',
      timestamps: [],
      series: [],
    }),
    getInstanceHealth: async id => instanceHealth({ instanceId: id }),
    listErrors: async () => ({ items: [] }),
    listInstanceErrors: async () => ({ items: [] }),
    listAlerts: async () => [],
    acknowledgeAlert: notMocked('acknowledgeAlert'),
    // Gateway: no cluster configured, nothing listed, the real templates.
    getGatewayClusters: async () => noClusters(),
    listGatewayTemplates: async () => gatewayTemplates(),
    getGatewayTemplate: async id => templateWithSchema(id),
    listGatewayBundles: async () => ({
      configured: false,
      message: 'No Kubernetes cluster is configured',
      items: [],
    }),
    getGatewayBundle: notMocked('getGatewayBundle'),
    createGatewayBundle: notMocked('createGatewayBundle'),
    updateGatewayBundle: notMocked('updateGatewayBundle'),
    deleteGatewayBundle: async () => undefined,
    validateGatewayProposal: async () => ({
      status: 'valid' as const,
      valid: true,
      unverifiedKinds: [],
      findings: [],
      layers: {
        rules: 'passed',
        schema: 'passed',
        dryRun: 'skipped: no cluster is configured',
      },
    }),
    diffGatewayProposal: notMocked('diffGatewayProposal'),
    exportGatewayYaml: async () => '',
    exportGatewayProposal: async () => '',
    importGatewayYaml: notMocked('importGatewayYaml'),
    listGatewayRevisions: async () => [],
    rollbackGatewayBundle: notMocked('rollbackGatewayBundle'),
  };
  // jest.fn per method, so tests can assert calls and override one method.
  return Object.fromEntries(
    Object.entries(implementation).map(([name, fn]) => [name, jest.fn(fn)]),
  ) as unknown as jest.Mocked<RunnerApi>;
}
