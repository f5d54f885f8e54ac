import { screen } from '@testing-library/react';
import {
  ApiBlueprint,
  coreExtensionData,
  type DiscoveryApi,
  type FetchApi,
} from '@backstage/frontend-plugin-api';
import {
  createExtensionTester,
  renderInTestApp,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import type { Entity } from '@backstage/catalog-model';
import runnerPlugin, {
  alertsEntityContent,
  gatewayEntityContent,
  runnerApi,
  runnerEntityContent,
} from './alpha';
import { RunnerClient, runnerApiRef } from './api';
import {
  healthReport,
  mockRunnerApi,
  runnableEntity,
} from './testing/fixtures';

const plainComponent: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'plain' },
};

const gatewayOnlyApi: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'API',
  metadata: {
    name: 'petstore',
    annotations: { 'runner.backstage.io/gateway-namespace': 'team-a' },
  },
};

describe('runner plugin (new frontend system)', () => {
  it('is the runner plugin with its API and three entity tabs', () => {
    expect(runnerPlugin.pluginId).toBe('runner');
    expect(runnerPlugin.getExtension('api:runner')).toBeDefined();
    expect(
      runnerPlugin.getExtension('entity-content:runner/runner'),
    ).toBeDefined();
    expect(
      runnerPlugin.getExtension('entity-content:runner/gateway'),
    ).toBeDefined();
    expect(
      runnerPlugin.getExtension('entity-content:runner/alerts'),
    ).toBeDefined();
  });

  it.each([
    {
      createTester: () => createExtensionTester(runnerEntityContent),
      path: 'runner',
      title: 'Runner',
      group: 'deployment',
      shownFor: [runnableEntity],
      hiddenFor: [plainComponent, gatewayOnlyApi],
    },
    {
      createTester: () => createExtensionTester(gatewayEntityContent),
      path: 'gateway',
      title: 'Gateway',
      group: 'operation',
      shownFor: [runnableEntity, gatewayOnlyApi],
      hiddenFor: [plainComponent],
    },
    {
      createTester: () => createExtensionTester(alertsEntityContent),
      path: 'alerts',
      title: 'Alerts',
      group: 'observability',
      shownFor: [runnableEntity, gatewayOnlyApi],
      hiddenFor: [plainComponent],
    },
  ])(
    'mounts the $title tab at $path in group $group, only for entities it applies to',
    ({ createTester, path, title, group, shownFor, hiddenFor }) => {
      // A factory per row: the three definitions differ in their name type.
      const tester = createTester();
      expect(tester.get(coreExtensionData.routePath)).toBe(path);
      expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(title);
      expect(tester.get(EntityContentBlueprint.dataRefs.group)).toBe(group);

      const filter = tester.get(
        EntityContentBlueprint.dataRefs.filterFunction,
      )!;
      for (const entity of shownFor) {
        expect(filter(entity)).toBe(true);
      }
      for (const entity of hiddenFor) {
        expect(filter(entity)).toBe(false);
      }
    },
  );

  it('renders the Runner tab from its extension', async () => {
    const tester = createExtensionTester(runnerEntityContent);
    renderInTestApp(
      <EntityProvider entity={runnableEntity}>
        {tester.reactElement()}
      </EntityProvider>,
      { apis: [[runnerApiRef, mockRunnerApi()]] },
    );

    expect(
      await screen.findByRole('heading', { level: 2, name: 'Runner' }),
    ).toBeInTheDocument();
    expect(screen.getByTestId('runner-tab')).toBeInTheDocument();
    expect(
      await screen.findByText('Reachable, Docker 27.3.1'),
    ).toBeInTheDocument();
  });

  it('renders the Gateway and Alerts tabs from their extensions', async () => {
    for (const [createTester, testId, heading] of [
      [
        () => createExtensionTester(gatewayEntityContent),
        'gateway-tab',
        'Gateway',
      ],
      [
        () => createExtensionTester(alertsEntityContent),
        'alerts-tab',
        'Alerts',
      ],
    ] as const) {
      const tester = createTester();
      const { unmount } = renderInTestApp(
        <EntityProvider entity={runnableEntity}>
          {tester.reactElement()}
        </EntityProvider>,
        { apis: [[runnerApiRef, mockRunnerApi()]] },
      );
      expect(
        await screen.findByRole('heading', { level: 2, name: heading }),
      ).toBeInTheDocument();
      expect(screen.getByTestId(testId)).toBeInTheDocument();
      unmount();
    }
  });

  it('builds a RunnerClient on the discovery and fetch APIs', async () => {
    const discoveryApi: DiscoveryApi = {
      getBaseUrl: jest.fn(async (id: string) => `http://backend/api/${id}`),
    };
    const fetchApi: FetchApi = {
      fetch: jest.fn(
        async () =>
          new Response(JSON.stringify(healthReport()), {
            headers: { 'Content-Type': 'application/json' },
          }),
      ),
    };

    const factory = createExtensionTester(runnerApi).get(
      ApiBlueprint.dataRefs.factory,
    );
    expect(factory.api.id).toBe(runnerApiRef.id);
    const client = factory.factory({ discoveryApi, fetchApi });
    expect(client).toBeInstanceOf(RunnerClient);

    await expect((client as RunnerClient).getHealth()).resolves.toEqual(
      healthReport(),
    );
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      'http://backend/api/runner/health',
    );
  });

  describe('on an entity page', () => {
    const tabs = [
      runnerEntityContent,
      gatewayEntityContent,
      alertsEntityContent,
    ];

    it('mounts each tab at its path', async () => {
      renderTestApp({
        extensions: [createTestEntityPage({ entity: runnableEntity }), ...tabs],
        apis: [[runnerApiRef, mockRunnerApi()]],
        initialRouteEntries: ['/gateway'],
      });

      expect(
        await screen.findByRole('heading', { level: 2, name: 'Gateway' }),
      ).toBeInTheDocument();
      expect(screen.queryByTestId('runner-tab')).not.toBeInTheDocument();
      expect(screen.queryByTestId('alerts-tab')).not.toBeInTheDocument();
    });

    it('leaves out the Runner tab for an entity that is not runnable', async () => {
      renderTestApp({
        extensions: [createTestEntityPage({ entity: gatewayOnlyApi }), ...tabs],
        apis: [[runnerApiRef, mockRunnerApi()]],
        initialRouteEntries: ['/runner'],
      });

      // /runner is not mounted for this entity: the page falls back to its
      // first tab, Gateway.
      expect(
        await screen.findByRole('heading', { level: 2, name: 'Gateway' }),
      ).toBeInTheDocument();
      expect(screen.queryByTestId('runner-tab')).not.toBeInTheDocument();
    });

    it('shows no runner tab at all for an entity without runner annotations', async () => {
      renderTestApp({
        extensions: [createTestEntityPage({ entity: plainComponent }), ...tabs],
        apis: [[runnerApiRef, mockRunnerApi()]],
      });

      expect(
        await screen.findByTestId('empty-entity-page'),
      ).toBeInTheDocument();
    });
  });
});
