import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { mockRunnerApi } from '../../testing/fixtures';
import { backendError } from '../../testing/errors';
import { errorEvent, INSTANCE_ID } from '../../testing/monitoring';
import { renderEntityTab, testSignals } from '../../testing/__testUtils__/render';
import { RUNNER_INSTANCES_CHANNEL } from '../../hooks/useLiveInstances';
import { AlertsContent } from './AlertsContent';

const buildError = errorEvent();
const portError = errorEvent({
  id: '41',
  at: '2025-01-01T08:00:00.000Z',
  category: 'port',
  code: 'PORT_IN_USE',
  severity: 'medium',
  recoverable: true,
  userMessage: 'Host port 8080 is already taken.',
  remediation: 'Free the port or change `runner.backstage.io/ports`.',
  detail: 'Bind for 127.0.0.1:8080 failed: port is already allocated',
});
const olderError = errorEvent({
  id: '12',
  at: '2024-12-31T08:00:00.000Z',
  userMessage: 'An older build failed.',
});

function select(label: string): HTMLSelectElement {
  return screen.getByRole('combobox', { name: label }) as HTMLSelectElement;
}

describe('AlertsContent error history', () => {
  it('lists errors with severity, category, code, message and remediation, and unfolds the detail', async () => {
    const api = mockRunnerApi();
    api.listErrors.mockResolvedValue({ items: [buildError, portError] });
    const { entityRef } = renderEntityTab(<AlertsContent />, api, {
      path: '/alerts',
    });

    const table = await screen.findByRole('table', {
      name: 'Error history of hello',
    });
    expect(api.listErrors).toHaveBeenCalledWith({
      entityRef,
      category: undefined,
      severity: undefined,
      code: undefined,
      limit: 25,
    });

    const row = within(table).getByTestId('error-row-42');
    expect(row).toHaveTextContent(
      new Date('2025-01-01T09:01:00.000Z').toLocaleString(),
    );
    expect(row.querySelector('[data-severity]')).toHaveAttribute(
      'data-severity',
      'high',
    );
    expect(row).toHaveTextContent('build');
    expect(
      within(row).getByText('BUILD_STEP_FAILED', { selector: 'code' }),
    ).toBeInTheDocument();
    expect(row).toHaveTextContent('Step RUN npm ci failed with exit code 1.');
    expect(row).toHaveTextContent(
      'What to do: Fix the failing instruction in docker/Dockerfile and start again.',
    );
    expect(
      within(row).getByText('docker/Dockerfile', { selector: 'code' }),
    ).toBeInTheDocument();
    expect(
      within(row).getByRole('link', { name: 'Instance 3f2a1b2c…' }),
    ).toHaveAttribute('href', `/runner?instance=${INSTANCE_ID}`);

    // The detail is folded away until asked for, by keyboard too.
    expect(screen.queryByText('npm ERR! missing script: build')).toBeNull();
    const toggle = within(row).getByRole('button', {
      name: /^Show the detail of BUILD_STEP_FAILED at/,
    });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    fireEvent.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
    expect(toggle).toHaveAccessibleName(
      /^Hide the detail of BUILD_STEP_FAILED at/,
    );
    const detail = await screen.findByLabelText('Detail of BUILD_STEP_FAILED');
    expect(detail.tagName).toBe('PRE');
    expect(detail).toHaveTextContent('npm ERR! missing script: build');
    expect(detail.closest(`#${CSS.escape(toggle.getAttribute('aria-controls')!)}`)).not.toBeNull();
  });

  it('filters by category, code and severity through the API', async () => {
    const api = mockRunnerApi();
    api.listErrors.mockResolvedValue({ items: [buildError, portError] });
    const { entityRef } = renderEntityTab(<AlertsContent />, api);
    await screen.findByTestId('error-row-42');

    api.listErrors.mockResolvedValue({ items: [portError] });
    fireEvent.change(select('Category'), { target: { value: 'port' } });
    await waitFor(() =>
      expect(api.listErrors).toHaveBeenLastCalledWith({
        entityRef,
        category: 'port',
        severity: undefined,
        code: undefined,
        limit: 25,
      }),
    );
    expect(await screen.findByText('Host port 8080 is already taken.')).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.queryByTestId('error-row-42')).not.toBeInTheDocument(),
    );
    // The category is explained, and only its codes are offered.
    expect(
      screen.getByText(/A host port the container should publish/),
    ).toBeInTheDocument();
    const codes = within(select('Code'))
      .getAllByRole('option')
      .map(o => (o as HTMLOptionElement).value);
    expect(codes).toEqual(['', 'PORT_IN_USE']);

    fireEvent.change(select('Code'), { target: { value: 'PORT_IN_USE' } });
    fireEvent.change(select('Severity'), { target: { value: 'medium' } });
    await waitFor(() =>
      expect(api.listErrors).toHaveBeenLastCalledWith({
        entityRef,
        category: 'port',
        severity: 'medium',
        code: 'PORT_IN_USE',
        limit: 25,
      }),
    );

    // A category the chosen code is not in drops the code.
    api.listErrors.mockResolvedValue({ items: [] });
    fireEvent.change(select('Category'), { target: { value: 'build' } });
    await waitFor(() =>
      expect(api.listErrors).toHaveBeenLastCalledWith({
        entityRef,
        category: 'build',
        severity: 'medium',
        code: undefined,
        limit: 25,
      }),
    );
    expect(
      await screen.findByText('No errors match these filters'),
    ).toBeInTheDocument();

    fireEvent.click(
      screen.getByRole('button', { name: 'Clear the error filters' }),
    );
    await waitFor(() =>
      expect(api.listErrors).toHaveBeenLastCalledWith({
        entityRef,
        category: undefined,
        severity: undefined,
        code: undefined,
        limit: 25,
      }),
    );
  });

  it('loads more through the cursor until there is none', async () => {
    const api = mockRunnerApi();
    api.listErrors
      .mockResolvedValueOnce({ items: [buildError, portError], nextCursor: '41' })
      .mockResolvedValueOnce({ items: [olderError] });
    const { entityRef } = renderEntityTab(<AlertsContent />, api);

    fireEvent.click(
      await screen.findByRole('button', { name: 'Load more errors' }),
    );
    await waitFor(() =>
      expect(api.listErrors).toHaveBeenLastCalledWith({
        entityRef,
        category: undefined,
        severity: undefined,
        code: undefined,
        limit: 25,
        cursor: '41',
      }),
    );
    const table = screen.getByRole('table', { name: 'Error history of hello' });
    await waitFor(() =>
      expect(within(table).getAllByTestId(/^error-row-/)).toHaveLength(3),
    );
    expect(
      within(table)
        .getAllByTestId(/^error-row-/)
        .map(r => r.dataset.testid),
    ).toEqual(['error-row-42', 'error-row-41', 'error-row-12']);
    expect(
      screen.queryByRole('button', { name: 'Load more errors' }),
    ).not.toBeInTheDocument();
  });

  it('adds new errors on top when an instance of the entity changes', async () => {
    const api = mockRunnerApi();
    api.listErrors.mockResolvedValue({ items: [portError] });
    const signals = testSignals();
    const { entityRef } = renderEntityTab(<AlertsContent />, api, {
      signals: signals.api,
    });
    await screen.findByTestId('error-row-41');
    await waitFor(() =>
      expect(signals.subscribed(RUNNER_INSTANCES_CHANNEL)).toBe(true),
    );

    api.listErrors.mockResolvedValue({ items: [buildError, portError] });
    act(() =>
      signals.send(RUNNER_INSTANCES_CHANNEL, {
        entityRef,
        instance: { id: INSTANCE_ID, state: 'failed' },
      }),
    );
    await waitFor(() =>
      expect(
        screen.getAllByTestId(/^error-row-/).map(r => r.dataset.testid),
      ).toEqual(['error-row-42', 'error-row-41']),
    );
  });

  it('shows the error when the history cannot be read, and retries', async () => {
    const api = mockRunnerApi();
    api.listErrors
      .mockRejectedValueOnce(await backendError(500, 'database is down'))
      .mockResolvedValue({ items: [] });
    renderEntityTab(<AlertsContent />, api);

    expect(
      await screen.findByText(/Could not read the error history/),
    ).toBeInTheDocument();
    fireEvent.click(
      screen.getByRole('button', { name: 'Load the error history again' }),
    );
    expect(await screen.findByText('No errors recorded')).toBeInTheDocument();
  });
});
