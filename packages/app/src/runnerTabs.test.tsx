import { screen, within } from '@testing-library/react';
import { renderTestApp } from '@backstage/frontend-test-utils';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import runnerPlugin from '@internal/plugin-runner/alpha';
import { runnerApiRef, type RunnerApi } from '@internal/plugin-runner';
import type { Entity } from '@backstage/catalog-model';

// The catalog entity page with the runner plugin installed, as the app
// installs it: proves that the tabs reach the page, are filtered per entity
// and each show up as a tab of its own (not folded into a group menu). In
// 1.57 the entity page renders its tabs as plain links, not role="tab".

const runnable: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'hello',
    annotations: {
      'runner.backstage.io/ports': '8080',
      'runner.backstage.io/gateway-namespace': 'team-a',
    },
  },
  spec: { type: 'service', lifecycle: 'experimental', owner: 'team-a' },
};

const plain: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'plain' },
  spec: { type: 'service', lifecycle: 'experimental', owner: 'team-a' },
};

// The whole catalog entity page renders here: slow on a loaded CI machine.
jest.setTimeout(60_000);
const SLOW = { timeout: 15_000 };

const runnerApi: RunnerApi = {
  getHealth: async () => ({
    status: 'degraded',
    docker: {
      reachable: false,
      endpoint: 'unix:///var/run/docker.sock',
      reason: 'connect ENOENT /var/run/docker.sock',
    },
    kubernetes: { configured: false, clusters: [] },
    checkedAt: '2025-01-01T00:00:00.000Z',
  }),
  // The entity page only needs the tabs to render; no instance exists yet.
  listInstances: async () => [],
  startInstance: async () => {
    throw new Error('not used');
  },
  stopInstance: async () => {
    throw new Error('not used');
  },
  restartInstance: async () => {
    throw new Error('not used');
  },
  removeInstance: async () => undefined,
  getInstanceEvents: async () => [],
  getEffectiveConfig: async () => ({} as any),
  getLogs: async () => '',
  followLogs: async () => undefined,
  getInstanceMetrics: async id => ({
    instanceId: id,
    from: '',
    to: '',
    stepMs: 30000,
    source: 'raw',
    timestamps: [],
    series: [],
  }),
  getInstanceHealth: async () => {
    throw new Error('not used');
  },
  listErrors: async () => ({ items: [] }),
  listInstanceErrors: async () => ({ items: [] }),
  listAlerts: async () => [],
  acknowledgeAlert: async () => {
    throw new Error('not used');
  },
  getGatewayClusters: async () => ({
    configured: false,
    clusters: [],
    checkedAt: '2025-01-01T00:00:00.000Z',
  }),
  listGatewayTemplates: async () => [],
  getGatewayTemplate: async () => {
    throw new Error('not used');
  },
  listGatewayBundles: async () => ({ configured: false, items: [] }),
  getGatewayBundle: async () => {
    throw new Error('not used');
  },
  createGatewayBundle: async () => {
    throw new Error('not used');
  },
  updateGatewayBundle: async () => {
    throw new Error('not used');
  },
  deleteGatewayBundle: async () => undefined,
  validateGatewayProposal: async () => {
    throw new Error('not used');
  },
  diffGatewayProposal: async () => {
    throw new Error('not used');
  },
  exportGatewayYaml: async () => '',
  exportGatewayProposal: async () => '',
  importGatewayYaml: async () => [],
  listGatewayRevisions: async () => [],
  rollbackGatewayBundle: async () => {
    throw new Error('not used');
  },
};

function renderEntityPage(path: string) {
  return renderTestApp({
    features: [catalogPlugin, runnerPlugin],
    apis: [
      catalogApiMock({ entities: [runnable, plain] }),
      [runnerApiRef, runnerApi],
    ],
    initialRouteEntries: [path],
  });
}

describe('runner tabs on the catalog entity page', () => {
  it('shows Runner, Gateway and Alerts tabs for a runnable component', async () => {
    renderEntityPage('/catalog/default/component/hello/runner');

    const runnerTab = await screen.findByRole('link', { name: 'Runner' }, SLOW);
    expect(runnerTab).toHaveAttribute(
      'href',
      '/catalog/default/component/hello/runner',
    );
    expect(screen.getByRole('link', { name: 'Gateway' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Alerts' })).toBeInTheDocument();

    const tab = await screen.findByTestId('runner-tab', {}, SLOW);
    expect(
      within(tab).getByRole('heading', { level: 2, name: 'Runner' }),
    ).toBeInTheDocument();
    expect(await within(tab).findByRole('alert', {}, SLOW)).toHaveTextContent(
      'No Docker engine answers at unix:///var/run/docker.sock: connect ENOENT /var/run/docker.sock. Start Docker (or set DOCKER_HOST) to run this component.',
    );
  });

  it('opens the Gateway tab at its path', async () => {
    renderEntityPage('/catalog/default/component/hello/gateway');

    const tab = await screen.findByTestId('gateway-tab', {}, SLOW);
    expect(
      await within(tab).findByText(
        'No Kubernetes cluster is configured (runner.kubernetes.clusters): gateway resources can be built, validated and exported, but not applied.',
        {},
        SLOW,
      ),
    ).toBeInTheDocument();
  });

  it('shows no runner tabs for a component without runner annotations', async () => {
    renderEntityPage('/catalog/default/component/plain');

    expect(
      await screen.findByRole('link', { name: 'Overview' }, SLOW),
    ).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Runner' })).toBeNull();
    expect(screen.queryByRole('link', { name: 'Gateway' })).toBeNull();
    expect(screen.queryByRole('link', { name: 'Alerts' })).toBeNull();
  });
});
