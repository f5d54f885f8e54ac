import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { GATEWAY_ANNOTATIONS } from '@internal/plugin-runner-common';
import { runnerApiRef, type RunnerApi } from '../../api';
import {
  healthReport,
  mockRunnerApi,
  runnableEntity,
} from '../../testing/fixtures';
import { backendError } from '../../testing/errors';
import { GatewayContent } from './GatewayContent';
import { NO_CLUSTER_MESSAGE } from './KubernetesClustersCard';

function renderTab(api: RunnerApi, entity = runnableEntity) {
  return renderInTestApp(
    <EntityProvider entity={entity}>
      <GatewayContent />
    </EntityProvider>,
    { apis: [[runnerApiRef, api]] },
  );
}

const twoClusters = healthReport({
  kubernetes: {
    configured: true,
    clusters: [
      {
        name: 'dev',
        url: 'https://dev.example.com:6443',
        reachable: true,
        version: 'v1.31.2',
      },
      {
        name: 'prod',
        url: 'https://prod.example.com:6443',
        reachable: false,
        reason: 'x509: certificate signed by unknown authority',
      },
    ],
  },
});

describe('GatewayContent', () => {
  it('says plainly that nothing can be applied when no cluster is configured', async () => {
    renderTab(mockRunnerApi());

    const tab = screen.getByTestId('gateway-tab');
    expect(
      within(tab).getByRole('heading', { level: 2, name: 'Gateway' }),
    ).toBeInTheDocument();
    expect(await screen.findByText(NO_CLUSTER_MESSAGE)).toBeInTheDocument();
    expect(NO_CLUSTER_MESSAGE).toBe(
      'No Kubernetes cluster is configured (runner.kubernetes.clusters): gateway resources can be built, validated and exported, but not applied.',
    );
    expect(
      screen.queryByRole('table', { name: 'Kubernetes clusters' }),
    ).not.toBeInTheDocument();

    const annotations = screen.getByRole('table', {
      name: 'Gateway annotations',
    });
    expect(annotations).toHaveTextContent('team-a');
    expect(annotations).toHaveTextContent('infra/eg');
    expect(
      screen.getByText('No gateway routes or providers yet'),
    ).toBeInTheDocument();
  });

  it('lists configured clusters with their reachability and reason', async () => {
    renderTab(mockRunnerApi(async () => twoClusters));

    const table = await screen.findByRole('table', {
      name: 'Kubernetes clusters',
    });
    const [, devRow, prodRow] = within(table).getAllByRole('row');
    expect(devRow).toHaveTextContent('dev');
    expect(devRow).toHaveTextContent('used by this entity');
    expect(devRow).toHaveTextContent('Reachable');
    expect(devRow).toHaveTextContent('Kubernetes v1.31.2');
    expect(prodRow).toHaveTextContent('prod');
    expect(prodRow).toHaveTextContent('Not reachable');
    expect(prodRow).toHaveTextContent(
      'x509: certificate signed by unknown authority',
    );
    expect(screen.queryByText(NO_CLUSTER_MESSAGE)).not.toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('warns when the entity names a cluster that is not configured', async () => {
    const entity = {
      ...runnableEntity,
      metadata: {
        ...runnableEntity.metadata,
        annotations: {
          ...runnableEntity.metadata.annotations,
          [GATEWAY_ANNOTATIONS.cluster]: 'staging',
        },
      },
    };
    renderTab(
      mockRunnerApi(async () => twoClusters),
      entity,
    );

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'This entity names cluster "staging", which is not in runner.kubernetes.clusters.',
    );
  });

  it('shows an error panel when the runner backend fails', async () => {
    const error = await backendError(503, 'runner backend is starting');
    renderTab(mockRunnerApi(() => Promise.reject(error)));

    expect(
      await screen.findByText(/runner backend is starting/),
    ).toBeInTheDocument();
    expect(screen.queryByText(NO_CLUSTER_MESSAGE)).not.toBeInTheDocument();
    // The annotations do not depend on the backend and stay visible.
    expect(
      screen.getByRole('table', { name: 'Gateway annotations' }),
    ).toBeInTheDocument();
  });
});
