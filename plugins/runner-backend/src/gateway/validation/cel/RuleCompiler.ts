import type { Environment } from '@marcbachmann/cel-js';
import { compileRe2 } from '../re2';
import { prepareCelSource } from './celSource';
import { createKubernetesCelEnvironment } from './kubernetesLibrary';

/** One entry of `x-kubernetes-validations`. */
export interface ValidationRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  fieldPath?: string;
  reason?: string;
  optionalOldSelf?: boolean;
}

type Program = ReturnType<Environment['parse']>;

export interface CompiledExpression {
  program?: Program;
  /** Why the expression cannot be evaluated (parse error, unknown function, wrong result type). */
  error?: string;
  /** Uses `oldSelf`: a transition rule, only evaluated on updates. */
  isTransition: boolean;
}

export interface CompiledRule {
  rule: ValidationRule;
  expression: CompiledExpression;
  message?: CompiledExpression;
}

function firstLine(text: string): string {
  return text.split('\n')[0].trim();
}

/**
 * Compiles (parses and type-checks) CEL rules once and caches them by text.
 * Type-checking with `self` as dyn still rejects every call that has no
 * overload, so a rule using a function nobody implemented is reported here
 * instead of being treated as passing.
 */
export class RuleCompiler {
  readonly #env: Environment;
  readonly #cache = new Map<string, CompiledExpression>();

  constructor(env: Environment = createKubernetesCelEnvironment()) {
    this.#env = env;
  }

  compileExpression(
    text: string,
    resultType: 'bool' | 'string',
  ): CompiledExpression {
    const key = `${resultType}\u0000${text}`;
    let compiled = this.#cache.get(key);
    if (!compiled) {
      compiled = this.#compile(text, resultType);
      this.#cache.set(key, compiled);
    }
    return compiled;
  }

  compile(rule: ValidationRule): CompiledRule {
    return {
      rule,
      expression: this.compileExpression(rule.rule, 'bool'),
      message: rule.messageExpression
        ? this.compileExpression(rule.messageExpression, 'string')
        : undefined,
    };
  }

  #compile(text: string, resultType: 'bool' | 'string'): CompiledExpression {
    const prepared = prepareCelSource(text);
    const isTransition = prepared.identifiers.has('oldSelf');
    let program: Program;
    try {
      program = this.#env.parse(prepared.source);
    } catch (error) {
      return {
        isTransition,
        error: `parse error: ${firstLine((error as Error).message)}`,
      };
    }
    const checked = program.check();
    if (!checked.valid) {
      return {
        isTransition,
        error: `compile error: ${firstLine(
          checked.error?.message ?? 'invalid',
        )}`,
      };
    }
    if (checked.type !== resultType && checked.type !== 'dyn') {
      return {
        isTransition,
        error: `compile error: must evaluate to ${resultType}, not ${checked.type}`,
      };
    }
    // Like cel-go, reject a literal pattern that cannot be compiled now rather than at evaluation.
    for (const literal of prepared.patternLiterals) {
      try {
        compileRe2(String(this.#env.evaluate(literal, {})));
      } catch (error) {
        return {
          isTransition,
          error: `compile error: ${firstLine((error as Error).message)}`,
        };
      }
    }
    return { isTransition, program };
  }
}
