import { compileRe2, re2Test, Re2SyntaxError } from './re2';

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
    // RE2 allows flags inside the pattern and Unicode classes.
    ['^a(?i)b$', 'aB', true],
    ['^\\pL+$', 'héllo', true],
  ])('%s on %j is %s', (pattern, value, expected) => {
    expect(re2Test(pattern, value)).toBe(expected);
  });

  it.each([['(?=a)'], ['(a)\\1'], ['(?<=a)b'], ['a**']])(
    'refuses %s instead of misreading it',
    pattern => {
      expect(() => compileRe2(pattern)).toThrow(Re2SyntaxError);
    },
  );

  it('matches in linear time where a backtracking engine takes minutes', () => {
    // HTTPRoute's header value pattern, v1.6.1: exponential in JavaScript's RegExp.
    const headerValue = compileRe2('^[!-~]+([\\t ]?[!-~]+)*$');
    const started = Date.now();
    expect(headerValue.test(`${'a'.repeat(40)}\n`)).toBe(false);
    expect(headerValue.test(`${'a'.repeat(1_000_000)}\n`)).toBe(false);
    expect(headerValue.test('text/plain; q=0.5')).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
