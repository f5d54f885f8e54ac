import { ConfigReader, readDurationFromConfig } from '@backstage/config';
import type { Config } from '@backstage/config';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  durationToMilliseconds,
  type JsonObject,
  type JsonValue,
} from '@backstage/types';
import {
  ALERT_RULE_KINDS,
  ALERT_SEVERITIES,
  type AlertRule,
  type AlertRuleKind,
  type AlertSeverity,
} from '@internal/plugin-runner-common';

/** The effective rules of one entity, every kind present (disabled ones too). */
export type EntityAlertRules = Record<AlertRuleKind, AlertRule>;

/** What one config block may set for one rule kind. */
interface RuleLayer {
  enabled?: boolean;
  severity?: AlertSeverity;
  threshold?: number;
  durationMs?: number;
  clearDurationMs?: number;
  clearRatio?: number;
  windowMs?: number;
}

const MINUTE = 60_000;

/**
 * Built-in defaults. `clearDurationMs` left out means "the rule's duration"
 * (restarts: its window), so that overriding `duration` moves both.
 */
export const DEFAULT_ALERT_RULES: Record<AlertRuleKind, RuleLayer> = {
  cpu: {
    enabled: true,
    severity: 'high',
    threshold: 0.9,
    durationMs: 5 * MINUTE,
    clearRatio: 0.9,
  },
  memory: {
    enabled: true,
    severity: 'high',
    threshold: 0.9,
    durationMs: 5 * MINUTE,
    clearRatio: 0.9,
  },
  restarts: {
    enabled: true,
    severity: 'high',
    threshold: 3,
    windowMs: 10 * MINUTE,
    durationMs: 0,
  },
  unhealthy: { enabled: true, severity: 'high', durationMs: MINUTE },
  oom: { enabled: true, severity: 'critical', clearDurationMs: 10 * MINUTE },
  // Like an OOM kill: fixed once the instance has run a while again.
  crash: { enabled: true, severity: 'high', clearDurationMs: 10 * MINUTE },
  'build-failure': { enabled: true, severity: 'high', clearDurationMs: 0 },
  'gateway-not-accepted': {
    enabled: true,
    severity: 'medium',
    durationMs: 2 * MINUTE,
  },
};

// The keys each kind accepts; anything else is a typo and fails start-up.
const COMMON_KEYS = ['enabled', 'severity', 'clearDuration'];
const KEYS: Record<AlertRuleKind, string[]> = {
  cpu: [...COMMON_KEYS, 'threshold', 'duration', 'clearRatio'],
  memory: [...COMMON_KEYS, 'threshold', 'duration', 'clearRatio'],
  restarts: [...COMMON_KEYS, 'threshold', 'window', 'duration'],
  unhealthy: [...COMMON_KEYS, 'duration'],
  // Events fire when they happen: a duration would mean nothing.
  oom: COMMON_KEYS,
  crash: COMMON_KEYS,
  'build-failure': COMMON_KEYS,
  'gateway-not-accepted': [...COMMON_KEYS, 'duration'],
};

function isMap(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(key: string, problem: string): InputError {
  return new InputError(`Invalid config at '${key}': ${problem}`);
}

function readDuration(raw: JsonValue | undefined, key: string): number {
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw) || raw < 0) {
      throw invalid(key, `${raw} is not a number of milliseconds ≥ 0`);
    }
    return raw;
  }
  try {
    return durationToMilliseconds(
      readDurationFromConfig(new ConfigReader({ d: raw }), { key: 'd' }),
    );
  } catch {
    throw invalid(
      key,
      `'${String(
        raw,
      )}' is not a duration; use milliseconds (300000), '5m', '0s' or ISO 8601 ('PT5M')`,
    );
  }
}

function readThreshold(kind: AlertRuleKind, raw: unknown, key: string): number {
  const value =
    typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (kind === 'restarts') {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw invalid(key, `'${String(raw)}' is not a whole number ≥ 1`);
    }
    return value;
  }
  if (typeof value !== 'number' || !(value > 0 && value <= 1)) {
    throw invalid(
      key,
      `'${String(
        raw,
      )}' is not a ratio of the limit above 0 and at most 1, e.g. 0.9 for 90%`,
    );
  }
  return value;
}

function readLayer(kind: AlertRuleKind, raw: unknown, key: string): RuleLayer {
  if (!isMap(raw)) {
    throw invalid(key, `expected a map with ${KEYS[kind].join(', ')}`);
  }
  const layer: RuleLayer = {};
  for (const [field, value] of Object.entries(raw)) {
    const fieldKey = `${key}.${field}`;
    if (!KEYS[kind].includes(field)) {
      throw invalid(
        fieldKey,
        `unknown key for the ${kind} rule; use one of ${KEYS[kind].join(', ')}`,
      );
    }
    switch (field) {
      case 'enabled':
        if (typeof value !== 'boolean') {
          throw invalid(fieldKey, 'expected true or false');
        }
        layer.enabled = value;
        break;
      case 'severity':
        if (!ALERT_SEVERITIES.includes(value as AlertSeverity)) {
          throw invalid(
            fieldKey,
            `'${String(value)}'; use ${ALERT_SEVERITIES.join(', ')}`,
          );
        }
        layer.severity = value as AlertSeverity;
        break;
      case 'threshold':
        layer.threshold = readThreshold(kind, value, fieldKey);
        break;
      case 'clearRatio':
        if (typeof value !== 'number' || !(value > 0 && value <= 1)) {
          throw invalid(
            fieldKey,
            `'${String(
              value,
            )}' is not a ratio above 0 and at most 1; the alert resolves below threshold × clearRatio`,
          );
        }
        layer.clearRatio = value;
        break;
      case 'window':
        layer.windowMs = readDuration(value, fieldKey);
        if (layer.windowMs === 0) {
          throw invalid(fieldKey, 'the window must be longer than zero');
        }
        break;
      case 'duration':
        layer.durationMs = readDuration(value, fieldKey);
        break;
      default:
        layer.clearDurationMs = readDuration(value, fieldKey);
    }
  }
  return layer;
}

function readRulesBlock(
  raw: unknown,
  key: string,
): Partial<Record<AlertRuleKind, RuleLayer>> {
  if (raw === undefined) return {};
  if (!isMap(raw)) {
    throw invalid(key, `expected a map of rule kind to settings`);
  }
  const block: Partial<Record<AlertRuleKind, RuleLayer>> = {};
  for (const [kind, value] of Object.entries(raw)) {
    if (!ALERT_RULE_KINDS.includes(kind as AlertRuleKind)) {
      throw invalid(
        `${key}.${kind}`,
        `unknown rule kind; use one of ${ALERT_RULE_KINDS.join(', ')}`,
      );
    }
    block[kind as AlertRuleKind] = readLayer(
      kind as AlertRuleKind,
      value,
      `${key}.${kind}`,
    );
  }
  return block;
}

const NAME_PATTERN = /^([A-Za-z0-9]+[-_.])*[A-Za-z0-9]+$/;

interface ComponentBlock {
  selector: { type: 'name'; name: string } | { type: 'ref'; ref: string };
  rules: Partial<Record<AlertRuleKind, RuleLayer>>;
}

function readComponentBlock(key: string, raw: unknown): ComponentBlock {
  const prefix = `runner.alerts.components.${key}`;
  let selector: ComponentBlock['selector'];
  if (key.includes(':')) {
    try {
      // Only full refs: a partial one would depend on a default kind.
      const ref = parseEntityRef(key);
      if (!key.includes('/')) throw new Error('no namespace');
      selector = { type: 'ref', ref: stringifyEntityRef(ref) };
    } catch {
      throw invalid(
        prefix,
        `'${key}' is not a full entity ref such as component:default/hello-http`,
      );
    }
  } else if (NAME_PATTERN.test(key) && key.length <= 63) {
    selector = { type: 'name', name: key.toLocaleLowerCase('en-US') };
  } else {
    throw invalid(
      prefix,
      `'${key}' is neither an entity name (hello-http) nor a full entity ref (component:default/hello-http)`,
    );
  }
  if (!isMap(raw)) {
    throw invalid(prefix, 'expected a map with rules');
  }
  for (const section of Object.keys(raw)) {
    if (section !== 'rules') {
      throw invalid(`${prefix}.${section}`, 'unknown key; use rules');
    }
  }
  return { selector, rules: readRulesBlock(raw.rules, `${prefix}.rules`) };
}

function finish(kind: AlertRuleKind, layers: RuleLayer[]): AlertRule {
  const merged: RuleLayer = Object.assign({}, ...layers);
  const durationMs = merged.durationMs ?? 0;
  const rule: AlertRule = {
    kind,
    enabled: merged.enabled ?? true,
    severity: merged.severity ?? 'medium',
    threshold: merged.threshold ?? 1,
    durationMs,
    clearDurationMs:
      merged.clearDurationMs ??
      (kind === 'restarts' ? merged.windowMs ?? 0 : durationMs),
  };
  if (merged.clearRatio !== undefined) rule.clearRatio = merged.clearRatio;
  if (merged.windowMs !== undefined) rule.windowMs = merged.windowMs;
  return rule;
}

/**
 * Alert rules from `runner.alerts`: built-in defaults, then
 * `runner.alerts.rules`, then `runner.alerts.components.<name>.rules`, then
 * `runner.alerts.components.<ref>.rules`, merged field by field.
 *
 * The per-component block is not under `runner.components.<name>`: that
 * block is validated (unknown keys rejected) by the component overrides, and
 * alert rules are not container settings.
 */
export class AlertRuleSet {
  private readonly cache = new Map<string, EntityAlertRules>();

  constructor(
    private readonly base: Partial<Record<AlertRuleKind, RuleLayer>>,
    private readonly components: ComponentBlock[],
  ) {}

  /** The effective rules of an entity, e.g. `component:default/hello-http`. */
  forEntity(entityRef: string): EntityAlertRules {
    const ref = normalizeEntityRef(entityRef);
    const cached = this.cache.get(ref);
    if (cached) return cached;
    const name = parseEntityRef(ref).name;
    const byName = this.components.filter(
      c => c.selector.type === 'name' && c.selector.name === name,
    );
    const byRef = this.components.filter(
      c => c.selector.type === 'ref' && c.selector.ref === ref,
    );
    const rules = Object.fromEntries(
      ALERT_RULE_KINDS.map(kind => [
        kind,
        finish(kind, [
          DEFAULT_ALERT_RULES[kind],
          this.base[kind] ?? {},
          ...[...byName, ...byRef].map(c => c.rules[kind] ?? {}),
        ]),
      ]),
    ) as EntityAlertRules;
    this.cache.set(ref, rules);
    return rules;
  }
}

/** `Component:Default/Hello` → `component:default/hello`, the form alerts are stored under. */
export function normalizeEntityRef(entityRef: string): string {
  return stringifyEntityRef(parseEntityRef(entityRef));
}

/** Reads and validates `runner.alerts` at start-up; every error names its key. */
export function readAlertRules(config: Config): AlertRuleSet {
  const raw = config.getOptional('runner.alerts');
  if (raw === undefined) return new AlertRuleSet({}, []);
  if (!isMap(raw)) {
    throw invalid('runner.alerts', 'expected a map with rules and components');
  }
  for (const key of Object.keys(raw)) {
    if (key !== 'rules' && key !== 'components') {
      throw invalid(
        `runner.alerts.${key}`,
        'unknown key; use rules or components',
      );
    }
  }
  const base = readRulesBlock(raw.rules, 'runner.alerts.rules');
  const components: ComponentBlock[] = [];
  if (raw.components !== undefined) {
    if (!isMap(raw.components)) {
      throw invalid(
        'runner.alerts.components',
        'expected a map of entity name or ref to { rules }',
      );
    }
    const seen = new Map<string, string>();
    for (const [key, value] of Object.entries(raw.components)) {
      const block = readComponentBlock(key, value);
      const id =
        block.selector.type === 'ref'
          ? block.selector.ref
          : `name:${block.selector.name}`;
      const other = seen.get(id);
      if (other !== undefined) {
        throw invalid(
          `runner.alerts.components.${key}`,
          `it names the same entity as 'runner.alerts.components.${other}' (names and refs are case-insensitive); merge the two`,
        );
      }
      seen.set(id, key);
      components.push(block);
    }
  }
  return new AlertRuleSet(base, components);
}
