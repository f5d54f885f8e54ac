import { setTimeout as sleep } from 'node:timers/promises';
import { mapSettledBounded } from './bounded';
import { RunnerMetrics, renderExposition } from './prometheus';

describe('Prometheus exposition', () => {
  it('writes HELP, TYPE and escaped labels', () => {
    const text = renderExposition([
      {
        name: 'runner_x_total',
        help: 'A help text\nover two lines with a \\ backslash.',
        type: 'counter',
        samples: [
          { labels: { entity_ref: 'component:default/a"b\\c\nd' }, value: 3 },
          { value: NaN },
        ],
      },
    ]);
    expect(text).toBe(
      [
        '# HELP runner_x_total A help text\\nover two lines with a \\\\ backslash.',
        '# TYPE runner_x_total counter',
        'runner_x_total{entity_ref="component:default/a\\"b\\\\c\\nd"} 3',
        'runner_x_total NaN',
        '',
      ].join('\n'),
    );
  });

  it('counts builds from state changes and errors by category and code', async () => {
    const metrics = new RunnerMetrics({
      store: {
        countInstancesByState: async () => new Map([['running', 2]]),
        latest: async () => [],
      },
      sampler: {
        totalsSoFar: () => ({
          rounds: 4,
          samples: 8,
          failures: 1,
          last: { at: '', durationMs: 1250, sampled: 2, failed: 0, skipped: 0 },
        }),
      },
      freshnessMs: 30_000,
    });
    const life = (id: string, ...states: string[]) =>
      states.forEach(state => metrics.observeInstance({ id, state } as any));
    life('a', 'pending', 'building', 'starting', 'running');
    life('b', 'pending', 'building', 'failed');
    life('c', 'pending', 'building', 'stopping', 'stopped');
    life('d', 'pending', 'starting', 'running', 'failed'); // cached image: no build
    metrics.countError({ category: 'oom', code: 'OOM_KILLED' });
    metrics.countError({ category: 'oom', code: 'OOM_KILLED' });
    metrics.countError({ category: 'build', code: 'BUILD_STEP_FAILED' });

    const text = await metrics.render();
    expect(text).toContain('runner_instances{state="running"} 2\n');
    expect(text).toContain('runner_instances{state="failed"} 0\n');
    expect(text).toContain('runner_builds_total{result="success"} 1\n');
    expect(text).toContain('runner_builds_total{result="failure"} 1\n');
    expect(text).toContain('runner_builds_total{result="cancelled"} 1\n');
    expect(text).toContain(
      'runner_errors_total{category="oom",code="OOM_KILLED"} 2\n',
    );
    expect(text).toContain(
      'runner_errors_total{category="build",code="BUILD_STEP_FAILED"} 1\n',
    );
    expect(text).toContain('runner_sampling_duration_seconds 1.25\n');
    expect(text).toContain('runner_sampling_failures_total 1\n');
    // Every family is typed once.
    const types = text.split('\n').filter(l => l.startsWith('# TYPE'));
    expect(new Set(types).size).toBe(types.length);
  });
});

describe('mapSettledBounded', () => {
  it('keeps at most `limit` calls in flight, keeps order, and settles failures', async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await mapSettledBounded(
      [...Array(20).keys()],
      8,
      async i => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await sleep(5 + (i % 3) * 5);
        inFlight--;
        if (i === 7) throw new Error('no stats');
        return i * 2;
      },
    );
    expect(peak).toBe(8);
    expect(results[7]).toMatchObject({ status: 'rejected' });
    expect(
      results
        .filter(r => r.status === 'fulfilled')
        .map(r => (r as PromiseFulfilledResult<number>).value),
    ).toEqual([...Array(20).keys()].filter(i => i !== 7).map(i => i * 2));
    expect(await mapSettledBounded([], 8, async () => 1)).toEqual([]);
  });
});
