import { Environment, Optional } from '@marcbachmann/cel-js';
import { isKubernetesIP } from '../formats';
import { dns1123LabelErrors } from '../objectMeta';
import { re2Test } from '../re2';
import { HAS_MACRO, RE2_MATCHES_FUNCTION } from './celSource';

/*
 * The parts of the Kubernetes CEL libraries (k8s.io/apiserver/pkg/cel/library)
 * that the CRDs in use call and cel-js lacks. Found by scanning every rule of
 * the Gateway API, Envoy Gateway and AI Gateway CRDs:
 *
 *   - `matches()` with RE2 semantics (cel-js's built-in uses JS RegExp),
 *   - `has()` on any select expression, e.g. `has(self[0].matches)` (cel-js's
 *     built-in only takes identifier chains),
 *   - `isIP(string)` (ip library),
 *   - `format.dns1123Label().validate(string)` (format library), whose result
 *     is an optional; cel-go compares an optional with `null` as unequal, so
 *     that comparison is declared too rather than failing as "no such overload".
 *
 * The string extensions these CRDs use (lowerAscii, upperAscii, split,
 * substring, …), list macros, `size`, `has` and `duration` are built into
 * cel-js. Anything else fails to compile, and the validator reports that rule
 * as uncheckable instead of passing it.
 */

export const SHIMMED_FUNCTIONS = [
  'has(e.f) on any receiver expression',
  'string.matches(string) (RE2)',
  'matches(string, string) (RE2)',
  'isIP(string)',
  'format.dns1123Label()',
  '<Format>.validate(string)',
] as const;

class FormatLibrary {}

/** A named format of the Kubernetes format library. */
class KubernetesFormat {
  constructor(
    readonly name: string,
    readonly check: (value: string) => string[],
  ) {}
}

const FORMATS = {
  dns1123Label: new KubernetesFormat('DNS1123Label', dns1123LabelErrors),
};

/*
 * cel-js macro interface (see its README, "Custom macros"): the expander runs
 * at parse time, typeCheck and evaluate later. Presence is tested exactly as
 * cel-js's own has() does, only the receiver may be any expression.
 */
function hasMacro({ args }: { args: any[] }) {
  return {
    select: args[0],
    typeCheck(checker: any, macro: any, ctx: any) {
      const node = macro.select;
      if (node.op !== '.' && node.op !== '.?') {
        throw checker.createError(
          'invalid_macro_argument',
          'has() invalid argument: expected a field selection',
          node,
        );
      }
      checker.check(node.args[0], ctx);
      return checker.getType('bool');
    },
    evaluate(evaluator: any, macro: any, ctx: any) {
      const node = macro.select;
      const receiver = evaluator.run(node.args[0], ctx);
      return (
        evaluator
          .debugType(receiver)
          .fieldLazy(receiver, node.args[1], node, evaluator) !== undefined
      );
    },
  };
}

export function createKubernetesCelEnvironment(): Environment {
  const env = new Environment({
    unlistedVariablesAreDyn: false,
    // Rules such as `{"Auto":0,"1.0":1}[self.minVersion]` mix nothing, but
    // cel-go accepts mixed literals in dyn contexts; so does this environment.
    homogeneousAggregateLiterals: false,
    enableOptionalTypes: true,
  });
  env
    .registerVariable('self', 'dyn')
    .registerVariable('oldSelf', 'dyn')
    .registerFunction(
      `string.${RE2_MATCHES_FUNCTION}(string): bool`,
      (value, pattern) => re2Test(pattern, value),
    )
    .registerFunction(
      `${RE2_MATCHES_FUNCTION}(string, string): bool`,
      (value, pattern) => re2Test(pattern, value),
    )
    .registerFunction(`${HAS_MACRO}(ast): bool`, hasMacro)
    .registerFunction('isIP(string): bool', (value: string) =>
      isKubernetesIP(value),
    )
    .registerType('kubernetes.FormatLibrary', FormatLibrary)
    .registerType('kubernetes.Format', KubernetesFormat)
    .registerConstant('format', 'kubernetes.FormatLibrary', new FormatLibrary())
    .registerFunction(
      'kubernetes.FormatLibrary.dns1123Label(): kubernetes.Format',
      () => FORMATS.dns1123Label,
    )
    .registerFunction(
      'kubernetes.Format.validate(string): optional<list<string>>',
      (format: KubernetesFormat, value: string) => {
        const errors = format.check(value);
        return errors.length === 0 ? Optional.none() : Optional.of(errors);
      },
    )
    // cel-go: types.Equal returns false when exactly one side is null
    // (cel-js derives `null == optional`, and `!=`, from this declaration).
    .registerOperator('optional<dyn> == null', () => false);
  return env;
}
