import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { signalApiRef, type SignalApi } from '@backstage/plugin-signals-react';
import type { JsonObject } from '@backstage/types';
import { runnerApiRef, type RunnerApi } from '../../api';
import { RUNNER_INSTANCES_CHANNEL } from '../../hooks/useLiveInstances';
import { mockRunnerApi, runnableEntity } from '../../testing/fixtures';
import { backendError } from '../../testing/errors';
import {
  failedInstance,
  HELLO_REF,
  runnerInstance,
} from '../../testing/instances';
import { giveElementsASize } from '../../testing/layout';
import { RunnerContent } from './RunnerContent';

giveElementsASize();

// AuthorizeResult lives in @backstage/plugin-permission-common, which this
// package does not depend on directly; the decision type is taken from
// mockApis.permission's own signature instead.
type Decision = Exclude<
  NonNullable<Parameters<typeof mockApis.permission>[0]>['authorize'],
  Function | undefined
>;

/** A permission API that denies the named permissions and allows the rest. */
function permissionsDenying(...denied: string[]) {
  return mockApis.permission({
    authorize: request =>
      (denied.includes(request.permission.name) ? 'DENY' : 'ALLOW') as Decision,
  });
}

// usePermission caches answers per permission and resource ref for the whole
// module (SWR), so a denial in one test would leak into the next. Each test
// gets the same entity in a namespace of its own.
let renders = 0;

function renderTab(
  api: RunnerApi,
  options: { denied?: string[]; signals?: SignalApi } = {},
) {
  const namespace = `test-${++renders}`;
  const entity = {
    ...runnableEntity,
    metadata: { ...runnableEntity.metadata, namespace },
  };
  renderInTestApp(
    <EntityProvider entity={entity}>
      <RunnerContent />
    </EntityProvider>,
    {
      apis: [
        [runnerApiRef, api],
        permissionsDenying(...(options.denied ?? [])),
        ...(options.signals ? [[signalApiRef, options.signals] as const] : []),
      ],
    },
  );
  return { entityRef: `component:${namespace}/hello` };
}

const running = runnerInstance();
const failed = failedInstance();

describe('RunnerContent instances', () => {
  it('lists instances with their state, ports, creator and failure remediation', async () => {
    const api = mockRunnerApi();
    api.listInstances.mockResolvedValue([failed, running]);
    renderTab(api);

    const table = await screen.findByRole('table', {
      name: 'Instances of hello',
    });
    const runningRow = within(table).getByTestId(`instance-row-${running.id}`);
    expect(within(runningRow).getByText('running')).toBeInTheDocument();
    expect(
      within(runningRow).getByRole('link', { name: 'http://127.0.0.1:49153' }),
    ).toHaveAttribute('href', 'http://127.0.0.1:49153');
    expect(runningRow).toHaveTextContent('alice');
    expect(runningRow).toHaveTextContent('container 8080/tcp');

    // Newest first: the running instance was created after the failed one.
    const rows = within(table).getAllByTestId(/^instance-row-/);
    expect(rows.map(r => r.dataset.testid)).toEqual([
      `instance-row-${running.id}`,
      `instance-row-${failed.id}`,
    ]);

    const failedRow = within(table).getByTestId(`instance-row-${failed.id}`);
    expect(within(failedRow).getByText('failed')).toBeInTheDocument();
    expect(failedRow).toHaveTextContent(
      'Step RUN npm ci failed with exit code 1.',
    );
    fireEvent.click(
      within(failedRow).getByRole('button', {
        name: 'Failure details of instance 9c8d7e6f…',
      }),
    );
    expect(failedRow).toHaveTextContent('BUILD_STEP_FAILED');
    expect(failedRow).toHaveTextContent('high');
    expect(failedRow).toHaveTextContent(
      'Fix the failing instruction in docker/Dockerfile and start again.',
    );
    expect(
      within(failedRow).getByText('docker/Dockerfile', { selector: 'code' }),
    ).toBeInTheDocument();
    expect(failedRow).toHaveTextContent('npm ERR! missing script: build');
  });

  it('starts an instance, reloads the list and shows the new instance', async () => {
    const api = mockRunnerApi();
    const pending = runnerInstance({
      state: 'pending',
      ports: [],
      startedAt: undefined,
    });
    api.listInstances.mockResolvedValueOnce([]).mockResolvedValue([pending]);
    api.startInstance.mockResolvedValue(pending);
    const { entityRef } = renderTab(api);

    expect(await screen.findByText('No instances yet')).toBeInTheDocument();
    const start = await screen.findByRole('button', {
      name: 'Start an instance of hello',
    });
    await waitFor(() => expect(start).not.toHaveAttribute('aria-disabled'));
    fireEvent.click(start);

    await waitFor(() =>
      expect(api.startInstance).toHaveBeenCalledWith(entityRef),
    );
    expect(
      await screen.findByTestId(`instance-row-${pending.id}`),
    ).toHaveTextContent('pending');
    expect(api.listInstances).toHaveBeenCalledTimes(2);
    // The new instance is selected: its logs panel is open.
    expect(
      screen.getByRole('heading', { name: 'Logs of instance 3f2a1b2c…' }),
    ).toBeInTheDocument();
  });

  it('shows a refused start (409) as an alert and keeps the page', async () => {
    const api = mockRunnerApi();
    api.listInstances.mockResolvedValue([running]);
    api.startInstance.mockRejectedValue(
      await backendError(
        409,
        'component:default/hello already has 1 active instance (maxInstancesPerEntity)',
      ),
    );
    renderTab(api);

    const start = await screen.findByRole('button', {
      name: 'Start an instance of hello',
    });
    await waitFor(() => expect(start).not.toHaveAttribute('aria-disabled'));
    fireEvent.click(start);

    const alert = await screen.findByText(/Could not start hello/);
    expect(alert).toHaveTextContent(
      'Could not start hello: component:default/hello already has 1 active instance (maxInstancesPerEntity)',
    );
    expect(alert.closest('[role="alert"]')).toBeInTheDocument();
    expect(
      screen.getByRole('table', { name: 'Instances of hello' }),
    ).toBeInTheDocument();
  });

  it('asks before stopping, naming the instance and the entity', async () => {
    const api = mockRunnerApi();
    api.listInstances.mockResolvedValue([running]);
    api.stopInstance.mockResolvedValue({ ...running, state: 'stopping' });
    renderTab(api);

    const stop = await screen.findByRole('button', {
      name: 'Stop instance 3f2a1b2c…',
    });
    await waitFor(() => expect(stop).not.toHaveAttribute('aria-disabled'));

    // Escape closes the dialog without stopping anything.
    fireEvent.click(stop);
    const first = await screen.findByRole('dialog', {
      name: 'Stop instance 3f2a1b2c… of hello?',
    });
    expect(within(first).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    fireEvent.keyDown(first, { key: 'Escape' });
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.stopInstance).not.toHaveBeenCalled();

    fireEvent.click(stop);
    const dialog = await screen.findByRole('dialog', {
      name: 'Stop instance 3f2a1b2c… of hello?',
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Stop' }));

    await waitFor(() =>
      expect(api.stopInstance).toHaveBeenCalledWith(running.id),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.listInstances).toHaveBeenCalledTimes(2);
  });

  it('keeps the dialog open with the error when the action fails', async () => {
    const api = mockRunnerApi();
    api.listInstances.mockResolvedValue([running]);
    api.removeInstance.mockRejectedValue(
      await backendError(403, 'You may not delete this instance'),
    );
    renderTab(api);

    const remove = await screen.findByRole('button', {
      name: 'Remove instance 3f2a1b2c…',
    });
    await waitFor(() => expect(remove).not.toHaveAttribute('aria-disabled'));
    fireEvent.click(remove);
    const dialog = await screen.findByRole('dialog', {
      name: 'Remove instance 3f2a1b2c… of hello?',
    });
    expect(dialog).toHaveTextContent('It is running: it is stopped first.');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove' }));

    expect(
      await within(dialog).findByText('You may not delete this instance'),
    ).toBeInTheDocument();
    expect(screen.getByRole('dialog')).toBeInTheDocument();
  });

  it('disables actions with the reason when permissions are denied', async () => {
    const api = mockRunnerApi();
    api.listInstances.mockResolvedValue([running]);
    renderTab(api, {
      denied: [
        'runner.instance.create',
        'runner.instance.update',
        'runner.instance.delete',
      ],
    });

    const start = await screen.findByRole('button', {
      name: 'Start an instance of hello',
    });
    await waitFor(() =>
      expect(start).toHaveAccessibleDescription(
        'You may not start instances of hello (permission runner.instance.create).',
      ),
    );
    // Dimmed but focusable, so keyboard users can reach the reason.
    expect(start).toHaveAttribute('aria-disabled', 'true');
    start.focus();
    expect(start).toHaveFocus();
    fireEvent.mouseOver(start);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'You may not start instances of hello',
    );
    fireEvent.click(start);
    expect(api.startInstance).not.toHaveBeenCalled();

    const stop = screen.getByRole('button', {
      name: 'Stop instance 3f2a1b2c…',
    });
    expect(stop).toHaveAttribute('aria-disabled', 'true');
    fireEvent.click(stop);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(stop).toHaveAccessibleDescription(
      'You may not stop or restart instances of hello (permission runner.instance.update).',
    );
    expect(
      screen.getByRole('button', { name: 'Remove instance 3f2a1b2c…' }),
    ).toHaveAccessibleDescription(
      'You may not remove instances of hello (permission runner.instance.delete).',
    );
  });

  it('disables actions that do not apply to the state, saying why', async () => {
    const api = mockRunnerApi();
    api.listInstances.mockResolvedValue([failed]);
    renderTab(api);

    const stop = await screen.findByRole('button', {
      name: 'Stop instance 9c8d7e6f…',
    });
    await waitFor(() =>
      expect(stop).toHaveAccessibleDescription('Not running: it failed.'),
    );
    expect(stop).toHaveAttribute('aria-disabled', 'true');
    expect(
      screen.getByRole('button', { name: 'Restart instance 9c8d7e6f…' }),
    ).not.toHaveAttribute('aria-disabled');
  });

  it('reloads the list on a signal for this entity only', async () => {
    const api = mockRunnerApi();
    api.listInstances.mockResolvedValue([running]);
    const handlers: Array<(message: JsonObject) => void> = [];
    const signals: SignalApi = {
      subscribe: (channel, onMessage) => {
        expect(channel).toBe(RUNNER_INSTANCES_CHANNEL);
        handlers.push(onMessage as (message: JsonObject) => void);
        return { unsubscribe: jest.fn() };
      },
    };
    const { entityRef } = renderTab(api, { signals });

    expect(await screen.findByText('Updates live')).toBeInTheDocument();
    await waitFor(() => expect(api.listInstances).toHaveBeenCalledTimes(1));
    await waitFor(() => expect(handlers.length).toBeGreaterThan(0));

    api.listInstances.mockResolvedValue([{ ...running, state: 'stopping' }]);
    act(() => handlers.forEach(h => h({ entityRef: HELLO_REF, instance: {} })));
    expect(api.listInstances).toHaveBeenCalledTimes(1);

    act(() =>
      handlers.forEach(h =>
        h({
          entityRef,
          instance: { id: running.id, state: 'stopping' },
        }),
      ),
    );
    await waitFor(() => expect(api.listInstances).toHaveBeenCalledTimes(2));
    expect(
      await within(screen.getByTestId(`instance-row-${running.id}`)).findByText(
        'stopping',
      ),
    ).toBeInTheDocument();
  });

  it('shows an error panel when the list cannot be loaded, and retries', async () => {
    const api = mockRunnerApi();
    api.listInstances
      .mockRejectedValueOnce(await backendError(500, 'database is down'))
      .mockResolvedValue([]);
    renderTab(api);

    expect(
      await screen.findByText(/Could not list the instances/),
    ).toBeInTheDocument();
    fireEvent.click(
      screen.getByRole('button', { name: 'Load the instances again' }),
    );
    expect(await screen.findByText('No instances yet')).toBeInTheDocument();
  });
});
