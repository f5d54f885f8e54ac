import { sharedCrdRegistry } from '../__testUtils__/shared';
import { CelValidator } from './cel/CelValidator';
import type { CrdRegistry } from './CrdRegistry';
import { ObjectValidator } from './ObjectValidator';
import { OpenApiValidator } from './openApiValidator';

/*
 * What the validator does with objects made to be expensive, and when it
 * says that it did not check an object: each case with the real upstream
 * CRDs, timed.
 */

jest.setTimeout(120_000);

let registry: CrdRegistry;
beforeAll(async () => {
  registry = await sharedCrdRegistry();
});

function route(rules: unknown[]) {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'web', namespace: 'team-a' },
    spec: { parentRefs: [{ name: 'gw' }], rules },
  };
}

describe('ObjectValidator on expensive objects', () => {
  it('does not run the CEL rules of a list past its maxItems, as the API server does not', () => {
    // HTTPRoute's rules carry pairwise CEL rules (unique names): O(n²) on 20,000 rules.
    const rules = Array.from({ length: 20_000 }, (_, i) => ({ name: `r${i}` }));
    const started = Date.now();
    const findings = new ObjectValidator(registry).validate(route(rules));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(findings.map(f => `${f.path}: ${f.message}`)).toEqual(
      expect.arrayContaining([
        'spec.rules: Too many: 20000: must have at most 16 items',
        ': Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
      ]),
    );
  });

  it('stops the CEL rules at their time budget and says the object is not verified', () => {
    const unverified: string[] = [];
    const validator = new ObjectValidator(registry, {
      cel: {
        validate: (schema, object, options) =>
          new CelValidator().validate(schema, object, {
            ...options,
            budgetMs: -1,
          }),
      } as CelValidator,
    });
    const findings = validator.validate(route([{ name: 'a' }]), {
      onUnverified: reason => unverified.push(reason),
    });
    expect(findings).toEqual([
      expect.objectContaining({
        severity: 'warning',
        source: 'cel',
        message: expect.stringMatching(
          /^Not checked: its CEL rules took longer than -1 ms/,
        ),
      }),
    ]);
    expect(unverified).toEqual([
      'its CEL rules took longer than -1 ms and were not all checked',
    ]);
  });

  it('says an object is not verified when its schema cannot be compiled or no CRD is loaded', () => {
    const unverified: string[] = [];
    const onUnverified = (reason: string) => unverified.push(reason);
    const findings = new OpenApiValidator().validate(
      { type: 'object', required: 'name' },
      {},
      onUnverified,
    );
    expect(findings).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringMatching(
          /^Not checked: its CRD schema could not be compiled \(.+\); the API server's dry run checks it on apply$/,
        ),
      }),
    ]);
    new ObjectValidator(undefined).validate(route([]), { onUnverified });
    expect(unverified).toEqual([
      expect.stringMatching(/^its CRD schema could not be compiled/),
      'no CRD for HTTPRoute gateway.networking.k8s.io/v1 is loaded',
    ]);
  });
});
