/*
 * The API server evaluates OpenAPI `pattern`s and CEL `matches()` with Go's
 * RE2. JavaScript's RegExp differs in syntax (leading `(?i)` flags, `(?P<n>`,
 * `\z`, `\Q…\E`, POSIX classes) and in what it accepts. This translator turns
 * an RE2 pattern into an equivalent unicode-mode RegExp and refuses, with a
 * clear error, what it cannot translate or what RE2 itself rejects
 * (look-arounds, back-references), so a pattern is never silently misread.
 */

export class Re2TranslationError extends Error {
  constructor(pattern: string, reason: string) {
    super(`cannot use RE2 pattern ${JSON.stringify(pattern)}: ${reason}`);
    this.name = 'Re2TranslationError';
  }
}

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

// Characters that must stay escaped in a unicode-mode RegExp.
const JS_SYNTAX = new Set('^$\\.*+?()[]{}|/'.split(''));
// RE2's \s is ASCII whitespace only; JavaScript's also matches Unicode spaces.
const RE2_SPACE = '\\t\\n\\f\\r ';

function escapeLiteral(char: string): string {
  return JS_SYNTAX.has(char) || char === '-' ? `\\${char}` : char;
}

interface Translation {
  source: string;
  flags: string;
}

function translate(pattern: string): Translation {
  let flags = 'u';
  let out = '';
  let i = 0;
  let inClass = false;
  let atStart = true;

  const fail = (reason: string): never => {
    throw new Re2TranslationError(pattern, reason);
  };

  while (i < pattern.length) {
    const c = pattern[i];

    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) fail('trailing backslash');
      if (next === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        const literal = pattern.slice(i + 2, end < 0 ? undefined : end);
        out += [...literal].map(escapeLiteral).join('');
        i = end < 0 ? pattern.length : end + 2;
        atStart = false;
        continue;
      }
      if (/[1-9]/.test(next)) fail('back-references are not RE2 syntax');
      if (next === 'z') out += '(?![\\s\\S])';
      else if (next === 'A') out += '(?<![\\s\\S])';
      else if (next === 's') out += inClass ? RE2_SPACE : `[${RE2_SPACE}]`;
      else if (next === 'S') out += inClass ? '\\S' : `[^${RE2_SPACE}]`;
      else if (next === 'C') fail('\\C (any byte) is not supported');
      else if (next === 'p' || next === 'P') {
        fail('Unicode classes (\\p) are not supported');
      } else if (next === 'x' && pattern[i + 2] === '{') {
        const end = pattern.indexOf('}', i + 3);
        if (end < 0) fail('unterminated \\x{');
        out += `\\u{${pattern.slice(i + 3, end)}}`;
        i = end + 1;
        atStart = false;
        continue;
      } else if (/[A-Za-z0-9]/.test(next)) out += `\\${next}`;
      // RE2 lets any punctuation be escaped; unicode-mode RegExp only syntax characters.
      else if (JS_SYNTAX.has(next) || (next === '-' && inClass)) {
        out += `\\${next}`;
      } else out += next;
      i += 2;
      atStart = false;
      continue;
    }

    if (inClass) {
      if (c === '[' && pattern[i + 1] === ':') {
        const end = pattern.indexOf(':]', i + 2);
        const name = end < 0 ? '' : pattern.slice(i + 2, end);
        const negated = name.startsWith('^');
        const range = POSIX_CLASSES[negated ? name.slice(1) : name];
        if (!range) fail(`unknown POSIX class [:${name}:]`);
        if (negated) fail('negated POSIX classes are not supported');
        out += range;
        i = end + 2;
        continue;
      }
      if (c === ']') inClass = false;
      out += c === '[' ? '\\[' : c;
      i += 1;
      continue;
    }

    if (c === '[') {
      inClass = true;
      out += '[';
      i += 1;
      // A leading `]` (after an optional `^`) is a literal in RE2.
      if (pattern[i] === '^') {
        out += '^';
        i += 1;
      }
      if (pattern[i] === ']') {
        out += '\\]';
        i += 1;
      }
      atStart = false;
      continue;
    }

    if (c === '(' && pattern[i + 1] === '?') {
      const rest = pattern.slice(i + 2);
      const flagGroup = /^([imsU-]+)([:)])/.exec(rest);
      if (rest.startsWith('P<')) {
        out += '(?<';
        i += 4;
      } else if (rest.startsWith(':')) {
        out += '(?:';
        i += 3;
      } else if (flagGroup && flagGroup[2] === ')' && atStart) {
        const set = flagGroup[1];
        if (set.includes('-') || set.includes('U')) {
          fail(`flags (?${set}) are not supported`);
        }
        for (const f of set) if (!flags.includes(f)) flags += f;
        i += 2 + flagGroup[0].length;
        continue;
      } else if (flagGroup) {
        fail('flags are only supported at the start of the pattern');
      } else {
        fail('look-arounds and other (? groups are not RE2 syntax');
      }
      atStart = false;
      continue;
    }

    if (c === '{') {
      // In RE2 a `{` that does not start a repetition is a literal.
      const repeat = /^\{\d+(,\d*)?\}/.exec(pattern.slice(i));
      if (repeat) {
        out += repeat[0];
        i += repeat[0].length;
      } else {
        out += '\\{';
        i += 1;
      }
      atStart = false;
      continue;
    }
    if (c === '}' || c === ']') {
      out += `\\${c}`;
      i += 1;
      atStart = false;
      continue;
    }

    out += c;
    i += 1;
    // Flags after a leading `^` still cover the whole pattern (`^(?i)…`).
    if (c !== '^') atStart = false;
  }
  if (inClass) fail('missing closing ]');
  return { source: out, flags };
}

const cache = new Map<string, RegExp | Re2TranslationError>();

/**
 * Compiles an RE2 pattern into an equivalent RegExp (cached).
 * Throws Re2TranslationError for what cannot be translated faithfully.
 */
export function compileRe2(pattern: string): RegExp {
  let compiled = cache.get(pattern);
  if (!compiled) {
    try {
      const { source, flags } = translate(pattern);
      compiled = new RegExp(source, flags);
    } catch (error) {
      compiled =
        error instanceof Re2TranslationError
          ? error
          : new Re2TranslationError(pattern, (error as Error).message);
    }
    cache.set(pattern, compiled);
  }
  if (compiled instanceof Re2TranslationError) throw compiled;
  return compiled;
}

/** RE2 `MatchString` semantics: unanchored search. */
export function re2Test(pattern: string, value: string): boolean {
  const regex = compileRe2(pattern);
  regex.lastIndex = 0;
  return regex.test(value);
}
