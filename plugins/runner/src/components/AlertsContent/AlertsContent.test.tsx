import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ALERTS_SIGNAL_CHANNEL } from '@internal/plugin-runner-common';
import { mockRunnerApi } from '../../testing/fixtures';
import { backendError } from '../../testing/errors';
import { alert, ALERT_ID, INSTANCE_ID } from '../../testing/monitoring';
import { renderEntityTab, testSignals } from '../../testing/__testUtils__/render';
import { AlertsContent } from './AlertsContent';

const memoryAlert = alert();
const gatewayAlert = alert({
  id: 'a1e7a1e7-0000-4000-8000-000000000002',
  instanceId: undefined,
  resourceRef: 'HTTPRoute team-a/hello',
  rule: 'gateway-not-accepted',
  severity: 'medium',
  message: 'HTTPRoute team-a/hello is not accepted: NoMatchingParent.',
  count: 1,
});
const resolvedAlert = alert({
  id: 'a1e7a1e7-0000-4000-8000-000000000003',
  rule: 'build-failure',
  severity: 'high',
  state: 'resolved',
  count: 3,
  resolvedAt: '2025-01-01T09:30:00.000Z',
  message: 'The build failed: Step RUN npm ci failed with exit code 1.',
  details: {
    code: 'BUILD_STEP_FAILED',
    category: 'build',
    remediation: 'Fix the failing instruction in `docker/Dockerfile`.',
    resolution: 'cleared',
  },
  acknowledgedBy: 'user:default/bob',
  acknowledgedAt: '2025-01-01T09:10:00.000Z',
});

function setup() {
  const api = mockRunnerApi();
  api.listAlerts.mockResolvedValue([memoryAlert, gatewayAlert, resolvedAlert]);
  return api;
}

describe('AlertsContent alerts', () => {
  it('shows empty alerts and error history under their own headings', async () => {
    renderEntityTab(<AlertsContent />, mockRunnerApi());

    const tab = screen.getByTestId('alerts-tab');
    expect(
      within(tab).getByRole('heading', { level: 2, name: 'Alerts' }),
    ).toBeInTheDocument();
    const alerts = within(tab).getByRole('heading', {
      level: 3,
      name: 'Active and resolved alerts',
    });
    const history = within(tab).getByRole('heading', {
      level: 3,
      name: 'Error history',
    });
    // Each empty state sits in the card of its heading.
    await waitFor(() =>
      expect(alerts.closest('.MuiCard-root')).toHaveTextContent('No alerts'),
    );
    await waitFor(() =>
      expect(history.closest('.MuiCard-root')).toHaveTextContent(
        'No errors recorded',
      ),
    );
  });

  it('lists the open alerts with severity, rule, subject links, times and count', async () => {
    const api = setup();
    const { entityRef } = renderEntityTab(<AlertsContent />, api, {
      path: '/alerts',
    });

    const table = await screen.findByRole('table', {
      name: 'Active alerts of hello',
    });
    expect(api.listAlerts).toHaveBeenCalledWith({
      entityRef,
      state: 'all',
      limit: 200,
    });
    expect(screen.getByRole('tab', { name: 'Active (2)' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    expect(
      screen.getByRole('tab', { name: 'Resolved (1)' }),
    ).toBeInTheDocument();

    const row = within(table).getByTestId(`alert-row-${ALERT_ID}`);
    expect(row.querySelector('[data-severity]')).toHaveAttribute(
      'data-severity',
      'high',
    );
    expect(row).toHaveTextContent('High memory');
    expect(row).toHaveTextContent(
      'Memory at 95% of its 512 MiB limit for 5 minutes.',
    );
    expect(row).toHaveTextContent(
      new Date('2025-01-01T10:00:00.000Z').toLocaleString(),
    );
    expect(row).toHaveTextContent(
      new Date('2025-01-01T10:06:00.000Z').toLocaleString(),
    );
    // The instance opens in the Runner tab, selected through the URL.
    expect(
      within(row).getByRole('link', { name: 'Instance 3f2a1b2c…' }),
    ).toHaveAttribute('href', `/runner?instance=${INSTANCE_ID}`);

    const gatewayRow = within(table).getByTestId(`alert-row-${gatewayAlert.id}`);
    expect(gatewayRow).toHaveTextContent('Gateway resource not accepted');
    expect(
      within(gatewayRow).getByRole('link', { name: 'HTTPRoute team-a/hello' }),
    ).toHaveAttribute('href', '/gateway?resource=HTTPRoute+team-a%2Fhello');

    fireEvent.click(screen.getByRole('tab', { name: 'Resolved (1)' }));
    const resolved = await screen.findByRole('table', {
      name: 'Resolved alerts of hello',
    });
    const resolvedRow = within(resolved).getByTestId(
      `alert-row-${resolvedAlert.id}`,
    );
    expect(resolvedRow).toHaveTextContent('Build failed (build · BUILD_STEP_FAILED)');
    expect(resolvedRow).toHaveTextContent(
      'What to do: Fix the failing instruction in docker/Dockerfile.',
    );
    expect(resolvedRow).toHaveTextContent('(cleared)');
    expect(resolvedRow).toHaveTextContent('Acknowledged by bob');
    expect(
      within(resolvedRow).queryByRole('button', { name: /Acknowledge/ }),
    ).not.toBeInTheDocument();
  });

  it('acknowledges an alert, says so, and reloads the list', async () => {
    const api = setup();
    const acknowledged = alert({
      acknowledgedBy: 'user:default/alice',
      acknowledgedAt: '2025-01-01T10:07:00.000Z',
    });
    api.acknowledgeAlert.mockResolvedValue(acknowledged);
    renderEntityTab(<AlertsContent />, api);

    const button = await screen.findByRole('button', {
      name: 'Acknowledge the High memory alert on instance 3f2a1b2c…',
    });
    await waitFor(() => expect(button).not.toHaveAttribute('aria-disabled'));
    api.listAlerts.mockResolvedValue([acknowledged, gatewayAlert]);
    fireEvent.click(button);

    await waitFor(() =>
      expect(api.acknowledgeAlert).toHaveBeenCalledWith(ALERT_ID),
    );
    expect(
      await screen.findByText(
        /^Acknowledged the High memory alert on instance 3f2a1b2c… at/,
      ),
    ).toBeInTheDocument();
    await waitFor(() => expect(api.listAlerts).toHaveBeenCalledTimes(2));
    const row = await screen.findByTestId(`alert-row-${ALERT_ID}`);
    await waitFor(() => expect(row).toHaveTextContent('by alice'));
    expect(
      within(row).queryByRole('button', { name: /Acknowledge/ }),
    ).not.toBeInTheDocument();
  });

  it('says when the alert resolved before it could be acknowledged', async () => {
    const api = setup();
    api.acknowledgeAlert.mockRejectedValue(
      await backendError(409, 'Alert is already resolved'),
    );
    renderEntityTab(<AlertsContent />, api);

    const button = await screen.findByRole('button', {
      name: 'Acknowledge the High memory alert on instance 3f2a1b2c…',
    });
    await waitFor(() => expect(button).not.toHaveAttribute('aria-disabled'));
    fireEvent.click(button);
    expect(
      await screen.findByText(
        'Could not acknowledge the High memory alert on instance 3f2a1b2c…: it has already resolved.',
      ),
    ).toBeInTheDocument();
    await waitFor(() => expect(api.listAlerts).toHaveBeenCalledTimes(2));
  });

  it('disables Acknowledge with the reason without the permission', async () => {
    const api = setup();
    renderEntityTab(<AlertsContent />, api, {
      denied: ['runner.alert.update'],
    });

    const button = await screen.findByRole('button', {
      name: 'Acknowledge the High memory alert on instance 3f2a1b2c…',
    });
    await waitFor(() =>
      expect(button).toHaveAccessibleDescription(
        'You may not acknowledge alerts of hello (permission runner.alert.update).',
      ),
    );
    expect(button).toHaveAttribute('aria-disabled', 'true');
    // Still focusable, so keyboard users reach the reason.
    button.focus();
    expect(button).toHaveFocus();
    fireEvent.click(button);
    expect(api.acknowledgeAlert).not.toHaveBeenCalled();
  });

  it('reloads on a runner-alerts signal for this entity only', async () => {
    const api = setup();
    const signals = testSignals();
    const { entityRef } = renderEntityTab(<AlertsContent />, api, {
      signals: signals.api,
    });

    expect(await screen.findByText('Updates live')).toBeInTheDocument();
    await waitFor(() => expect(api.listAlerts).toHaveBeenCalledTimes(1));
    await waitFor(() =>
      expect(signals.subscribed(ALERTS_SIGNAL_CHANNEL)).toBe(true),
    );

    act(() =>
      signals.send(ALERTS_SIGNAL_CHANNEL, {
        entityRef: 'component:default/other',
        event: 'opened',
        alert: {},
      }),
    );
    expect(api.listAlerts).toHaveBeenCalledTimes(1);

    api.listAlerts.mockResolvedValue([]);
    act(() =>
      signals.send(ALERTS_SIGNAL_CHANNEL, {
        entityRef,
        event: 'resolved',
        alert: {},
      }),
    );
    await waitFor(() => expect(api.listAlerts).toHaveBeenCalledTimes(2));
    expect(await screen.findByText('No alerts')).toBeInTheDocument();
  });

  it('says when polling instead of signals', async () => {
    renderEntityTab(<AlertsContent />, setup());
    expect(await screen.findByText('Refreshes every 30 s')).toBeInTheDocument();
  });

  it('shows an error panel when the alerts cannot be listed, and retries', async () => {
    const api = setup();
    api.listAlerts
      .mockRejectedValueOnce(await backendError(403, 'Not allowed'))
      .mockResolvedValue([]);
    renderEntityTab(<AlertsContent />, api);

    expect(
      await screen.findByText(/Could not list the alerts/),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Load the alerts again' }));
    expect(await screen.findByText('No alerts')).toBeInTheDocument();
  });
});
