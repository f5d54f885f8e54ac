import { RuleCompiler } from './RuleCompiler';
import { prepareCelSource } from './celSource';

function evaluate(rule: string, self: unknown, oldSelf?: unknown) {
  const compiled = new RuleCompiler().compileExpression(rule, 'bool');
  if (!compiled.program) throw new Error(compiled.error);
  return compiled.program({ self, oldSelf });
}

describe('Kubernetes CEL shims', () => {
  it('renames matches() and has() calls only, never fields or string contents', () => {
    const { source, patternLiterals } = prepareCelSource(
      "has(self[0].matches) && self[0].matches.size() > 0 && self[0].name.matches('has(x)') && 'matches(' != ''",
    );
    expect(source).toBe(
      "k8sHas(self[0].matches) && self[0].matches.size() > 0 && self[0].name.re2Matches('has(x)') && 'matches(' != ''",
    );
    expect(patternLiterals).toEqual(["'has(x)'"]);
  });

  it('evaluates matches() with RE2 flags', () => {
    expect(evaluate('self.matches(r"""^(?i)\\.?[a-z_]+$""")', 'Foo')).toBe(
      true,
    );
    expect(evaluate("matches(self, '^a$')", 'b')).toBe(false);
  });

  it('has() accepts any select expression, as cel-go does', () => {
    const rule =
      '(has(self[0].matches) ? self[0].matches.size() : 0) + (has(self.x) ? 1 : 0) == 2';
    expect(
      evaluate(rule.replace('self.x', 'self[1].x'), [{ matches: [1, 2] }, {}]),
    ).toBe(true);
    expect(evaluate('has(self.a.b)', { a: { b: 1 } })).toBe(true);
    expect(evaluate('has(self.a.b)', { a: {} })).toBe(false);
    expect(() => evaluate('has(self.a.b)', {})).toThrow(/no such key/i);
  });

  it('isIP accepts addresses, not host names', () => {
    expect(evaluate('self.all(h, !isIP(h))', ['example.com', 'a.b'])).toBe(
      true,
    );
    expect(evaluate('self.exists(h, isIP(h))', ['example.com', '::1'])).toBe(
      true,
    );
    expect(evaluate('isIP(self)', '10.0.0.256')).toBe(false);
  });

  it('format.dns1123Label().validate() returns optional errors, unequal to null as in cel-go', () => {
    expect(
      evaluate('format.dns1123Label().validate(self).hasValue()', 'Not_Valid'),
    ).toBe(true);
    expect(
      evaluate('format.dns1123Label().validate(self).hasValue()', 'valid-name'),
    ).toBe(false);
    expect(
      evaluate('format.dns1123Label().validate(self) == null', 'valid-name'),
    ).toBe(false);
    expect(
      evaluate('format.dns1123Label().validate(self) != null', 'Not_Valid'),
    ).toBe(true);
  });

  it('marks rules using oldSelf as transition rules', () => {
    expect(
      new RuleCompiler().compileExpression('self == oldSelf', 'bool')
        .isTransition,
    ).toBe(true);
    expect(
      new RuleCompiler().compileExpression("self == 'oldSelf'", 'bool')
        .isTransition,
    ).toBe(false);
  });

  it('refuses rules that do not return bool or use unknown functions', () => {
    const compiler = new RuleCompiler();
    expect(compiler.compileExpression('self.size()', 'bool').error).toMatch(
      /must evaluate to bool/,
    );
    expect(
      compiler.compileExpression('url(self).getHost() == ""', 'bool').error,
    ).toMatch(/url/);
    expect(
      compiler.compileExpression("self.matches('(?=x)')", 'bool').error,
    ).toMatch(/invalid or unsupported Perl syntax: `\(\?=`/);
  });
});
