import {
  configure,
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import { mockRunnerApi } from '../../testing/fixtures';
import { backendError } from '../../testing/errors';
import { devCluster, providerView, routeView } from '../../testing/gateway';
import {
  renderEntityTab,
  testSignals,
} from '../../testing/__testUtils__/render';
import { NO_CLUSTER_MESSAGE } from '../../hooks/useGatewayClusters';
import { GatewayContent } from './GatewayContent';

function withBundles() {
  const api = mockRunnerApi();
  api.getGatewayClusters.mockResolvedValue(devCluster());
  api.listGatewayBundles.mockImplementation(async (_ref, type) => ({
    configured: true,
    cluster: 'dev',
    namespace: 'team-a',
    items: type === 'route' ? [routeView()] : [providerView()],
  }));
  return api;
}

// Several requests per step: room for a loaded CI machine.
configure({ asyncUtilTimeout: 15_000 });

describe('GatewayContent', () => {
  it('says plainly that nothing can be applied when no cluster is configured', async () => {
    renderEntityTab(<GatewayContent />, mockRunnerApi());

    const tab = screen.getByTestId('gateway-tab');
    expect(
      within(tab).getByRole('heading', { level: 2, name: 'Gateway' }),
    ).toBeInTheDocument();
    expect(await screen.findByText(NO_CLUSTER_MESSAGE)).toBeInTheDocument();
    expect(
      screen.getByRole('table', { name: 'Gateway annotations' }),
    ).toHaveTextContent('infra/eg');
    expect(
      await screen.findAllByText(
        'None listed: there is no cluster to read them from.',
      ),
    ).toHaveLength(2);
    // Building still works: the wizard opens.
    fireEvent.click(screen.getByRole('button', { name: 'Add provider' }));
    expect(await screen.findByTestId('gateway-wizard')).toBeInTheDocument();
  });

  it('lists clusters with their reachability and why not', async () => {
    const api = mockRunnerApi();
    api.getGatewayClusters.mockResolvedValue({
      ...devCluster(),
      clusters: [
        ...devCluster().clusters,
        {
          ...devCluster().clusters[0],
          name: 'prod',
          default: false,
          reachable: false,
          reason: 'x509: certificate signed by unknown authority',
        },
      ],
    });
    renderEntityTab(<GatewayContent />, api);

    const table = await screen.findByRole('table', {
      name: 'Kubernetes clusters',
    });
    const [, dev, prod] = within(table).getAllByRole('row');
    expect(dev).toHaveTextContent('used by this entity');
    expect(dev).toHaveTextContent('Reachable');
    expect(dev).toHaveTextContent('routes and providers can be applied');
    expect(prod).toHaveTextContent('Not reachable');
    expect(prod).toHaveTextContent(
      'x509: certificate signed by unknown authority',
    );
    expect(screen.queryByText(NO_CLUSTER_MESSAGE)).not.toBeInTheDocument();
  });

  it('lists routes and providers with Accepted / NotAccepted, reasons and parents', async () => {
    renderEntityTab(<GatewayContent />, withBundles());

    const routes = await screen.findByRole('table', {
      name: 'Routes of hello',
    });
    const web = within(routes).getByTestId('bundle-row-web');
    expect(web).toHaveTextContent('Accepted');
    expect(web).toHaveTextContent('HTTPRoute web');
    expect(web).toHaveTextContent('Parent infra/eg');
    expect(web).toHaveTextContent('ResolvedRefs');
    const providers = screen.getByRole('table', { name: 'Providers of hello' });
    const openai = within(providers).getByTestId('bundle-row-openai');
    expect(openai).toHaveTextContent('NotAccepted (NoMatchingParent)');
    expect(openai).toHaveTextContent('Why: NoMatchingParent');
  });

  it('reloads the lists on a runner-gateway signal about the entity', async () => {
    const api = withBundles();
    const signals = testSignals();
    const { entityRef } = renderEntityTab(<GatewayContent />, api, {
      signals: signals.api,
    });
    await screen.findByRole('table', { name: 'Routes of hello' });
    expect(screen.getByText('Status updates live')).toBeInTheDocument();
    const calls = api.listGatewayBundles.mock.calls.length;
    act(() => signals.send('runner-gateway', { entityRef, summary: {} }));
    await waitFor(() =>
      expect(api.listGatewayBundles.mock.calls.length).toBe(calls + 2),
    );
  });

  it('deletes a bundle after a confirmation naming it and its objects', async () => {
    const api = withBundles();
    const { entityRef } = renderEntityTab(<GatewayContent />, api);
    fireEvent.click(
      await screen.findByRole('button', { name: 'Delete openai' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Delete provider openai?',
    });
    const objects = within(dialog).getByRole('list', {
      name: 'Objects to delete',
    });
    expect(objects).toHaveTextContent('Secret openai-credentials');
    expect(objects).toHaveTextContent('AIGatewayRoute openai');
    expect(api.deleteGatewayBundle).not.toHaveBeenCalled();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await waitFor(() =>
      expect(api.deleteGatewayBundle).toHaveBeenCalledWith(
        entityRef,
        'provider',
        'openai',
      ),
    );
    expect(await screen.findByText('Deleted openai.')).toBeInTheDocument();
  });

  it('disables changes with the reason when permissions are denied', async () => {
    renderEntityTab(<GatewayContent />, withBundles(), {
      denied: ['runner.gateway.create', 'runner.gateway.delete'],
    });
    const add = screen.getByRole('button', { name: 'Add provider' });
    await waitFor(() =>
      expect(add).toHaveAccessibleDescription(
        'You may not create gateway resources of hello (permission runner.gateway.create).',
      ),
    );
    expect(add).toHaveAttribute('aria-disabled', 'true');
    const del = await screen.findByRole('button', { name: 'Delete web' });
    expect(del).toHaveAccessibleDescription(
      'You may not delete gateway resources of hello (permission runner.gateway.delete).',
    );
  });

  it('shows an error with its category and remediation when listing fails', async () => {
    const api = mockRunnerApi();
    const error = await backendError(503, 'cluster dev is not reachable');
    (error.body.error as any).category = 'kubernetes';
    (error.body.error as any).remediation = 'Check runner.kubernetes.clusters.';
    api.listGatewayBundles.mockRejectedValue(error);
    renderEntityTab(<GatewayContent />, api);
    const alert = await screen.findByText(
      'Could not list the routes and providers',
    );
    const box = alert.closest('[role="alert"]')!;
    expect(box).toHaveTextContent('cluster dev is not reachable');
    expect(box).toHaveTextContent('Category: kubernetes');
    expect(box).toHaveTextContent('Check runner.kubernetes.clusters.');
  });
});
