import { RE2JS } from 're2js';

/*
 * The API server evaluates OpenAPI `pattern`s and CEL `matches()` with Go's
 * RE2: linear in the input, whatever the pattern. JavaScript's RegExp
 * backtracks, and upstream CRD patterns are not safe there: HTTPRoute's
 * header value pattern `^[!-~]+([\t ]?[!-~]+)*$` takes minutes on a
 * 40-character value that ends in a newline. So patterns run on re2js, a
 * port of RE2 that reads RE2 syntax as RE2 does and matches in linear time.
 */

export class Re2SyntaxError extends Error {
  constructor(pattern: string, reason: string) {
    super(`cannot use RE2 pattern ${JSON.stringify(pattern)}: ${reason}`);
    this.name = 'Re2SyntaxError';
  }
}

/** What ajv's `code.regExp` engine and the CEL library need of a compiled pattern. */
export interface Re2Pattern {
  /** RE2 `MatchString` semantics: an unanchored search. */
  test(value: string): boolean;
  toString(): string;
}

const cache = new Map<string, Re2Pattern | Re2SyntaxError>();

/**
 * Compiles an RE2 pattern (cached). Throws Re2SyntaxError for what RE2
 * rejects, e.g. look-arounds and back-references, so a pattern is never
 * silently misread.
 */
export function compileRe2(pattern: string): Re2Pattern {
  let compiled = cache.get(pattern);
  if (!compiled) {
    try {
      const re = RE2JS.compile(pattern);
      compiled = {
        test: (value: string) => re.test(value),
        // ajv keys compiled patterns by toString(): it must differ per pattern.
        toString: () => `/${pattern}/`,
      };
    } catch (error) {
      compiled = new Re2SyntaxError(
        pattern,
        String((error as Error).message).replace(/^error parsing regexp: /, ''),
      );
    }
    cache.set(pattern, compiled);
  }
  if (compiled instanceof Re2SyntaxError) throw compiled;
  return compiled;
}

/** RE2 `MatchString` semantics: unanchored search. */
export function re2Test(pattern: string, value: string): boolean {
  return compileRe2(pattern).test(value);
}
