import { screen } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  EntityAlertsContent,
  EntityGatewayContent,
  EntityRunnerContent,
  runnerPlugin,
} from './plugin';
import { runnerApiRef } from './api';
import { mockRunnerApi, runnableEntity } from './testing/fixtures';
import { NO_CLUSTER_MESSAGE } from './hooks/useGatewayClusters';

// A legacy app requires a routable extension to sit at a route path in the
// app's element tree, as EntityLayout.Route puts it in a real EntityPage.
// The permission API comes from app-defaults in a real legacy app; the test
// app has none, so the test provides it.
async function renderLegacy(element: JSX.Element) {
  const runnerApi = mockRunnerApi();
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [runnerApiRef, runnerApi],
        [permissionApiRef, mockApis.permission()],
      ]}
    >
      <EntityProvider entity={runnableEntity}>
        <Routes>
          <Route path="/tab/*" element={element} />
        </Routes>
      </EntityProvider>
    </TestApiProvider>,
    { routeEntries: ['/tab'] },
  );
  return runnerApi;
}

describe('runner plugin (legacy frontend system)', () => {
  it('registers the runner API factory', () => {
    const apiIds = [...runnerPlugin.getApis()].map(factory => factory.api.id);
    expect(apiIds).toEqual(['plugin.runner.service']);
    expect(runnerPlugin.getId()).toBe('runner');
  });

  it('renders EntityRunnerContent in a legacy app', async () => {
    const runnerApi = await renderLegacy(<EntityRunnerContent />);

    expect(
      await screen.findByRole('heading', { level: 2, name: 'Runner' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('Reachable, Docker 27.3.1'),
    ).toBeInTheDocument();
    expect(runnerApi.getHealth).toHaveBeenCalled();
  });

  it('renders EntityGatewayContent in a legacy app', async () => {
    await renderLegacy(<EntityGatewayContent />);

    expect(
      await screen.findByRole('heading', { level: 2, name: 'Gateway' }),
    ).toBeInTheDocument();
    expect(await screen.findByText(NO_CLUSTER_MESSAGE)).toBeInTheDocument();
  });

  it('renders EntityAlertsContent in a legacy app', async () => {
    await renderLegacy(<EntityAlertsContent />);

    expect(
      await screen.findByRole('heading', { level: 2, name: 'Alerts' }),
    ).toBeInTheDocument();
    expect(screen.getByTestId('alerts-tab')).toHaveTextContent('No alerts');
  });
});
