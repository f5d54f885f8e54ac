import { sharedCrdRegistry } from '../../__testUtils__/shared';
import { collectSchemaChecks } from '../crdRules';
import { compileRe2 } from '../re2';
import { RuleCompiler } from './RuleCompiler';
import { CrdRegistry } from '../CrdRegistry';

/*
 * Every CEL rule (and messageExpression) of every CRD version in the
 * upstream CRDs (found by scripts/lib/crds.sh) must compile with the shims,
 * and every OpenAPI pattern must translate to RE2-equivalent RegExp:
 * anything that does not would be a rule the validator cannot check.
 */

// Loading and compiling every CRD takes seconds on a loaded CI machine.
jest.setTimeout(120_000);

describe('every rule and pattern of the upstream CRDs', () => {
  let crds: Array<{ crd: any; origin: string }>;

  beforeAll(async () => {
    // Both Gateway API channels: the standard copies differ from the experimental ones.
    const experimental = await sharedCrdRegistry('experimental');
    const standard = await sharedCrdRegistry('standard');
    const all = [
      ...experimental.customResourceDefinitions(),
      ...standard.customResourceDefinitions(),
    ];
    const seen = new Set<string>();
    crds = all.filter(({ origin }) => !seen.has(origin) && seen.add(origin));
  });

  it('compiles every CEL rule', () => {
    const compiler = new RuleCompiler();
    let total = 0;
    const failures: string[] = [];
    for (const { crd, origin } of crds) {
      for (const version of crd.spec.versions) {
        const { rules } = collectSchemaChecks(version.schema.openAPIV3Schema);
        for (const { path, value } of rules) {
          total += 1;
          const compiled = compiler.compile(value);
          const errors = [
            compiled.expression.error,
            compiled.message?.error,
          ].filter(Boolean);
          if (errors.length > 0) {
            failures.push(
              `${origin} ${version.name} ${path}: ${errors.join('; ')} (${
                value.rule
              })`,
            );
          }
        }
      }
    }
    // eslint-disable-next-line no-console
    console.log(
      `CEL rules compiled: ${total - failures.length}/${total} across ${
        crds.length
      } CRD files`,
    );
    expect(total).toBeGreaterThan(1200);
    expect(failures).toEqual([]);
  });

  it('translates every OpenAPI pattern', () => {
    const failures: string[] = [];
    let total = 0;
    for (const { crd, origin } of crds) {
      for (const version of crd.spec.versions) {
        for (const { path, value } of collectSchemaChecks(
          version.schema.openAPIV3Schema,
        ).patterns) {
          total += 1;
          try {
            compileRe2(value);
          } catch (error) {
            failures.push(`${origin} ${path}: ${(error as Error).message}`);
          }
        }
      }
    }
    expect(total).toBeGreaterThan(1000);
    expect(failures).toEqual([]);
  });

  it('reports a rule calling an unknown function as uncompilable', () => {
    const compiled = new RuleCompiler().compile({
      rule: 'self.all(h, isCIDRish(h))',
    });
    expect(compiled.expression.program).toBeUndefined();
    expect(compiled.expression.error).toMatch(/isCIDRish/);
  });

  it('keeps one Gateway API channel per registry', async () => {
    const registry: CrdRegistry = await sharedCrdRegistry('standard');
    const entry = registry.get('gateway.networking.k8s.io/v1', 'HTTPRoute');
    expect(entry?.origin).toMatch(/standard/);
    expect(registry.notes.some(n => n.includes('httproutes'))).toBe(true);
  });
});
