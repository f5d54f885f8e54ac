import { sharedCrdRegistry } from '../__testUtils__/shared';
import { ObjectValidator } from './ObjectValidator';
import { compileRe2 } from './re2';

/*
 * Every regular expression the upstream CRDs apply to user input, on a
 * crafted 100 KB value: OpenAPI `pattern`s and the literal patterns of CEL
 * `matches()`. A backtracking engine takes minutes on some of them (see
 * re2.test.ts); RE2 semantics must answer each within 100 ms.
 *
 * Measured as this process's CPU time (process.cpuUsage), the cost of the
 * match itself: the machines these tests run on are shared, and wall time
 * there says more about the neighbours than about the pattern.
 */

jest.setTimeout(120_000);

const SIZE = 100 * 1024;
const BUDGET_MS = 100;

/** Where a pattern was found, for the failure message. */
type Found = Map<string, string>;

function walk(node: unknown, where: string, found: Found) {
  if (Array.isArray(node)) {
    node.forEach((item, i) => walk(item, `${where}[${i}]`, found));
    return;
  }
  if (!node || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'pattern' && typeof value === 'string') {
      if (!found.has(value)) found.set(value, where);
    } else if (key === 'x-kubernetes-validations' && Array.isArray(value)) {
      for (const { rule } of value as Array<{ rule?: string }>) {
        // matches() with a literal (CEL quotes: '', "", triple, r-raw) is
        // compiled by compileRe2 when the rule is.
        for (const m of String(rule ?? '').matchAll(
          /matches\(\s*(r?)("""|'''|"|')([\s\S]*?)\2\s*\)/g,
        )) {
          const [, raw, , body] = m;
          const literal = raw
            ? body
            : body.replace(
                /\\(.)/g,
                (_: string, c: string) =>
                  (({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[
                    c
                  ] ?? c),
              );
          if (!found.has(literal)) found.set(literal, `${where} CEL`);
        }
      }
    } else {
      walk(value, `${where}.${key}`, found);
    }
  }
}

/**
 * Values built to make a backtracking engine explore every split: long runs
 * of what a pattern's repeated classes accept (letters, digits, label
 * separators, path and header characters), ending in a character that fails
 * the match at the very end.
 */
function craftedValues(): string[] {
  const seeds = [
    'a',
    '0',
    'a.',
    'a-',
    'a-a.',
    '/a',
    'a ',
    'a:',
    'Aa',
    '!',
    'a\t',
  ];
  const endings = ['\n', '-'];
  const values: string[] = [];
  for (const seed of seeds) {
    for (const end of endings) {
      const body = seed.repeat(Math.ceil(SIZE / seed.length));
      values.push(body.slice(0, SIZE - end.length) + end);
    }
  }
  return values;
}

/** CPU time (user + system) of `work`, in ms. */
function cpuMs(work: () => void): number {
  const started = process.cpuUsage();
  work();
  const { user, system } = process.cpuUsage(started);
  return (user + system) / 1000;
}

async function allPatterns(): Promise<Found> {
  const found: Found = new Map();
  for (const channel of ['standard', 'experimental'] as const) {
    const registry = await sharedCrdRegistry(channel);
    for (const { crd } of registry.customResourceDefinitions()) {
      for (const version of crd.spec?.versions ?? []) {
        walk(
          version.schema?.openAPIV3Schema,
          `${crd.metadata.name} ${version.name}`,
          found,
        );
      }
    }
  }
  return found;
}

describe('every CRD pattern on a crafted 100 KB value', () => {
  it('answers within 100 ms, pattern by pattern', async () => {
    const patterns = await allPatterns();
    // The CRDs hold dozens of patterns; finding few means the walk broke.
    expect(patterns.size).toBeGreaterThan(30);
    const values = craftedValues();
    const slow: string[] = [];
    let worst = { ms: 0, pattern: '' };
    for (const [pattern, where] of patterns) {
      const re = compileRe2(pattern);
      for (const value of values) {
        const ms = cpuMs(() => re.test(value));
        if (ms > worst.ms) worst = { ms, pattern };
        if (ms >= BUDGET_MS) {
          slow.push(`${where}: ${pattern} took ${ms.toFixed(1)} ms`);
        }
      }
    }
    const cel = [...patterns.values()].filter(w => w.endsWith(' CEL')).length;
    console.log(
      `${
        patterns.size - cel
      } OpenAPI patterns and ${cel} CEL matches() literals × ${
        values.length
      } values of ${SIZE} bytes; slowest ${worst.ms.toFixed(1)} ms CPU (${
        worst.pattern
      })`,
    );
    expect(slow).toEqual([]);
  });

  it('keeps a whole object with a 100 KB header value under 100 ms through the validator', async () => {
    // HTTPRoute's header value pattern: minutes in a backtracking engine.
    const validator = new ObjectValidator(await sharedCrdRegistry());
    const value = `${'a'.repeat(SIZE - 1)}\n`;
    const object = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'web', namespace: 'team-a' },
      spec: {
        parentRefs: [{ name: 'gw' }],
        rules: [{ matches: [{ headers: [{ name: 'x-env', value }] }] }],
      },
    };
    validator.validate(object); // compiles the schema once
    let findings: ReturnType<ObjectValidator['validate']> = [];
    const ms = cpuMs(() => {
      findings = validator.validate(object);
    });
    expect(ms).toBeLessThan(BUDGET_MS);
    expect(findings.map(f => f.path)).toContain(
      'spec.rules[0].matches[0].headers[0].value',
    );
  });
});
