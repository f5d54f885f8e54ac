import type { AlertSignal } from '@internal/plugin-runner-common';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { createAlertHarness, failureOf } from './__testUtils__/alertHarness';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const instance = {
  id: '00000000-0000-4000-8000-000000000001',
  entityRef: 'component:default/hello-http',
};

describe.each(databases.eachSupportedId())(
  'AlertEvaluator events, delivery and persistence on %s',
  databaseId => {
    it('opens one OOM alert per instance while open, counting repeats, and resolves after 10m running', async () => {
      const h = await createAlertHarness(databases, databaseId);
      const second = {
        ...instance,
        id: '00000000-0000-4000-8000-000000000002',
      };
      h.at(0);
      await h.evaluator.observeFailure(instance, failureOf('OOM_KILLED'));
      // A sample taken before the kill, arriving after it, proves no recovery.
      await h.evaluator.observeMetrics(instance, { cpuRatioOfLimit: 0.1 });
      h.at(1);
      await h.evaluator.observeFailure(instance, failureOf('OOM_KILLED'));
      await h.evaluator.observeFailure(second, failureOf('OOM_KILLED'));
      let rows = await h.alerts();
      expect(rows.map(r => [r.instance_id, r.rule, r.count])).toEqual([
        [instance.id, 'oom', 2],
        [second.id, 'oom', 1],
      ]);
      expect(rows[0]).toMatchObject({ severity: 'critical', state: 'open' });
      expect(JSON.parse(rows[0].details)).toMatchObject({
        code: 'OOM_KILLED',
        category: 'oom',
      });
      expect(rows[0].message).toBe(failureOf('OOM_KILLED').userMessage);

      h.at(12);
      await h.evaluator.tick();
      expect((await h.alerts())[0].state).toBe('open');

      // Restarted: running for 10 minutes without another kill resolves it.
      h.at(13);
      await h.evaluator.observeInstance({ ...instance, state: 'running' });
      h.at(22);
      await h.evaluator.tick();
      expect((await h.alerts())[0].state).toBe('open');
      h.at(23);
      await h.evaluator.tick();
      rows = await h.alerts();
      expect(rows[0].state).toBe('resolved');

      // The next kill is a new alert.
      h.at(30);
      await h.evaluator.observeFailure(instance, failureOf('OOM_KILLED'));
      expect(await h.alerts()).toHaveLength(3);
      expect(h.notifications).toHaveLength(3);
      expect(h.signalEvents()).toEqual([
        'opened:oom',
        'updated:oom',
        'opened:oom',
        'resolved:oom',
        'opened:oom',
      ]);
    });

    it('interrupts an OOM recovery when the instance stops again before the clear duration', async () => {
      const h = await createAlertHarness(databases, databaseId);
      h.at(0);
      await h.evaluator.observeFailure(instance, failureOf('OOM_KILLED'));
      await h.evaluator.observeInstance({ ...instance, state: 'running' });
      h.at(5);
      await h.evaluator.observeInstance({ ...instance, state: 'failed' });
      h.at(30);
      await h.evaluator.tick();
      expect((await h.alerts())[0].state).toBe('open');
    });

    it('raises build failures per instance and resolves them when the instance runs', async () => {
      const h = await createAlertHarness(databases, databaseId);
      h.at(0);
      await h.evaluator.observeFailure(
        instance,
        failureOf('BUILD_STEP_FAILED'),
      );
      h.at(1);
      await h.evaluator.observeFailure(instance, failureOf('BUILD_TIMEOUT'));
      await h.evaluator.observeFailure(
        instance,
        failureOf('BASE_IMAGE_MISSING'),
      );
      // Not alerts: the error history keeps these.
      await h.evaluator.observeFailure(instance, failureOf('PORT_IN_USE'));
      await h.evaluator.observeFailure(
        instance,
        failureOf('DOCKER_UNREACHABLE'),
      );
      let rows = await h.alerts();
      expect(rows.map(r => [r.rule, r.count, r.severity])).toEqual([
        ['build-failure', 3, 'high'],
      ]);
      expect(JSON.parse(rows[0].details).code).toBe('BASE_IMAGE_MISSING');
      h.at(5);
      await h.evaluator.observeInstance({ ...instance, state: 'running' });
      rows = await h.alerts();
      expect(rows[0].state).toBe('resolved');
    });

    it('raises a crash once per instance on its first exit, counts repeats, and resolves after 10m running', async () => {
      const h = await createAlertHarness(databases, databaseId);
      h.at(0);
      await h.evaluator.observeInstance({ ...instance, state: 'running' });
      await h.evaluator.observeFailure(instance, failureOf('CONTAINER_EXITED'));
      let rows = await h.alerts();
      // One exit is an alert: the error history's high-severity crash is the
      // Alerts tab's too.
      expect(rows.map(r => [r.rule, r.count, r.severity, r.state])).toEqual([
        ['crash', 1, 'high', 'open'],
      ]);
      expect(rows[0].message).toBe(failureOf('CONTAINER_EXITED').userMessage);
      expect(h.notifications[0].payload.title).toBe('hello-http: crashed');

      // Restarted, crashed again after a minute: the same alert, counted.
      h.at(1);
      await h.evaluator.observeInstance({ ...instance, state: 'running' });
      h.at(2);
      await h.evaluator.observeFailure(
        instance,
        failureOf('CONTAINER_START_FAILED'),
      );
      // A platform failure is no crash of the component's.
      await h.evaluator.observeFailure(
        instance,
        failureOf('CONTAINER_NOT_FOUND'),
      );
      rows = await h.alerts();
      expect(rows.map(r => [r.rule, r.count])).toEqual([['crash', 2]]);
      expect(JSON.parse(rows[0].details).code).toBe('CONTAINER_START_FAILED');

      // Running 10 minutes without a crash resolves it; 9 do not.
      h.at(3);
      await h.evaluator.observeInstance({ ...instance, state: 'running' });
      h.at(12);
      await h.evaluator.tick();
      expect((await h.alerts())[0].state).toBe('open');
      h.at(13);
      await h.evaluator.tick();
      expect((await h.alerts())[0].state).toBe('resolved');
      expect(h.notifications).toHaveLength(1);
    });

    it('a crash loop is a crash and, from the third exit in 10m, restarts too', async () => {
      const h = await createAlertHarness(databases, databaseId);
      for (const minute of [0, 1, 2]) {
        h.at(minute);
        await h.evaluator.observeFailure(
          instance,
          failureOf('CONTAINER_EXITED'),
        );
      }
      const rows = await h.alerts();
      expect(rows.map(r => [r.rule, r.count])).toEqual([
        ['crash', 3],
        ['restarts', 3],
      ]);
    });

    it('sends one notification per alert to the entity, linking its Alerts tab, and signals every change', async () => {
      const h = await createAlertHarness(databases, databaseId);
      h.at(0);
      await h.evaluator.observeFailure(
        instance,
        failureOf('BUILD_STEP_FAILED'),
      );
      await h.evaluator.observeFailure(
        instance,
        failureOf('BUILD_STEP_FAILED'),
      );
      const [row] = await h.alerts();
      expect(h.notifications).toEqual([
        {
          recipients: {
            type: 'entity',
            entityRef: ['component:default/hello-http'],
          },
          payload: {
            title: 'hello-http: build failed',
            description: failureOf('BUILD_STEP_FAILED').userMessage,
            link: '/catalog/default/component/hello-http/alerts',
            severity: 'high',
            topic: 'runner-alerts',
            scope: `runner-alert:${row.id}`,
          },
        },
      ]);
      expect(h.signals[0]).toMatchObject({
        recipients: { type: 'broadcast' },
        channel: 'runner-alerts',
      });
      const message = h.signals[0].message as unknown as AlertSignal;
      expect(message).toMatchObject({
        entityRef: 'component:default/hello-http',
        event: 'opened',
        alert: { id: row.id, rule: 'build-failure', state: 'open', count: 1 },
      });
      expect((h.signals[1].message as any).alert.count).toBe(2);
    });

    it('keeps alerts across a backend restart: no duplicate, resolution by the new evaluator', async () => {
      const h = await createAlertHarness(databases, databaseId);
      for (const m of [0, 5]) {
        h.at(m);
        await h.evaluator.observeMetrics(instance, { cpuRatioOfLimit: 0.95 });
      }
      await h.evaluator.observeFailure(instance, failureOf('OOM_KILLED'));
      expect(await h.alerts()).toHaveLength(2);

      const restarted = h.createEvaluator();
      for (const m of [6, 11, 12]) {
        h.at(m);
        await restarted.observeMetrics(instance, { cpuRatioOfLimit: 0.95 });
      }
      let rows = await h.alerts();
      expect(rows.map(r => `${r.rule}:${r.state}:${r.count}`)).toEqual([
        'cpu:open:1',
        'oom:open:1',
      ]);
      expect(h.notifications).toHaveLength(2);

      // Samples prove the instance runs (the kill is not in this process's
      // memory), from the first one at 6m: 10 minutes later the OOM resolves.
      h.at(13);
      await restarted.observeMetrics(instance, { cpuRatioOfLimit: 0.2 });
      h.at(15.5);
      await restarted.tick();
      expect((await h.alerts()).map(r => `${r.rule}:${r.state}`)).toEqual([
        'cpu:open',
        'oom:open',
      ]);
      h.at(16);
      await restarted.tick();
      expect((await h.alerts()).map(r => `${r.rule}:${r.state}`)).toEqual([
        'cpu:open',
        'oom:resolved',
      ]);
      // cpu cleared past the margin at 13m, resolved 5 minutes later.
      h.at(18);
      await restarted.observeMetrics(instance, { cpuRatioOfLimit: 0.2 });
      rows = await h.alerts();
      expect(rows.map(r => `${r.rule}:${r.state}`)).toEqual([
        'cpu:resolved',
        'oom:resolved',
      ]);
    });

    it('lets only one of two evaluators sharing the database open the alert', async () => {
      const h = await createAlertHarness(databases, databaseId);
      const other = h.createEvaluator();
      h.at(0);
      await Promise.all([
        h.evaluator.observeFailure(instance, failureOf('OOM_KILLED')),
        other.observeFailure(instance, failureOf('OOM_KILLED')),
        h.evaluator.observeMetrics(instance, { cpuRatioOfLimit: 1 }),
        other.observeMetrics(instance, { cpuRatioOfLimit: 1 }),
      ]);
      h.at(5);
      await Promise.all([
        h.evaluator.observeMetrics(instance, { cpuRatioOfLimit: 1 }),
        other.observeMetrics(instance, { cpuRatioOfLimit: 1 }),
        h.evaluator.observeMetrics(instance, { cpuRatioOfLimit: 1 }),
      ]);
      const rows = await h.alerts();
      expect(rows.map(r => `${r.rule}:${r.count}`).sort()).toEqual([
        'cpu:1',
        'oom:2',
      ]);
      expect(h.notifications).toHaveLength(2);
    });

    it('resolves every open alert of a removed instance', async () => {
      const h = await createAlertHarness(databases, databaseId);
      h.at(0);
      await h.evaluator.observeFailure(instance, failureOf('OOM_KILLED'));
      await h.evaluator.observeHealth(instance, 'unhealthy');
      h.at(2);
      await h.evaluator.observeHealth(instance, 'unhealthy');
      expect(await h.alerts()).toHaveLength(2);
      // After a restart too: the removal is looked up in the database.
      await h.createEvaluator().forgetInstance(instance.id);
      const rows = await h.alerts();
      expect(rows.map(r => r.state)).toEqual(['resolved', 'resolved']);
      expect(JSON.parse(rows[0].details).resolution).toBe('instance removed');
    });

    it('logs instead of rejecting when the database fails', async () => {
      const h = await createAlertHarness(databases, databaseId);
      await h.knex.schema.dropTable('alerts');
      await expect(
        h.evaluator.observeFailure(instance, failureOf('OOM_KILLED')),
      ).resolves.toBeUndefined();
      expect(h.logger.warn).toHaveBeenCalledWith(
        expect.stringContaining(
          'Alert evaluation for component:default/hello-http',
        ),
      );
      // A malformed entity ref from a caller is logged too, not thrown.
      await expect(
        h.evaluator.observeGatewayStatus(
          'hello-http',
          'HTTPRoute x/y',
          false,
          '',
        ),
      ).resolves.toBeUndefined();
      expect(h.logger.warn).toHaveBeenCalledWith(
        expect.stringContaining('Alert observation ignored'),
      );
    });
  },
);
