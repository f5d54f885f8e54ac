import fs from 'node:fs';
import { renderGatewayFinding } from '@internal/plugin-runner-common';
import { ClusterApi } from '../../kubernetes/ClusterApi';
import {
  adminKubeConfig,
  createTestNamespace,
  describeWithCluster,
} from '../../kubernetes/__testUtils__/testCluster';
import { sharedFixturesDir } from '../__testUtils__/shared';
import { CrdRegistry } from './CrdRegistry';
import { ObjectValidator } from './ObjectValidator';
import {
  agreementRows,
  agreementTable,
  agrees,
  askBoth,
  businessRuleDifferences,
  celRulesBroken,
  describeDisagreement,
  type Outcome,
} from './__testUtils__/apiServerOracle/agreement';
import { DryRunClient } from './__testUtils__/apiServerOracle/dryRunClient';
import { generateMutations } from './__testUtils__/apiServerOracle/mutations';
import {
  GROUPS,
  fixtureCases,
  mutationBases,
  mutationCase,
  templateCases,
} from './__testUtils__/apiServerOracle/oracleCases';

/*
 * The real kube-apiserver is the oracle of the validator's schema + CEL
 * layer: every upstream fixture, every template output over a table of
 * inputs, and the generated mutations of those it accepts are sent to it as
 * `dryRun=All` creates, and validated offline with the CRDs the same API
 * server serves. The two must agree on accept/refuse for every case.
 * expectations.json, when the fixtures come with it, is a cross-check of the
 * oracle, not the reference. The agreement table is printed at the end (it
 * goes into docs/gateway.md).
 */

const SEED = Number(process.env.RUNNER_ORACLE_SEED ?? 20261210);
const CONCURRENCY = 6;

jest.setTimeout(180_000);

describeWithCluster('the API server as the oracle of the validator', () => {
  let namespace: { name: string; remove: () => Promise<void> };
  let client: DryRunClient;
  let registry: CrdRegistry;
  let validator: ObjectValidator;
  const outcomes: Outcome[] = [];
  const report: string[] = [];
  let fixtureOutcomes: Outcome[] = [];

  const ask = async (cases: Parameters<typeof askBoth>[0]) => {
    const asked = await askBoth(cases, {
      client,
      registry,
      validator,
      namespace: namespace.name,
      concurrency: CONCURRENCY,
    });
    outcomes.push(...asked.outcomes);
    report.push(
      `${cases.length} cases asked in ${(asked.wallMs / 1000).toFixed(
        1,
      )} s, of which the validator took ${(asked.validatorMs / 1000).toFixed(
        1,
      )} s`,
    );
    return asked.outcomes;
  };

  beforeAll(async () => {
    namespace = await createTestNamespace('oracle');
    const kubeConfig = adminKubeConfig();
    client = await DryRunClient.fromKubeConfig(kubeConfig, CONCURRENCY);
    const api = new ClusterApi(kubeConfig, {
      url: kubeConfig.getCurrentCluster()!.server,
      timeoutMs: 30_000,
    });
    // The CRDs this API server serves, read as the plugin reads a cluster's.
    registry = CrdRegistry.fromCustomResourceDefinitions(
      await api.customResourceDefinitions(),
      { gatewayApiChannel: 'experimental' },
    );
    validator = new ObjectValidator(registry);
  });

  afterAll(async () => {
    client?.close();
    await namespace?.remove();
    // Every case with both answers, one JSON line each, for looking into a run.
    if (process.env.RUNNER_ORACLE_DUMP) {
      fs.writeFileSync(
        process.env.RUNNER_ORACLE_DUMP,
        outcomes
          .map(o =>
            JSON.stringify({
              id: o.case.id,
              path: o.case.mutation?.path,
              server: o.server,
              validator: o.validatorErrors.map(renderGatewayFinding),
              unverified: o.unverified,
              rules: o.ruleFindings.map(renderGatewayFinding),
              object: o.case.object,
            }),
          )
          .join('\n'),
      );
    }
    const disagreements = outcomes.filter(o => !agrees(o));
    // eslint-disable-next-line no-console
    console.log(
      [
        `API server oracle (seed ${SEED}): ${outcomes.length} cases, ${
          outcomes.length - disagreements.length
        } agreements`,
        '',
        ...agreementTable(agreementRows(outcomes)),
        '',
        ...report,
        '',
        'CEL rules (fixed messages) the API server reported broken at least once:',
        ...celRulesBroken(outcomes, registry).map(
          r =>
            `  ${r.kind}: ${r.broken} of ${r.rules}${
              process.env.RUNNER_ORACLE_VERBOSE
                ? r.missed.map(m => `\n    not broken: ${m}`).join('')
                : ''
            }`,
        ),
        '',
        'Business-rule errors on objects the API server (and the schema + CEL layer) accepted:',
        ...businessRuleDifferences(outcomes, 'error').map(l => `  ${l}`),
        'Business-rule warnings on them:',
        ...businessRuleDifferences(outcomes, 'warning').map(l => `  ${l}`),
        ...(disagreements.length > 0
          ? ['', 'Disagreements:', ...disagreements.map(describeDisagreement)]
          : []),
      ].join('\n'),
    );
  });

  let bases: Outcome[] = [];

  it('agrees on every upstream fixture and every template output', async () => {
    const fixtures = fixtureCases(
      sharedFixturesDir(),
      registry,
      namespace.name,
    );
    const templates = templateCases(namespace.name);
    expect(fixtures.length).toBeGreaterThan(60);
    expect(templates.cases.length).toBeGreaterThan(100);
    report.push(
      `Template rows the input schema refused (not built): ${
        templates.refusedInputs.length === 0
          ? 'none'
          : templates.refusedInputs.join(' | ')
      }`,
    );
    const answers = await ask([...fixtures, ...templates.cases]);
    fixtureOutcomes = answers.filter(o => o.case.group !== GROUPS.template);
    bases = answers.filter(o => o.server.accepted);
    expect(answers.filter(o => !agrees(o)).map(describeDisagreement)).toEqual(
      [],
    );
  });

  it('agrees on every generated mutation of the accepted ones', async () => {
    expect(bases.length).toBeGreaterThan(50);
    const tGenerate = performance.now();
    const generated = generateMutations(
      mutationBases(
        bases.map(o => o.case),
        registry,
      ),
      SEED,
    );
    report.push(
      `Mutations: ${
        generated.mutations.length
      } distinct (kind, schema path, mutation) of ${
        generated.candidates
      } candidates, from ${bases.length} accepted objects, generated in ${(
        (performance.now() - tGenerate) /
        1000
      ).toFixed(1)} s`,
    );
    const answers = await ask(generated.mutations.map(mutationCase));
    expect(answers.filter(o => !o.server.accepted).length).toBeGreaterThan(
      answers.length / 3,
    );
    expect(answers.filter(o => !agrees(o)).map(describeDisagreement)).toEqual(
      [],
    );
  });

  it("matches expectations.json, when the fixtures come with it, on upstream's Go-client cases", () => {
    const rows = fixtureOutcomes.filter(o => o.case.expectation);
    report.push(
      rows.length === 0
        ? 'expectations.json: not present beside the fixtures; nothing to cross-check'
        : `expectations.json: ${rows.length} rows cross-checked against the API server`,
    );
    const differing = rows
      .filter(o => o.case.expectation!.valid !== o.server.accepted)
      .map(o => `${o.case.id}: ${describeDisagreement(o)}`);
    expect(differing).toEqual([]);
  });
});
