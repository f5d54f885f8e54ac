import { createTestDatabases } from '../__testUtils__/testDatabases';
import { createAlertHarness, failureOf } from './__testUtils__/alertHarness';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const instance = {
  id: '00000000-0000-4000-8000-000000000001',
  entityRef: 'component:default/hello-http',
};

/*
 * Condition rules: one breach makes one alert, held for the rule's duration
 * before opening and clear (past the margin) for the clear duration before
 * resolving. Defaults: cpu 0.9 for 5m, resolves below 0.81 held 5m.
 */
describe.each(databases.eachSupportedId())(
  'AlertEvaluator conditions on %s',
  databaseId => {
    it('opens exactly one cpu alert per breach, with hysteresis on both edges', async () => {
      const h = await createAlertHarness(databases, databaseId);
      const cpu = async (minutes: number, value: number) => {
        h.at(minutes);
        await h.evaluator.observeMetrics(instance, { cpuRatioOfLimit: value });
      };

      // Above the threshold for less than the duration: nothing.
      await cpu(0, 0.95);
      await cpu(4, 0.95);
      expect(await h.alerts()).toHaveLength(0);
      // A dip below the threshold restarts the clock, even above the clear margin.
      await cpu(4.5, 0.85);
      await cpu(5, 0.95);
      await cpu(9.5, 0.95);
      expect(await h.alerts()).toHaveLength(0);

      // Held for 5 minutes: one alert.
      await cpu(10, 0.96);
      let rows = await h.alerts();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        rule: 'cpu',
        severity: 'high',
        state: 'open',
        entity_ref: 'component:default/hello-http',
        instance_id: instance.id,
        count: 1,
      });
      expect(new Date(rows[0].first_seen).toISOString()).toBe(
        '2026-11-26T10:05:00.000Z',
      );
      expect(rows[0].message).toContain('CPU at 96% of the limit');

      // Staying above: still that one alert, one notification.
      for (let m = 10.5; m <= 14; m += 0.5) await cpu(m, 0.99);
      // Just below the threshold but above 0.81: stays open.
      await cpu(15, 0.85);
      await cpu(25, 0.82);
      rows = await h.alerts();
      expect(rows).toHaveLength(1);
      expect(rows[0].state).toBe('open');
      // last_seen follows the breach (written at most once a minute).
      expect(new Date(rows[0].last_seen).toISOString()).toBe(
        '2026-11-26T10:14:00.000Z',
      );

      // Clear, but not yet for 5 minutes: still open; a breach in between restarts it.
      await cpu(26, 0.5);
      await cpu(29, 0.5);
      await cpu(30, 0.92);
      await cpu(31, 0.5);
      await cpu(35, 0.5);
      expect((await h.alerts())[0].state).toBe('open');
      // Clear for 5 minutes: resolved.
      await cpu(36, 0.4);
      rows = await h.alerts();
      expect(rows[0]).toMatchObject({ state: 'resolved', open_key: null });
      expect(new Date(rows[0].resolved_at).toISOString()).toBe(
        '2026-11-26T10:36:00.000Z',
      );
      expect(JSON.parse(rows[0].details)).toMatchObject({
        resolution: 'cleared',
        threshold: 0.9,
      });

      // A later breach is a new alert.
      await cpu(40, 0.95);
      await cpu(45, 0.95);
      rows = await h.alerts();
      expect(rows.map(r => r.state)).toEqual(['resolved', 'open']);
      expect(rows[1].id).not.toBe(rows[0].id);

      expect(h.notifications).toHaveLength(2);
      expect(h.signalEvents()).toEqual([
        'opened:cpu',
        'resolved:cpu',
        'opened:cpu',
      ]);
    });

    it('never opens on a tick after a last stale sample: sampled rules open only on a sample', async () => {
      const h = await createAlertHarness(databases, databaseId);
      h.at(0);
      await h.evaluator.observeMetrics(instance, { memoryRatioOfLimit: 0.97 });
      await h.evaluator.observeHealth(instance, 'unhealthy', 'HTTP 500');
      h.at(30);
      await h.evaluator.tick();
      expect(await h.alerts()).toHaveLength(0);
      // The next sample, still breaching, proves the duration held.
      await h.evaluator.observeMetrics(instance, { memoryRatioOfLimit: 0.97 });
      expect((await h.alerts()).map(r => r.rule)).toEqual(['memory']);
    });

    it('resolves resource alerts at once when the container stops, and ignores instances without a limit', async () => {
      const h = await createAlertHarness(databases, databaseId);
      for (const m of [0, 5]) {
        h.at(m);
        await h.evaluator.observeMetrics(instance, {
          cpuRatioOfLimit: undefined,
          memoryRatioOfLimit: 0.95,
        });
      }
      expect((await h.alerts()).map(r => `${r.rule}:${r.state}`)).toEqual([
        'memory:open',
      ]);
      h.at(5.5);
      await h.evaluator.observeInstance({ ...instance, state: 'stopped' });
      const [row] = await h.alerts();
      expect(row.state).toBe('resolved');
      expect(JSON.parse(row.details).resolution).toBe('instance stopped');
    });

    it('opens unhealthy after 1m of failing checks and resolves after 1m healthy', async () => {
      const h = await createAlertHarness(databases, databaseId);
      const health = async (minutes: number, status: any) => {
        h.at(minutes);
        await h.evaluator.observeHealth(instance, status, 'GET /healthz: 503');
      };
      await health(0, 'unhealthy');
      await health(0.5, 'unhealthy');
      // starting / unknown make no progress either way.
      await health(0.75, 'starting');
      await health(1, 'unhealthy');
      await health(1.5, 'unknown');
      await health(2, 'unhealthy');
      expect(await h.alerts()).toHaveLength(0);
      await health(2.5, 'unhealthy');
      await health(3, 'unhealthy');
      let rows = await h.alerts();
      expect(rows).toHaveLength(1);
      expect(rows[0].message).toBe(
        'Unhealthy for at least 1m: GET /healthz: 503',
      );
      await health(3.5, 'healthy');
      await health(4, 'healthy');
      expect((await h.alerts())[0].state).toBe('open');
      await health(4.5, 'healthy');
      rows = await h.alerts();
      expect(rows[0].state).toBe('resolved');
      expect(h.notifications).toHaveLength(1);
      expect(h.notifications[0].payload).toMatchObject({
        title: 'hello-http: unhealthy',
        severity: 'high',
      });
    });

    it('counts exits in a sliding window; the window is the clear duration', async () => {
      // Each exit is a crash too (AlertEvaluator.events.test.ts): off here.
      const h = await createAlertHarness(databases, databaseId, {
        rules: { crash: { enabled: false } },
      });
      const exit = async (minutes: number) => {
        h.at(minutes);
        await h.evaluator.observeFailure(
          instance,
          failureOf('CONTAINER_EXITED'),
        );
      };
      await exit(0);
      await exit(1);
      expect(await h.alerts()).toHaveLength(0);
      await exit(2);
      let rows = await h.alerts();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ rule: 'restarts', count: 3 });
      expect(rows[0].message).toContain('3 container exits within 10m');
      await exit(3);
      rows = await h.alerts();
      expect(rows).toHaveLength(1);
      expect(rows[0].count).toBe(4);

      // At 11m only the exits of 2m and 3m are in the window: clear since then.
      h.at(11);
      await h.evaluator.tick();
      h.at(20.5);
      await h.evaluator.tick();
      expect((await h.alerts())[0].state).toBe('open');
      h.at(21);
      await h.evaluator.tick();
      expect((await h.alerts())[0].state).toBe('resolved');
      expect(h.signalEvents()).toEqual([
        'opened:restarts',
        'updated:restarts',
        'resolved:restarts',
      ]);
    });

    it('raises gateway-not-accepted from one report after 2m, and resolves 2m after Accepted', async () => {
      const h = await createAlertHarness(databases, databaseId);
      const entityRef = 'component:default/hello-http';
      const route = 'HTTPRoute default/hello-http';
      h.at(0);
      await h.evaluator.observeGatewayStatus(
        entityRef,
        route,
        false,
        'NoMatchingParent: no gateway named eg',
      );
      h.at(1);
      await h.evaluator.tick();
      expect(await h.alerts()).toHaveLength(0);
      h.at(2);
      await h.evaluator.tick();
      let rows = await h.alerts();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        rule: 'gateway-not-accepted',
        severity: 'medium',
        resource_ref: route,
        instance_id: null,
      });
      expect(rows[0].message).toBe(
        'HTTPRoute default/hello-http not accepted by the gateway for at least 2m: NoMatchingParent: no gateway named eg',
      );
      h.at(3);
      await h.evaluator.observeGatewayStatus(
        entityRef,
        route,
        true,
        'Accepted',
      );
      h.at(4.5);
      await h.evaluator.tick();
      expect((await h.alerts())[0].state).toBe('open');
      h.at(5);
      await h.evaluator.tick();
      rows = await h.alerts();
      expect(rows[0].state).toBe('resolved');
      expect(h.notifications[0].payload.title).toBe(
        'hello-http (HTTPRoute default/hello-http): gateway resource not accepted',
      );

      // A deleted resource's alert resolves at once.
      h.at(10);
      await h.evaluator.observeGatewayStatus(entityRef, route, false, 'x');
      h.at(12);
      await h.evaluator.tick();
      expect((await h.alerts())[1].state).toBe('open');
      await h.evaluator.forgetGatewayResource(entityRef, route);
      rows = await h.alerts();
      expect(rows[1].state).toBe('resolved');
      expect(JSON.parse(rows[1].details).resolution).toBe('resource removed');
    });

    it('applies per-component overrides and disabled rules', async () => {
      const h = await createAlertHarness(databases, databaseId, {
        rules: { memory: { enabled: false } },
        components: {
          'hello-http': { rules: { cpu: { threshold: 0.5, duration: 0 } } },
        },
      });
      const other = {
        ...instance,
        id: '00000000-0000-4000-8000-000000000002',
        entityRef: 'component:default/other',
      };
      h.at(0);
      await h.evaluator.observeMetrics(instance, {
        cpuRatioOfLimit: 0.6,
        memoryRatioOfLimit: 1,
      });
      await h.evaluator.observeMetrics(other, { cpuRatioOfLimit: 0.6 });
      h.at(10);
      await h.evaluator.observeMetrics(instance, { memoryRatioOfLimit: 1 });
      const rows = await h.alerts();
      expect(rows.map(r => `${r.entity_ref}:${r.rule}`)).toEqual([
        'component:default/hello-http:cpu',
      ]);
    });
  },
);
