import { InputError } from '@backstage/errors';

/*
 * KEY=value maps: environment variables and build arguments, from app-config
 * (YAML maps) and from annotations (comma-separated pairs).
 */

/** POSIX-portable variable names, which is also what Docker build args accept. */
export const VARIABLE_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Reads a YAML map of names to scalar values. Numbers and booleans become
 * strings (`PORT: 8080`). With `secret`, messages never repeat a value.
 */
export function readStringMap(
  raw: unknown,
  key: string,
  options: { secret?: boolean } = {},
): Record<string, string> {
  if (raw === undefined || raw === null) {
    return {};
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InputError(
      `Invalid config at '${key}': expected a map of NAME: value, e.g. { GREETING: hello }`,
    );
  }
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (!VARIABLE_NAME_PATTERN.test(name)) {
      throw new InputError(
        `Invalid config at '${key}.${name}': '${name}' is not a variable name; use letters, digits and _, not starting with a digit`,
      );
    }
    if (!['string', 'number', 'boolean'].includes(typeof value)) {
      const shown = options.secret ? 'the value' : `'${JSON.stringify(value)}'`;
      throw new InputError(
        `Invalid config at '${key}.${name}': ${shown} is not a string, number or boolean`,
      );
    }
    result[name] = String(value);
  }
  return result;
}

/**
 * Parses `KEY=value,KEY2=value2`. Values may contain `=` but not `,`;
 * surrounding spaces are trimmed. `fail` names where the text came from.
 */
export function parseKeyValueList(
  value: string,
  fail: (problem: string) => Error,
): Record<string, string> {
  const result: Record<string, string> = {};
  const form = `use comma-separated KEY=value pairs such as 'VERSION=1,MODE=dev'`;
  for (const part of value.split(',')) {
    const pair = part.trim();
    if (pair === '') {
      continue;
    }
    const equals = pair.indexOf('=');
    const name = equals < 0 ? pair : pair.slice(0, equals).trim();
    if (equals < 0 || !VARIABLE_NAME_PATTERN.test(name)) {
      throw fail(`'${pair}' is not KEY=value; ${form}`);
    }
    if (name in result) {
      throw fail(`'${name}' is given twice; ${form}`);
    }
    result[name] = pair.slice(equals + 1).trim();
  }
  return result;
}
