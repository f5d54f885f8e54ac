import {
  renderGatewayFinding,
  type GatewayFinding,
} from '@internal/plugin-runner-common';
import type { CrdRegistry } from '../../CrdRegistry';
import { collectSchemaChecks } from '../../crdRules';
import type { ObjectValidator } from '../../ObjectValidator';
import { runBusinessRules } from '../../rules';
import type { DryRunAnswer, DryRunClient } from './dryRunClient';
import type { OracleCase } from './oracleCases';

/*
 * Asks the API server (dry-run create) and the validator's schema + CEL
 * layer about each case, and tabulates where they agree on accept/refuse.
 * Business rules are run beside, on the case's bundle, and reported apart:
 * they may refuse what the API server accepts, by design.
 */

export interface Outcome {
  case: OracleCase;
  server: DryRunAnswer;
  /** Error findings of the schema + CEL layer (ObjectValidator). */
  validatorErrors: GatewayFinding[];
  /** Why the validator could not check the object, when it could not (no verdict). */
  unverified: string[];
  /** Findings of the business rules, over the case's bundle (errors and warnings). */
  ruleFindings: GatewayFinding[];
}

/** The validator's verdict: refused (errors), accepted, or none (unverified). */
export function verdictOf(o: Outcome): 'accepted' | 'refused' | 'unverified' {
  if (o.validatorErrors.length > 0) return 'refused';
  return o.unverified.length > 0 ? 'unverified' : 'accepted';
}

export const agrees = (o: Outcome) =>
  verdictOf(o) === (o.server.accepted ? 'accepted' : 'refused');

function resourceOf(registry: CrdRegistry, object: Record<string, unknown>) {
  const apiVersion = String(object.apiVersion);
  if (apiVersion === 'v1' && object.kind === 'Secret') {
    return { apiVersion, plural: 'secrets' };
  }
  const entry = registry.get(apiVersion, String(object.kind));
  if (!entry) throw new Error(`no CRD serves ${apiVersion} ${object.kind}`);
  return { apiVersion, plural: entry.plural };
}

const errorsOf = (findings: GatewayFinding[]) =>
  findings.filter(f => f.severity === 'error');

export async function askBoth(
  cases: OracleCase[],
  deps: {
    client: DryRunClient;
    registry: CrdRegistry;
    validator: ObjectValidator;
    namespace: string;
    concurrency: number;
  },
): Promise<{ outcomes: Outcome[]; validatorMs: number; wallMs: number }> {
  const outcomes: Outcome[] = new Array(cases.length);
  let validatorMs = 0;
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < cases.length; i = next++) {
      const c = cases[i];
      const answer = deps.client.create(
        resourceOf(deps.registry, c.object),
        deps.namespace,
        c.object,
      );
      // The validator runs while the API server answers.
      const t0 = performance.now();
      const unverified: string[] = [];
      const validatorErrors = errorsOf(
        deps.validator.validate(c.object, {
          onUnverified: reason => unverified.push(reason),
        }),
      );
      validatorMs += performance.now() - t0;
      const ruleFindings = c.bundle
        ? runBusinessRules(c.bundle.objects, {
            entityRef: c.bundle.entityRef,
            bundle: c.bundle.name,
          })
        : runBusinessRules([c.object]);
      const server = await answer;
      if (
        server.status >= 500 ||
        server.status === 409 ||
        server.status < 200
      ) {
        throw new Error(
          `${c.id}: the API server answered ${server.status} ${server.reason}: ${server.message}`,
        );
      }
      outcomes[i] = {
        case: c,
        server,
        validatorErrors,
        unverified,
        ruleFindings,
      };
    }
  };
  await Promise.all(Array.from({ length: deps.concurrency }, worker));
  return {
    outcomes,
    validatorMs,
    wallMs: performance.now() - started,
  };
}

const short = (text: string, max = 400) =>
  text.length > max ? `${text.slice(0, max)}…` : text;

/** One line per disagreement: the case, what the API server said, what the validator said. */
export function describeDisagreement(o: Outcome): string {
  const server = o.server.accepted
    ? 'API server accepted'
    : `API server refused (${o.server.status} ${o.server.reason}): ${short(
        o.server.message,
      )}`;
  const verdict = verdictOf(o);
  const validator =
    verdict === 'refused'
      ? `validator refused: ${short(
          o.validatorErrors.map(renderGatewayFinding).join('; '),
        )}`
      : `validator ${verdict}${
          verdict === 'unverified' ? `: ${o.unverified.join('; ')}` : ''
        }`;
  const at = o.case.mutation ? ` at ${o.case.mutation.path}` : '';
  return `${o.case.id}${at}\n    ${server}\n    ${validator}`;
}

export interface AgreementRow {
  group: string;
  cases: number;
  agreements: number;
  serverAcceptsValidatorRefuses: number;
  serverRefusesValidatorAccepts: number;
  unverified: number;
  serverRefused: number;
}

export function agreementRows(outcomes: Outcome[]): AgreementRow[] {
  const rows = new Map<string, AgreementRow>();
  for (const o of outcomes) {
    const row = rows.get(o.case.group) ?? {
      group: o.case.group,
      cases: 0,
      agreements: 0,
      serverAcceptsValidatorRefuses: 0,
      serverRefusesValidatorAccepts: 0,
      unverified: 0,
      serverRefused: 0,
    };
    rows.set(o.case.group, row);
    row.cases++;
    if (!o.server.accepted) row.serverRefused++;
    if (agrees(o)) row.agreements++;
    else if (verdictOf(o) === 'unverified') row.unverified++;
    else if (o.server.accepted) row.serverAcceptsValidatorRefuses++;
    else row.serverRefusesValidatorAccepts++;
  }
  return [...rows.values()];
}

export function agreementTable(rows: AgreementRow[]): string[] {
  const total = rows.reduce(
    (sum, r) => ({
      ...sum,
      cases: sum.cases + r.cases,
      agreements: sum.agreements + r.agreements,
      serverAcceptsValidatorRefuses:
        sum.serverAcceptsValidatorRefuses + r.serverAcceptsValidatorRefuses,
      serverRefusesValidatorAccepts:
        sum.serverRefusesValidatorAccepts + r.serverRefusesValidatorAccepts,
      unverified: sum.unverified + r.unverified,
      serverRefused: sum.serverRefused + r.serverRefused,
    }),
    {
      group: '**total**',
      cases: 0,
      agreements: 0,
      serverAcceptsValidatorRefuses: 0,
      serverRefusesValidatorAccepts: 0,
      unverified: 0,
      serverRefused: 0,
    },
  );
  return [
    '| cases | count | refused by the API server | agreements | API server accepts, validator refuses | API server refuses, validator accepts | validator unverified |',
    '|---|---|---|---|---|---|---|',
    ...[...rows, total].map(
      r =>
        `| ${r.group} | ${r.cases} | ${r.serverRefused} | ${r.agreements} | ${r.serverAcceptsValidatorRefuses} | ${r.serverRefusesValidatorAccepts} | ${r.unverified} |`,
    ),
  ];
}

/**
 * Business-rule findings on objects the API server (and the schema + CEL
 * layer) accepted, of `severity`, grouped by rule and path.
 */
export function businessRuleDifferences(
  outcomes: Outcome[],
  severity: 'error' | 'warning',
): string[] {
  const counts = new Map<string, number>();
  for (const o of outcomes) {
    if (!o.server.accepted || !agrees(o)) continue;
    const own = o.ruleFindings.filter(
      f =>
        f.severity === severity &&
        (!f.object ||
          (f.object.kind === o.case.object.kind &&
            f.object.name === (o.case.object.metadata as any)?.name)),
    );
    for (const f of own) {
      const path = f.path.replace(/\[\d+\]/g, '[*]');
      const message = f.message
        .replace(/"[^"]*"/g, '"…"')
        .replace(
          /\b(AIServiceBackend|BackendSecurityPolicy|Secret) [a-z0-9.-]+/g,
          '$1 …',
        )
        .slice(0, 140);
      const key = `${f.object?.kind ?? ''} ${path}: ${message}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([key, count]) => `${count} × ${key}`);
}

/**
 * CEL rules (with a fixed message) of the kinds the cases cover that the API
 * server reported broken at least once: how much of the CEL the cases reach.
 */
export function celRulesBroken(
  outcomes: Outcome[],
  registry: CrdRegistry,
): { kind: string; broken: number; rules: number; missed: string[] }[] {
  const refusals = new Map<string, string[]>();
  for (const o of outcomes) {
    const kind = String(o.case.object.kind);
    if (!refusals.has(kind)) refusals.set(kind, []);
    if (!o.server.accepted) refusals.get(kind)!.push(o.server.message);
  }
  const rows = [];
  for (const [kind, messages] of refusals) {
    const apiVersion = outcomes.find(o => o.case.object.kind === kind)!.case
      .object.apiVersion as string;
    const entry = registry.get(apiVersion, kind);
    if (!entry) continue;
    const texts = new Map<string, string>();
    for (const { path, value } of collectSchemaChecks(entry.schema).rules) {
      if (value.messageExpression) continue;
      const text = value.message?.trim() || `failed rule: ${value.rule.trim()}`;
      texts.set(text, `${path}: ${text}`);
    }
    const missed = [...texts.keys()].filter(
      text => !messages.some(m => m.includes(text)),
    );
    rows.push({
      kind,
      broken: texts.size - missed.length,
      rules: texts.size,
      missed: missed.map(t => texts.get(t)!),
    });
  }
  return rows;
}
