import type { ReactNode } from 'react';
import { act, renderHook, waitFor } from '@testing-library/react';
import { TestApiProvider } from '@backstage/frontend-test-utils';
import { signalApiRef, type SignalApi } from '@backstage/plugin-signals-react';
import type { RunnerInstance } from '@internal/plugin-runner-common';
import { runnerApiRef } from '../api';
import { mockRunnerApi } from '../testing/fixtures';
import { HELLO_REF, runnerInstance } from '../testing/instances';
import { POLL_INTERVAL_MS, useLiveInstances } from './useLiveInstances';

const quietSignals: SignalApi = {
  subscribe: () => ({ unsubscribe: () => undefined }),
};

function setup(instances: RunnerInstance[], signals?: SignalApi) {
  const api = mockRunnerApi();
  api.listInstances.mockResolvedValue(instances);
  const wrapper = ({ children }: { children: ReactNode }) =>
    signals ? (
      <TestApiProvider
        apis={[
          [runnerApiRef, api],
          [signalApiRef, signals],
        ]}
      >
        {children}
      </TestApiProvider>
    ) : (
      <TestApiProvider apis={[[runnerApiRef, api]]}>{children}</TestApiProvider>
    );
  const hook = renderHook(() => useLiveInstances(HELLO_REF), { wrapper });
  return { api, hook };
}

async function advance(ms: number) {
  await act(async () => {
    jest.advanceTimersByTime(ms);
  });
}

describe('useLiveInstances', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('sorts newest first', async () => {
    const older = runnerInstance({
      id: 'a',
      createdAt: '2025-01-01T09:00:00Z',
    });
    const newer = runnerInstance({
      id: 'b',
      createdAt: '2025-01-01T10:00:00Z',
    });
    const { hook } = setup([older, newer], quietSignals);
    await waitFor(() =>
      expect(hook.result.current.value?.map(i => i.id)).toEqual(['b', 'a']),
    );
  });

  it('polls every 10 s, and no faster, when signals are unavailable', async () => {
    const { api, hook } = setup([runnerInstance()]);
    await waitFor(() => expect(api.listInstances).toHaveBeenCalledTimes(1));
    expect(hook.result.current.mode).toBe('polling');

    await advance(POLL_INTERVAL_MS - 1);
    expect(api.listInstances).toHaveBeenCalledTimes(1);
    await advance(1);
    expect(api.listInstances).toHaveBeenCalledTimes(2);
    expect(POLL_INTERVAL_MS).toBeGreaterThanOrEqual(10_000);
  });

  it('does not poll with signals while every instance is at rest', async () => {
    const { api, hook } = setup([runnerInstance()], quietSignals);
    await waitFor(() => expect(hook.result.current.value).toHaveLength(1));
    expect(hook.result.current.mode).toBe('signals');

    await advance(POLL_INTERVAL_MS * 3);
    expect(api.listInstances).toHaveBeenCalledTimes(1);
  });

  it('polls with signals too while an instance is building', async () => {
    const { api, hook } = setup(
      [runnerInstance({ state: 'building' })],
      quietSignals,
    );
    await waitFor(() => expect(hook.result.current.value).toHaveLength(1));

    await advance(POLL_INTERVAL_MS);
    expect(api.listInstances).toHaveBeenCalledTimes(2);
  });

  it('keeps the last list when a refresh fails', async () => {
    const { api, hook } = setup([runnerInstance()], quietSignals);
    await waitFor(() => expect(hook.result.current.value).toHaveLength(1));

    api.listInstances.mockRejectedValueOnce(new Error('backend restarting'));
    act(() => hook.result.current.refresh());
    await waitFor(() => expect(hook.result.current.error).toBeDefined());
    expect(hook.result.current.value).toHaveLength(1);
  });
});
