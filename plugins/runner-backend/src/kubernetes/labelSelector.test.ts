import {
  LabelSelectorError,
  equalityLabels,
  matchesLabels,
  parseLabelSelector,
} from './labelSelector';

const labels = {
  'runner.backstage.io/managed-by': 'backstage-runner',
  tier: 'backend',
  env: 'prod',
};

describe('label selectors', () => {
  it.each([
    ['', true],
    ['tier=backend', true],
    ['tier==backend', true],
    ['tier!=backend', false],
    ['tier=frontend', false],
    ['env in (prod, staging)', true],
    ['env in (dev,staging)', false],
    ['env notin (dev,staging)', true],
    ['env notin (prod)', false],
    ['tier', true],
    ['!tier', false],
    ['missing', false],
    ['!missing', true],
    ['missing!=x', true],
    ['missing in (x)', false],
    [
      'runner.backstage.io/managed-by=backstage-runner,env in (prod,qa),tier',
      true,
    ],
    ['runner.backstage.io/managed-by=backstage-runner,env in (qa)', false],
  ])('%p matches: %p', (selector, expected) => {
    expect(matchesLabels(parseLabelSelector(selector), labels)).toBe(expected);
  });

  it('treats absent labels as empty', () => {
    expect(matchesLabels(parseLabelSelector('!a'), undefined)).toBe(true);
    expect(matchesLabels(parseLabelSelector('a=b'), undefined)).toBe(false);
  });

  it.each(['a in ()', 'a=b c', 'bad key!=x', 'a=-x-'])(
    'refuses %p like the API server',
    selector => {
      expect(() => parseLabelSelector(selector)).toThrow(LabelSelectorError);
      expect(() => parseLabelSelector(selector)).toThrow(
        /unable to parse requirement/,
      );
    },
  );

  it('extracts equality requirements', () => {
    expect(
      equalityLabels(parseLabelSelector('a=b,c in (d),e in (f,g),h!=i')),
    ).toEqual({ a: 'b', c: 'd' });
  });
});
