import { createTestDatabases } from '../__testUtils__/testDatabases';
import { createAlertHarness, failureOf } from './__testUtils__/alertHarness';
import { type SweptInstance, sweepInstanceAlerts } from './sweep';

/*
 * The sweep after a restart, on the real databases: a first evaluator opens
 * alerts, the process goes away before the instances' ends are observed, and
 * a fresh evaluator (the next backend) sweeps against the instances table.
 */

jest.setTimeout(60_000);

const databases = createTestDatabases();
const entityRef = 'component:default/hello-http';
const ids = {
  removed: '00000000-0000-4000-8000-00000000000a',
  failed: '00000000-0000-4000-8000-00000000000b',
  running: '00000000-0000-4000-8000-00000000000c',
};

describe.each(databases.eachSupportedId())('alert sweep on %s', databaseId => {
  it('resolves what instances that went away left open, with a reason, and only that', async () => {
    const h = await createAlertHarness(databases, databaseId, {
      rules: { cpu: { duration: '0s' } },
    });
    h.at(0);
    for (const id of Object.values(ids)) {
      await h.evaluator.observeMetrics(
        { id, entityRef },
        { cpuRatioOfLimit: 1 },
      );
    }
    await h.evaluator.observeFailure(
      { id: ids.failed, entityRef },
      failureOf('OOM_KILLED'),
    );
    expect(
      (await h.alerts()).map(a => `${a.instance_id} ${a.rule}`).sort(),
    ).toEqual(
      [
        `${ids.failed} cpu`,
        `${ids.failed} oom`,
        `${ids.removed} cpu`,
        `${ids.running} cpu`,
      ].sort(),
    );

    // The next backend: its instances table says what became of them.
    const failure = failureOf('CONTAINER_NOT_FOUND');
    const table: Record<string, SweptInstance> = {
      [ids.failed]: { state: 'failed', failure },
      [ids.running]: { state: 'running' },
    };
    h.at(1);
    const resolved = await sweepInstanceAlerts(
      h.service,
      h.createEvaluator(),
      async id => table[id],
    );
    expect(resolved).toBe(2);

    const rows = await h.alerts();
    const of = (id: string, rule: string) =>
      rows.find(r => r.instance_id === id && r.rule === rule);
    expect(of(ids.removed, 'cpu')).toMatchObject({ state: 'resolved' });
    expect(JSON.parse(of(ids.removed, 'cpu').details)).toMatchObject({
      resolution: 'instance removed',
      reason: expect.stringContaining('no longer exists'),
    });
    expect(of(ids.failed, 'cpu')).toMatchObject({ state: 'resolved' });
    expect(JSON.parse(of(ids.failed, 'cpu').details)).toMatchObject({
      resolution: 'instance stopped',
      reason: `the instance failed: ${failure.userMessage}`,
    });
    // What happened stays open: the OOM of the failed one, the running one's CPU.
    expect(of(ids.failed, 'oom')).toMatchObject({ state: 'open' });
    expect(of(ids.running, 'cpu')).toMatchObject({ state: 'open' });
    expect(h.signalEvents().filter(e => e.startsWith('resolved'))).toEqual([
      'resolved:cpu',
      'resolved:cpu',
    ]);

    // Nothing left to sweep: a second pass changes nothing.
    await expect(
      sweepInstanceAlerts(
        h.service,
        h.createEvaluator(),
        async id => table[id],
      ),
    ).resolves.toBe(0);
  });
});
