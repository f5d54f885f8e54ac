import { compileRe2, re2Test, Re2TranslationError } from './re2';

describe('RE2 patterns', () => {
  it.each([
    ['^(?i)abc$', 'ABC', true],
    ['^abc\\z', 'abc', true],
    ['^abc\\z', 'abc\n', false],
    ['^(?P<n>a+)$', 'aaa', true],
    ['^\\Qa.b\\E$', 'a.b', true],
    ['^\\Qa.b\\E$', 'axb', false],
    ['^[[:alpha:]]+$', 'abcXYZ', true],
    ['^[[:alpha:]]+$', 'abc1', false],
    ['^a{$', 'a{', true],
    ["^[A-Za-z0-9!#$%&'*+\\-.^_\\x60|~]+$", 'x-ai-eg-model', true],
    ['^\\s$', '\u00a0', false],
    ['b', 'abc', true],
  ])('%s on %j is %s', (pattern, value, expected) => {
    expect(re2Test(pattern, value)).toBe(expected);
  });

  it.each([['(?=a)'], ['(a)\\1'], ['a(?i)b'], ['\\pL']])(
    'refuses %s instead of misreading it',
    pattern => {
      expect(() => compileRe2(pattern)).toThrow(Re2TranslationError);
    },
  );
});
