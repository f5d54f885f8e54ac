import { sharedCrdRegistry } from '../__testUtils__/shared';
import type { CrdRegistry } from './CrdRegistry';
import { generateMutations } from './__testUtils__/apiServerOracle/mutations';
import {
  mutationBases,
  templateCases,
} from './__testUtils__/apiServerOracle/oracleCases';

/*
 * The mutation generator of the API server oracle (apiServerOracle.test.ts),
 * without a cluster: the same seed gives the same cases, every case changes
 * its base object, and the walk reaches each kind of constraint.
 */

jest.setTimeout(120_000);

describe('the oracle mutation generator', () => {
  let registry: CrdRegistry;
  let bases: ReturnType<typeof mutationBases>;

  beforeAll(async () => {
    registry = await sharedCrdRegistry();
    bases = mutationBases(templateCases('oracle').cases, registry);
  });

  const fingerprint = (seed: number) =>
    generateMutations(bases, seed).mutations.map(
      m => `${m.key} ${m.base.id} ${JSON.stringify(m.object)}`,
    );

  it('is deterministic for a seed; another seed picks other bases', () => {
    const first = fingerprint(7);
    expect(fingerprint(7)).toEqual(first);
    expect(fingerprint(8)).not.toEqual(first);
  });

  it('changes its base object in every case, once per kind, schema path and mutation', () => {
    const { mutations } = generateMutations(bases, 7);
    for (const m of mutations) {
      expect(JSON.stringify(m.object)).not.toEqual(
        JSON.stringify(m.base.object),
      );
    }
    expect(new Set(mutations.map(m => m.key)).size).toBe(mutations.length);
  });

  it('reaches every kind of constraint, in fields the templates leave out too', () => {
    const { mutations } = generateMutations(bases, 7);
    const kinds = new Set(mutations.map(m => m.kind));
    for (const kind of [
      'drop-required',
      'add-optional',
      'wrong-type',
      'not-in-enum',
      'other-enum',
      'break-pattern',
      'too-long',
      'too-short',
      'below-minimum',
      'above-maximum',
      'too-many-items',
      'duplicate-key',
      'metadata',
      'type',
      'data-key',
    ]) {
      expect(kinds).toContain(kind);
    }
    // HTTPRoute filters: no template writes them; the walk adds and breaks them.
    expect(
      mutations.some(
        m =>
          m.object.kind === 'HTTPRoute' &&
          /^spec\.rules\[\d+\]\.filters\[0\]\.\w+\./.test(m.path),
      ),
    ).toBe(true);
  });
});
