/*
 * Source-level preparation of a CEL rule before it is parsed.
 *
 * Two built-ins of cel-js differ from cel-go and cannot be overridden, so
 * their calls are renamed to shims:
 *   - `matches()` must use RE2, cel-js's compiles a JavaScript RegExp
 *     (renamed to `re2Matches`);
 *   - `has()` must accept any select expression (`has(self[0].matches)`,
 *     `has(self.matches[0].path)`), cel-js's only identifier chains
 *     (renamed to the `k8sHas` macro).
 * Renaming is done on tokens, outside string literals, and only where the
 * name is called, never on a field of that name (`self[0].matches.size()`).
 */

export const RE2_MATCHES_FUNCTION = 're2Matches';
export const HAS_MACRO = 'k8sHas';

interface Token {
  kind: 'identifier' | 'string' | 'other';
  start: number;
  end: number;
}

function stringEnd(source: string, start: number): number {
  let i = start;
  let raw = false;
  while (/[rRbB]/.test(source[i])) {
    if (/[rR]/.test(source[i])) raw = true;
    i += 1;
  }
  const quote = source[i];
  const triple = source.startsWith(quote.repeat(3), i);
  const delimiter = triple ? quote.repeat(3) : quote;
  i += delimiter.length;
  while (i < source.length) {
    if (!raw && source[i] === '\\') {
      i += 2;
      continue;
    }
    if (source.startsWith(delimiter, i)) return i + delimiter.length;
    i += 1;
  }
  return source.length;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    const stringPrefix = /^[rRbB]{0,2}['"]/.exec(source.slice(i, i + 3));
    if (stringPrefix && (i === 0 || !/[A-Za-z0-9_]/.test(source[i - 1]))) {
      const end = stringEnd(source, i);
      tokens.push({ kind: 'string', start: i, end });
      i = end;
    } else if (/[A-Za-z_]/.test(c)) {
      let end = i + 1;
      while (end < source.length && /[A-Za-z0-9_]/.test(source[end])) end += 1;
      tokens.push({ kind: 'identifier', start: i, end });
      i = end;
    } else if (/\s/.test(c)) {
      i += 1;
    } else {
      tokens.push({ kind: 'other', start: i, end: i + 1 });
      i += 1;
    }
  }
  return tokens;
}

export interface PreparedSource {
  /** The rule as handed to cel-js. */
  source: string;
  /** Identifiers used outside string literals. */
  identifiers: Set<string>;
  /** Source text of string literals passed as the pattern of a `matches` call. */
  patternLiterals: string[];
}

export function prepareCelSource(rule: string): PreparedSource {
  const tokens = tokenize(rule);
  const identifiers = new Set<string>();
  const patternLiterals: string[] = [];
  let out = '';
  let last = 0;
  tokens.forEach((token, index) => {
    if (token.kind !== 'identifier') return;
    const name = rule.slice(token.start, token.end);
    identifiers.add(name);
    const next = tokens[index + 1];
    const isCall = next && rule.slice(next.start, next.end) === '(';
    if (name === 'has' && isCall && rule[token.start - 1] !== '.') {
      out += rule.slice(last, token.start) + HAS_MACRO;
      last = token.end;
    }
    if (name === 'matches' && isCall) {
      out += rule.slice(last, token.start) + RE2_MATCHES_FUNCTION;
      last = token.end;
      // `x.matches('re')` has the pattern as its only argument; the global
      // form `matches(x, 're')` as its second. Only literal patterns are known now.
      const isMember = rule[token.start - 1] === '.';
      const argIndex = isMember ? index + 2 : index + 4;
      const arg = tokens[argIndex];
      const closing = tokens[argIndex + 1];
      if (
        arg?.kind === 'string' &&
        closing &&
        rule.slice(closing.start, closing.end) === ')'
      ) {
        patternLiterals.push(rule.slice(arg.start, arg.end));
      }
    }
  });
  out += rule.slice(last);
  return { source: out, identifiers, patternLiterals };
}
