import type { JsonValue } from '@backstage/types';
import { ConfigReader } from '@backstage/config';
import { readAlertRules } from './readAlertRules';

function rules(alerts: JsonValue) {
  return readAlertRules(new ConfigReader({ runner: { alerts } }));
}

const hello = 'component:default/hello-http';

describe('readAlertRules', () => {
  it('has the documented defaults without any config', () => {
    const r = readAlertRules(new ConfigReader({})).forEntity(hello);
    expect(r.cpu).toEqual({
      kind: 'cpu',
      enabled: true,
      severity: 'high',
      threshold: 0.9,
      durationMs: 300_000,
      clearDurationMs: 300_000,
      clearRatio: 0.9,
    });
    expect(r.memory).toMatchObject({
      threshold: 0.9,
      durationMs: 300_000,
      severity: 'high',
    });
    expect(r.restarts).toMatchObject({
      threshold: 3,
      windowMs: 600_000,
      durationMs: 0,
      // The window is the hysteresis: clear once it has passed without enough exits.
      clearDurationMs: 600_000,
    });
    expect(r.unhealthy).toMatchObject({ durationMs: 60_000, severity: 'high' });
    expect(r.oom).toMatchObject({
      durationMs: 0,
      severity: 'critical',
      clearDurationMs: 600_000,
    });
    expect(r['build-failure']).toMatchObject({
      durationMs: 0,
      severity: 'high',
      clearDurationMs: 0,
    });
    expect(r['gateway-not-accepted']).toMatchObject({
      durationMs: 120_000,
      clearDurationMs: 120_000,
      severity: 'medium',
    });
  });

  it('merges runner.alerts.rules, then name entries, then ref entries, field by field', () => {
    const set = rules({
      rules: {
        cpu: { threshold: 0.8, duration: '10m' },
        oom: { severity: 'high' },
      },
      components: {
        'hello-http': { rules: { cpu: { severity: 'low', threshold: 0.7 } } },
        'Component:Default/Hello-HTTP': {
          rules: { cpu: { threshold: 0.95 }, oom: { enabled: false } },
        },
      },
    });
    expect(set.forEntity(hello).cpu).toMatchObject({
      threshold: 0.95, // ref entry
      severity: 'low', // name entry
      durationMs: 600_000, // runner.alerts.rules
      clearDurationMs: 600_000, // follows the duration
      clearRatio: 0.9, // built-in
    });
    expect(set.forEntity(hello).oom).toMatchObject({
      enabled: false,
      severity: 'high',
    });
    // A name entry matches that name in any namespace and kind; the ref entry does not.
    expect(set.forEntity('api:other/hello-http').cpu).toMatchObject({
      threshold: 0.7,
      severity: 'low',
    });
    expect(set.forEntity('component:default/other').cpu).toMatchObject({
      threshold: 0.8,
      severity: 'high',
    });
  });

  it('accepts durations as milliseconds, short strings and ISO 8601, and 0 for "at once"', () => {
    const r = rules({
      rules: {
        cpu: { duration: 0, clearDuration: 'PT30S' },
        memory: { duration: 90_000, clearRatio: 0.5 },
        restarts: { threshold: '5', window: '1h' },
      },
    }).forEntity(hello);
    expect(r.cpu).toMatchObject({ durationMs: 0, clearDurationMs: 30_000 });
    expect(r.memory).toMatchObject({ durationMs: 90_000, clearRatio: 0.5 });
    expect(r.restarts).toMatchObject({
      threshold: 5,
      windowMs: 3_600_000,
      clearDurationMs: 3_600_000,
    });
  });

  it.each([
    [
      { rules: { cpu: { threshold: 90 } } },
      "'runner.alerts.rules.cpu.threshold': '90' is not a ratio of the limit above 0 and at most 1",
    ],
    [
      { rules: { restarts: { threshold: 2.5 } } },
      "'runner.alerts.rules.restarts.threshold': '2.5' is not a whole number ≥ 1",
    ],
    [
      { rules: { cpu: { duration: 'soon' } } },
      "'runner.alerts.rules.cpu.duration': 'soon' is not a duration",
    ],
    [
      { rules: { memory: { clearDuration: -1 } } },
      "'runner.alerts.rules.memory.clearDuration': -1 is not a number of milliseconds",
    ],
    [
      { rules: { cpu: { clearRatio: 1.5 } } },
      "'runner.alerts.rules.cpu.clearRatio'",
    ],
    [
      { rules: { restarts: { window: '0s' } } },
      "'runner.alerts.rules.restarts.window': the window must be longer than zero",
    ],
    [
      { rules: { oom: { duration: '1m' } } },
      "'runner.alerts.rules.oom.duration': unknown key for the oom rule; use one of enabled, severity, clearDuration",
    ],
    [
      { rules: { unhealthy: { threshold: 1 } } },
      "'runner.alerts.rules.unhealthy.threshold': unknown key",
    ],
    [
      { rules: { cpu: { severity: 'urgent' } } },
      "'runner.alerts.rules.cpu.severity': 'urgent'; use critical, high, medium, low",
    ],
    [
      { rules: { cpu: { enabled: 'yes' } } },
      "'runner.alerts.rules.cpu.enabled': expected true or false",
    ],
    [
      { rules: { disk: { threshold: 0.9 } } },
      "'runner.alerts.rules.disk': unknown rule kind; use one of cpu, memory, restarts",
    ],
    [{ rules: { cpu: 0.9 } }, "'runner.alerts.rules.cpu': expected a map with"],
    [
      { rule: {} },
      "'runner.alerts.rule': unknown key; use rules or components",
    ],
    [
      { components: { 'hello-http': { cpu: {} } } },
      "'runner.alerts.components.hello-http.cpu': unknown key; use rules",
    ],
    [
      { components: { 'hello-http': { rules: { cpu: { threshold: 0 } } } } },
      "'runner.alerts.components.hello-http.rules.cpu.threshold'",
    ],
    [
      { components: { 'component:hello': { rules: {} } } },
      "'runner.alerts.components.component:hello': 'component:hello' is not a full entity ref",
    ],
    [
      { components: { 'hello http': { rules: {} } } },
      "'runner.alerts.components.hello http': 'hello http' is neither an entity name",
    ],
    [
      {
        components: {
          'component:default/a': { rules: {} },
          'Component:default/A': { rules: {} },
        },
      },
      "'runner.alerts.components.Component:default/A': it names the same entity as 'runner.alerts.components.component:default/a'",
    ],
  ])('rejects %j naming the key', (alerts, message) => {
    expect(() => rules(alerts)).toThrow(`Invalid config at ${message}`);
  });
});
