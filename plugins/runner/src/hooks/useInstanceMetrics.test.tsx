import type { ReactNode } from 'react';
import { act, renderHook, waitFor } from '@testing-library/react';
import { TestApiProvider } from '@backstage/frontend-test-utils';
import { signalApiRef, type SignalApi } from '@backstage/plugin-signals-react';
import type { RunnerInstance } from '@internal/plugin-runner-common';
import { runnerApiRef } from '../api';
import { METRICS_RANGES, type MetricsRange } from '../lib/metricsData';
import { mockRunnerApi } from '../testing/fixtures';
import { HELLO_REF, runnerInstance } from '../testing/instances';
import { instanceMetrics } from '../testing/monitoring';
import { useInstanceMetrics } from './useInstanceMetrics';
import { ALERTS_POLL_INTERVAL_MS, useLiveAlerts } from './useLiveAlerts';

const range = (key: MetricsRange['key']) =>
  METRICS_RANGES.find(r => r.key === key)!;

function wrapperFor(
  api: ReturnType<typeof mockRunnerApi>,
  signals?: SignalApi,
) {
  return ({ children }: { children: ReactNode }) =>
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
}

async function advance(ms: number) {
  await act(async () => {
    jest.advanceTimersByTime(ms);
  });
}

describe('useInstanceMetrics', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function setup(instance: RunnerInstance, key: MetricsRange['key']) {
    const api = mockRunnerApi();
    api.getInstanceMetrics.mockResolvedValue(instanceMetrics());
    const hook = renderHook(
      (props: { instance: RunnerInstance; range: MetricsRange }) =>
        useInstanceMetrics(props.instance, props.range),
      {
        wrapper: wrapperFor(api),
        initialProps: { instance, range: range(key) },
      },
    );
    return { api, hook };
  }

  it.each([
    ['15m', 10_000],
    ['1h', 30_000],
    ['24h', 60_000],
    ['7d', 60_000],
  ] as const)(
    'refreshes the %s range every %i ms while the instance runs',
    async (key, interval) => {
      const { api } = setup(runnerInstance(), key);
      await waitFor(() =>
        expect(api.getInstanceMetrics).toHaveBeenCalledTimes(1),
      );
      await advance(interval - 1);
      expect(api.getInstanceMetrics).toHaveBeenCalledTimes(1);
      await advance(1);
      expect(api.getInstanceMetrics).toHaveBeenCalledTimes(2);
    },
  );

  it('does not refresh a stopped instance, but reloads when its state changes', async () => {
    const stopped = runnerInstance({ state: 'stopped' });
    const { api, hook } = setup(stopped, '15m');
    await waitFor(() =>
      expect(api.getInstanceMetrics).toHaveBeenCalledTimes(1),
    );
    expect(hook.result.current.live).toBe(false);
    await advance(120_000);
    expect(api.getInstanceMetrics).toHaveBeenCalledTimes(1);

    hook.rerender({
      instance: { ...stopped, state: 'pending' },
      range: range('15m'),
    });
    await waitFor(() =>
      expect(api.getInstanceMetrics).toHaveBeenCalledTimes(2),
    );
    expect(hook.result.current.live).toBe(true);
  });

  it('keeps the shown metrics during a refresh but not across ranges', async () => {
    const { api, hook } = setup(runnerInstance(), '1h');
    await waitFor(() => expect(hook.result.current.value).toBeDefined());
    api.getInstanceMetrics.mockReturnValue(new Promise(() => {}));
    await advance(30_000);
    expect(hook.result.current.loading).toBe(true);
    expect(hook.result.current.value).toBeDefined();

    hook.rerender({ instance: runnerInstance(), range: range('24h') });
    expect(hook.result.current.value).toBeUndefined();
  });
});

describe('useLiveAlerts', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('polls every 30 s without signals', async () => {
    const api = mockRunnerApi();
    renderHook(() => useLiveAlerts(HELLO_REF), { wrapper: wrapperFor(api) });
    await waitFor(() => expect(api.listAlerts).toHaveBeenCalledTimes(1));
    await advance(ALERTS_POLL_INTERVAL_MS - 1);
    expect(api.listAlerts).toHaveBeenCalledTimes(1);
    await advance(1);
    expect(api.listAlerts).toHaveBeenCalledTimes(2);
  });

  it('does not poll with signals', async () => {
    const api = mockRunnerApi();
    const signals: SignalApi = {
      subscribe: () => ({ unsubscribe: () => undefined }),
    };
    const hook = renderHook(() => useLiveAlerts(HELLO_REF), {
      wrapper: wrapperFor(api, signals),
    });
    await waitFor(() => expect(hook.result.current.mode).toBe('signals'));
    await advance(5 * ALERTS_POLL_INTERVAL_MS);
    expect(api.listAlerts).toHaveBeenCalledTimes(1);
  });
});
