import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import type { RunnerInstance } from '@internal/plugin-runner-common';
import { runnerApiRef, type FollowLogsOptions } from '../../api';
import { mockRunnerApi } from '../../testing/fixtures';
import { failedInstance, runnerInstance } from '../../testing/instances';
import { giveElementsASize } from '../../testing/layout';
import { InstanceLogs } from './InstanceLogs';

giveElementsASize();

function renderLogs(
  instance: RunnerInstance,
  api = mockRunnerApi(),
): { api: typeof api; unmount: () => void } {
  const { unmount } = renderInTestApp(
    <InstanceLogs instance={instance} entityName="hello" />,
    { apis: [[runnerApiRef, api]] },
  );
  return { api, unmount };
}

const BUILD_LOG = [
  'Step 1/3 : FROM node:22-alpine',
  'Step 2/3 : RUN npm ci',
  'npm ERR! missing script: build',
].join('\n');

describe('InstanceLogs', () => {
  it('opens the build log of a failed build and shows its lines', async () => {
    const api = mockRunnerApi();
    api.getLogs.mockResolvedValue(`${BUILD_LOG}\n`);
    renderLogs(failedInstance(), api);

    expect(
      await screen.findByText('npm ERR! missing script: build'),
    ).toBeInTheDocument();
    expect(screen.getByText('Step 2/3 : RUN npm ci')).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Build' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    // A failed instance has nothing to follow.
    expect(screen.getByRole('checkbox', { name: 'Follow' })).not.toBeChecked();
    expect(api.followLogs).not.toHaveBeenCalled();
    expect(api.getLogs).toHaveBeenCalledWith(failedInstance().id, {
      stream: 'build',
      tail: 2000,
    });
  });

  it('switches to the run log', async () => {
    const api = mockRunnerApi();
    api.getLogs.mockImplementation(async (_id, { stream }) =>
      stream === 'run' ? 'listening on :8080\n' : BUILD_LOG,
    );
    renderLogs(failedInstance(), api);
    await screen.findByText('Step 2/3 : RUN npm ci');

    fireEvent.click(screen.getByRole('tab', { name: 'Run' }));
    expect(await screen.findByText('listening on :8080')).toBeInTheDocument();
  });

  it('says when there is no build log', async () => {
    renderLogs(runnerInstance({ state: 'stopped' }));
    fireEvent.click(await screen.findByRole('tab', { name: 'Build' }));
    expect(await screen.findByText(/No build log/)).toBeInTheDocument();
  });

  it('follows a running instance line by line and stops on unmount', async () => {
    const api = mockRunnerApi();
    let options: FollowLogsOptions | undefined;
    api.followLogs.mockImplementation(
      (_id, o) =>
        new Promise<void>(resolve => {
          options = o;
          o.signal?.addEventListener('abort', () => resolve());
        }),
    );
    const { unmount } = renderLogs(runnerInstance(), api);

    await waitFor(() => expect(options).toBeDefined());
    expect(options!.stream).toBe('run');
    act(() => {
      options!.onLine('GET /healthz 200');
      options!.onLine('GET / 200');
    });
    expect(await screen.findByText('GET / 200')).toBeInTheDocument();
    expect(screen.getByRole('checkbox', { name: 'Follow' })).toBeChecked();

    unmount();
    expect(options!.signal!.aborted).toBe(true);
  });

  it('keeps the lines on screen when Follow is switched off and on again', async () => {
    const api = mockRunnerApi();
    const follows: FollowLogsOptions[] = [];
    api.followLogs.mockImplementation(
      (_id, o) =>
        new Promise<void>(resolve => {
          follows.push(o);
          o.signal?.addEventListener('abort', () => resolve());
        }),
    );
    let answer: (text: string) => void = () => undefined;
    api.getLogs.mockImplementation(
      () => new Promise<string>(resolve => (answer = resolve)),
    );
    renderLogs(runnerInstance(), api);
    await waitFor(() => expect(follows).toHaveLength(1));
    act(() => {
      follows[0].onOpen?.();
      follows[0].onLine('line one');
      follows[0].onLine('line two');
    });
    expect(await screen.findByText('line two')).toBeInTheDocument();

    // Off: the tail is being fetched, and what was there stays meanwhile.
    const toggle = screen.getByRole('checkbox', { name: 'Follow' });
    fireEvent.click(toggle);
    await waitFor(() => expect(api.getLogs).toHaveBeenCalled());
    expect(screen.getByText('line two')).toBeInTheDocument();
    await act(async () => answer('line one\nline two\nline three\n'));
    expect(await screen.findByText('line three')).toBeInTheDocument();

    // On again: the stream is open but silent; nothing is cleared.
    fireEvent.click(toggle);
    await waitFor(() => expect(follows).toHaveLength(2));
    act(() => follows[1].onOpen?.());
    await new Promise(resolve => setTimeout(resolve, 250));
    expect(screen.getByText('line three')).toBeInTheDocument();
    act(() => {
      for (const l of ['line one', 'line two', 'line three', 'line four']) {
        follows[1].onLine(l);
      }
    });
    expect(await screen.findByText('line four')).toBeInTheDocument();
    expect(screen.getByText('line one')).toBeInTheDocument();
  });

  it('says there is no output yet as soon as a followed stream opens empty', async () => {
    const api = mockRunnerApi();
    api.followLogs.mockImplementation(
      (_id, o) =>
        new Promise<void>(resolve => {
          o.onOpen?.();
          o.signal?.addEventListener('abort', () => resolve());
        }),
    );
    renderLogs(runnerInstance(), api);
    expect(
      await screen.findByText('No container output yet.'),
    ).toBeInTheDocument();
  });

  it('wraps long lines instead of cutting them', async () => {
    const api = mockRunnerApi();
    const long = `error: ${'x'.repeat(400)}`;
    api.getLogs.mockResolvedValue(`${long}\n`);
    renderLogs(failedInstance(), api);
    const line = await screen.findByText(long);
    expect(line.closest('[class*="textWrap"]')).not.toBeNull();
  });

  it('turns Follow off when the stream ends and shows the log as it ended', async () => {
    const api = mockRunnerApi();
    api.followLogs.mockImplementation(async (_id, o) => {
      o.onLine('Step 1/3 : FROM node:22-alpine');
    });
    api.getLogs.mockResolvedValue(`${BUILD_LOG}\n`);
    renderLogs(runnerInstance({ state: 'building', ports: [] }), api);

    await waitFor(() =>
      expect(
        screen.getByRole('checkbox', { name: 'Follow' }),
      ).not.toBeChecked(),
    );
    expect(
      await screen.findByText('npm ERR! missing script: build'),
    ).toBeInTheDocument();
    expect(api.followLogs.mock.calls[0][1].stream).toBe('build');
  });

  it('downloads the whole log as a text file', async () => {
    const api = mockRunnerApi();
    api.getLogs.mockResolvedValue(BUILD_LOG);
    const createObjectURL = jest.fn((_blob: Blob) => 'blob:log');
    const revokeObjectURL = jest.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function recordClick(this: HTMLAnchorElement) {
        expect(this.download).toBe('hello-9c8d7e6f-build.log');
      });
    renderLogs(failedInstance(), api);
    await screen.findByText('Step 2/3 : RUN npm ci');

    fireEvent.click(
      screen.getByRole('button', {
        name: 'Download the build log of instance 9c8d7e6f…',
      }),
    );

    await waitFor(() => expect(click).toHaveBeenCalled());
    expect(api.getLogs).toHaveBeenLastCalledWith(failedInstance().id, {
      stream: 'build',
      tail: 'all',
    });
    const blob = createObjectURL.mock.calls[0][0];
    expect(blob.type).toBe('text/plain;charset=utf-8');
    expect(await blob.text()).toBe(BUILD_LOG);
    click.mockRestore();
  });

  it('shows an error panel when the log cannot be read', async () => {
    const api = mockRunnerApi();
    api.getLogs.mockRejectedValue(new Error('log store unavailable'));
    renderLogs(failedInstance(), api);
    expect(
      await screen.findByText(/Could not read the build log/),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/log store unavailable/).length).toBeGreaterThan(
      0,
    );
  });
});
