import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { HealthStatus } from '@internal/plugin-runner-common';
import { mockRunnerApi } from '../../testing/fixtures';
import { backendError } from '../../testing/errors';
import { failedInstance, runnerInstance } from '../../testing/instances';
import { giveElementsASize } from '../../testing/layout';
import { instanceHealth, instanceMetrics } from '../../testing/monitoring';
import { renderEntityTab } from '../../testing/__testUtils__/render';
import { RunnerContent } from './RunnerContent';

giveElementsASize();

const running = runnerInstance();
const failed = failedInstance();

function apiWith(overrides: Partial<ReturnType<typeof mockRunnerApi>> = {}) {
  const api = mockRunnerApi();
  api.listInstances.mockResolvedValue([running, failed]);
  Object.assign(api, overrides);
  return api;
}

/** The clock the uptimes tick on: `seconds` after the running instance started. */
function secondsAfterStart(seconds: number) {
  jest
    .spyOn(Date, 'now')
    .mockReturnValue(Date.parse(running.startedAt!) + seconds * 1000);
}

afterEach(() => jest.restoreAllMocks());

describe('RunnerContent health panel', () => {
  it('shows status, uptime, restarts, OOM kills and the last checks', async () => {
    secondsAfterStart(3725);
    const api = apiWith();
    renderEntityTab(<RunnerContent />, api);

    const card = (
      await screen.findByRole('heading', {
        name: 'Health of instance 3f2a1b2c…',
      })
    ).closest('.MuiCard-root') as HTMLElement;
    const status = await within(card).findByTestId('health-status');
    expect(status.querySelector('[data-status]')).toHaveAttribute(
      'data-status',
      'healthy',
    );
    expect(status).toHaveTextContent(/^healthy/);
    expect(status).toHaveTextContent('HTTP 200 from /healthz');
    expect(card).toHaveTextContent('Uptime1h 2m');
    expect(card).toHaveTextContent('Restarts2');
    expect(card).toHaveTextContent('OOM kills1');

    const checks = within(card).getByRole('table', {
      name: 'Last health checks of instance 3f2a1b2c…',
    });
    const rows = within(checks).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toHaveTextContent('unhealthy');
    expect(rows[1]).toHaveTextContent('HTTP 503 from /healthz (40 ms)');
    expect(api.getInstanceHealth).toHaveBeenCalledWith(running.id);
  });

  it.each<[HealthStatus, string]>([
    ['unhealthy', 'HTTP 503 from /healthz'],
    ['starting', 'starting: within the start period'],
    ['unknown', 'no HEALTHCHECK and no health path'],
  ])('shows the %s status with its reason', async (status, detail) => {
    secondsAfterStart(30);
    const api = apiWith();
    api.getInstanceHealth.mockResolvedValue(
      instanceHealth({ status, detail, uptimeSeconds: 30, checks: [] }),
    );
    renderEntityTab(<RunnerContent />, api);

    const panel = await screen.findByTestId('health-status');
    expect(panel.querySelector('[data-status]')).toHaveAttribute(
      'data-status',
      status,
    );
    expect(panel).toHaveTextContent(new RegExp(`^${status}`));
    expect(panel).toHaveTextContent(detail);
    const card = panel.closest('.MuiCard-root') as HTMLElement;
    expect(card).toHaveTextContent('Uptime30s');
    expect(card).toHaveTextContent('No checks recorded yet.');
  });

  it('shows a stopped instance as stopped, with its exit code and OOM kill', async () => {
    const api = apiWith();
    api.getInstanceHealth.mockResolvedValue(
      instanceHealth({
        status: 'stopped',
        source: 'state',
        detail: 'exited with code 3',
        uptimeSeconds: undefined,
        exitCode: 3,
        oomKilled: true,
      }),
    );
    renderEntityTab(<RunnerContent />, api);

    const panel = await screen.findByTestId('health-status');
    expect(panel.querySelector('[data-status]')).toHaveAttribute(
      'data-status',
      'stopped',
    );
    expect(panel).toHaveTextContent('exited with code 3');
    const card = panel.closest('.MuiCard-root') as HTMLElement;
    expect(card).toHaveTextContent('Uptimenot running');
    expect(card).toHaveTextContent('Exit code3');
    expect(card).toHaveTextContent(
      'OOM kills1 (the last container was killed)',
    );
  });

  it('shows a failed instance as failed, and keeps in step with the table when the last check is older', async () => {
    const api = apiWith();
    // The check the card has was taken while the instance still ran.
    api.getInstanceHealth.mockResolvedValue(
      instanceHealth({ instanceId: failed.id, instanceState: 'running' }),
    );
    renderEntityTab(<RunnerContent />, api, {
      path: `/runner?instance=${failed.id}`,
    });
    const panel = await screen.findByTestId('health-status');
    expect(panel.querySelector('[data-status]')).toHaveAttribute(
      'data-status',
      'failed',
    );
    const card = panel.closest('.MuiCard-root') as HTMLElement;
    expect(card).toHaveTextContent('Uptimenot running');

    // The check for the failed state: its words.
    api.getInstanceHealth.mockResolvedValue(
      instanceHealth({
        instanceId: failed.id,
        instanceState: 'failed',
        status: 'failed',
        source: 'state',
        detail: 'instance is failed: exited with code 3 (CONTAINER_EXITED)',
        uptimeSeconds: undefined,
      }),
    );
    fireEvent.click(screen.getByRole('button', { name: '3f2a1b2c…' }));
    fireEvent.click(screen.getByRole('button', { name: '9c8d7e6f…' }));
    await waitFor(() =>
      expect(screen.getByTestId('health-status')).toHaveTextContent(
        /^failedinstance is failed: exited with code 3/,
      ),
    );
  });

  it('ticks the uptime like the table does, not only when a check comes back', async () => {
    secondsAfterStart(59);
    renderEntityTab(<RunnerContent />, apiWith());
    const panel = await screen.findByTestId('health-status');
    const card = panel.closest('.MuiCard-root') as HTMLElement;
    expect(card).toHaveTextContent('Uptime59s');
    secondsAfterStart(61);
    await waitFor(() => expect(card).toHaveTextContent('Uptime1m 1s'), {
      timeout: 3000,
    });
  });

  it('says when the health cannot be checked, and checks again', async () => {
    const api = apiWith();
    api.getInstanceHealth
      .mockRejectedValueOnce(await backendError(503, 'engine did not answer'))
      .mockResolvedValue(instanceHealth());
    renderEntityTab(<RunnerContent />, api);

    expect(
      await screen.findByText(/Could not check the health/),
    ).toBeInTheDocument();
    fireEvent.click(
      screen.getByRole('button', {
        name: 'Check the health of instance 3f2a1b2c… again',
      }),
    );
    expect(await screen.findByTestId('health-status')).toHaveTextContent(
      'healthy',
    );
  });
});

describe('RunnerContent metrics', () => {
  it('draws CPU, memory, network and block I/O charts with their summaries', async () => {
    const api = apiWith();
    api.getInstanceMetrics.mockResolvedValue(instanceMetrics(6));
    renderEntityTab(<RunnerContent />, api);

    const cpu = await screen.findByRole('figure', { name: 'CPU' });
    // Recharts drew the average line and the min–max band.
    await waitFor(() =>
      expect(cpu.querySelector('.recharts-line-curve')).not.toBeNull(),
    );
    expect(cpu.querySelector('.recharts-area-area')).not.toBeNull();
    // The CPU limit of the effective config (nanoCpus 0.5e9) as a line.
    expect(cpu).toHaveTextContent(
      'Latest 20 %, peak 30 % over the last hour; limit 50 % (0.5 cores). 100 % is one core.',
    );
    await waitFor(() =>
      expect(cpu.querySelector('.recharts-reference-line')).not.toBeNull(),
    );

    const memory = screen.getByRole('figure', { name: 'Memory' });
    expect(memory).toHaveTextContent(
      'Working set latest 110 MiB, peak 120 MiB over the last hour, limit 512 MiB.',
    );
    expect(memory.querySelectorAll('.recharts-line-curve')).toHaveLength(2);

    // Counters become rates: 10 KiB and 5 KiB per 10 s bucket.
    expect(screen.getByRole('figure', { name: 'Network' })).toHaveTextContent(
      'Latest: received 1 KiB/s, sent 512 B/s.',
    );
    expect(screen.getByRole('figure', { name: 'Block I/O' })).toHaveTextContent(
      'Latest: read 410 B/s, written 205 B/s.',
    );
  });

  it('asks for the selected range, ending now, and reloads when it changes', async () => {
    const api = apiWith();
    api.getInstanceMetrics.mockResolvedValue(instanceMetrics(6));
    renderEntityTab(<RunnerContent />, api);

    await screen.findByRole('figure', { name: 'CPU' });
    const [id, first] = api.getInstanceMetrics.mock.calls[0];
    expect(id).toBe(running.id);
    const span = (q: typeof first) =>
      (q.to as Date).getTime() - (q.from as Date).getTime();
    expect(span(first)).toBe(3_600_000);
    expect(first.step).toBe('30s');
    expect(Math.abs((first.to as Date).getTime() - Date.now())).toBeLessThan(
      10_000,
    );

    const dayButton = screen.getByRole('button', {
      name: 'Show the last 24 hours',
    });
    expect(
      screen.getByRole('button', { name: 'Show the last hour' }),
    ).toHaveAttribute('aria-pressed', 'true');
    fireEvent.click(dayButton);

    await waitFor(() =>
      expect(api.getInstanceMetrics).toHaveBeenCalledTimes(2),
    );
    const [, day] = api.getInstanceMetrics.mock.calls[1];
    expect(span(day)).toBe(86_400_000);
    expect(day.step).toBe('5m');
    expect(dayButton).toHaveAttribute('aria-pressed', 'true');

    fireEvent.click(
      screen.getByRole('button', { name: 'Show the last 7 days' }),
    );
    await waitFor(() =>
      expect(api.getInstanceMetrics).toHaveBeenCalledTimes(3),
    );
    const [, week] = api.getInstanceMetrics.mock.calls[2];
    expect(span(week)).toBe(7 * 86_400_000);
    expect(week.step).toBe('30m');
    expect(
      (await screen.findAllByText(/over the last 7 days/))[0],
    ).toBeInTheDocument();
  });

  it('says when there are no samples yet', async () => {
    renderEntityTab(<RunnerContent />, apiWith());
    expect(
      await screen.findByText(
        'No samples yet — the first appear within ~10 s of start.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Refreshes every 30 s while the instance runs'),
    ).toBeInTheDocument();
  });

  it('shows an error panel when the metrics cannot be read, and retries', async () => {
    const api = apiWith();
    api.getInstanceMetrics
      .mockRejectedValueOnce(await backendError(500, 'database is down'))
      .mockResolvedValue(instanceMetrics(3));
    renderEntityTab(<RunnerContent />, api);

    expect(
      await screen.findByText(/Could not load the metrics/),
    ).toBeInTheDocument();
    fireEvent.click(
      screen.getByRole('button', { name: 'Load the metrics again' }),
    );
    expect(
      await screen.findByRole('figure', { name: 'CPU' }),
    ).toBeInTheDocument();
  });
});

describe('RunnerContent instance from the URL', () => {
  it('selects the instance named by ?instance=', async () => {
    const api = apiWith();
    renderEntityTab(<RunnerContent />, api, {
      path: `/runner?instance=${failed.id}`,
    });

    expect(
      await screen.findByRole('heading', {
        name: 'Health of instance 9c8d7e6f…',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: 'Metrics of instance 9c8d7e6f…' }),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(api.getInstanceHealth).toHaveBeenCalledWith(failed.id),
    );
    // A failed instance's metrics are history: nothing refreshes them.
    expect(
      screen.getByText('Not running: the history up to its stop'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(
        'No samples over the last hour: the instance was not running then.',
      ),
    ).toBeInTheDocument();

    // Picking another instance moves the selection (and the URL) on.
    fireEvent.click(screen.getByRole('button', { name: '3f2a1b2c…' }));
    expect(
      await screen.findByRole('heading', {
        name: 'Health of instance 3f2a1b2c…',
      }),
    ).toBeInTheDocument();
  });

  it('falls back to the newest instance for an unknown id', async () => {
    renderEntityTab(<RunnerContent />, apiWith(), {
      path: '/runner?instance=not-an-instance',
    });
    expect(
      await screen.findByRole('heading', {
        name: 'Health of instance 3f2a1b2c…',
      }),
    ).toBeInTheDocument();
  });
});
