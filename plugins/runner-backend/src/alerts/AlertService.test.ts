import { createTestDatabases } from '../__testUtils__/testDatabases';
import { createAlertHarness, failureOf } from './__testUtils__/alertHarness';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const instance = {
  id: '00000000-0000-4000-8000-000000000001',
  entityRef: 'component:default/hello-http',
};

describe.each(databases.eachSupportedId())('AlertService on %s', databaseId => {
  it('acknowledges once, keeps the first acknowledger, still resolves, and refuses resolved alerts', async () => {
    const h = await createAlertHarness(databases, databaseId);
    h.at(0);
    await h.evaluator.observeHealth(instance, 'unhealthy');
    h.at(1);
    await h.evaluator.observeHealth(instance, 'unhealthy');
    const [{ id }] = await h.alerts();

    h.at(2);
    const acked = await h.service.acknowledge(id, 'user:default/alice');
    expect(acked).toMatchObject({
      id,
      state: 'open',
      acknowledgedBy: 'user:default/alice',
      acknowledgedAt: '2026-11-26T10:02:00.000Z',
    });
    h.at(3);
    const again = await h.service.acknowledge(id, 'user:default/bob');
    expect(again.acknowledgedBy).toBe('user:default/alice');
    expect(again.acknowledgedAt).toBe('2026-11-26T10:02:00.000Z');

    // Acknowledged alerts resolve like any other.
    await h.evaluator.observeHealth(instance, 'healthy');
    h.at(4);
    await h.evaluator.observeHealth(instance, 'healthy');
    const resolved = await h.service.get(id);
    expect(resolved).toMatchObject({
      state: 'resolved',
      acknowledgedBy: 'user:default/alice',
      resolvedAt: '2026-11-26T10:04:00.000Z',
    });
    await expect(
      h.service.acknowledge(id, 'user:default/bob'),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('only open alerts can be acknowledged'),
    });
    await expect(
      h.service.acknowledge(
        '00000000-0000-4000-8000-00000000dead',
        'user:default/bob',
      ),
    ).rejects.toMatchObject({ name: 'NotFoundError' });

    // One acknowledged signal: the repeat changed nothing.
    expect(h.signalEvents()).toEqual([
      'opened:unhealthy',
      'acknowledged:unhealthy',
      'resolved:unhealthy',
    ]);
    expect(h.notifications).toHaveLength(1);
  });

  it('lists one entity by state, open first and newest first, within the limit', async () => {
    const h = await createAlertHarness(databases, databaseId);
    const other = {
      id: '00000000-0000-4000-8000-000000000009',
      entityRef: 'component:default/other',
    };
    h.at(0);
    await h.evaluator.observeFailure(instance, failureOf('BUILD_STEP_FAILED'));
    await h.evaluator.observeFailure(other, failureOf('BUILD_STEP_FAILED'));
    h.at(1);
    await h.evaluator.observeInstance({ ...instance, state: 'running' });
    h.at(2);
    await h.evaluator.observeFailure(instance, failureOf('OOM_KILLED'));
    h.at(3);
    await h.evaluator.observeFailure(instance, failureOf('BUILD_STEP_FAILED'));

    const entityRef = instance.entityRef;
    const all = await h.service.list({ entityRef, state: 'all', limit: 10 });
    expect(all.map(a => `${a.rule}:${a.state}`)).toEqual([
      'build-failure:open',
      'oom:open',
      'build-failure:resolved',
    ]);
    expect(all[0]).not.toHaveProperty('resourceRef');
    expect(all[0]).not.toHaveProperty('acknowledgedBy');
    expect(all[2].resolvedAt).toBe('2026-11-26T10:01:00.000Z');
    const open = await h.service.list({ entityRef, state: 'open', limit: 1 });
    expect(open.map(a => a.rule)).toEqual(['build-failure']);
    const resolved = await h.service.list({
      entityRef,
      state: 'resolved',
      limit: 10,
    });
    expect(resolved).toHaveLength(1);
  });
});
