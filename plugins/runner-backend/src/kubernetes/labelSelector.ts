/*
 * Kubernetes label selectors (`a=b,c!=d,e in (f,g),h notin (i),j,!k`),
 * parsed once and matched locally. The watch cache answers "this entity's
 * objects" with the same selector the API server would be sent, and the test
 * API server filters lists and watches with it.
 */

export type LabelRequirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'doesNotExist' };

export class LabelSelectorError extends Error {}

const KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Splits on commas that are not inside a `( … )` value set. */
function splitRequirements(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of selector) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts.map(p => p.trim()).filter(p => p.length > 0);
}

function checkKey(key: string, requirement: string): string {
  if (!KEY.test(key) || key.length > 316) {
    throw new LabelSelectorError(
      `unable to parse requirement: invalid label key "${key}" in "${requirement}"`,
    );
  }
  return key;
}

function checkValue(value: string, requirement: string): string {
  if (!VALUE.test(value) || value.length > 63) {
    throw new LabelSelectorError(
      `unable to parse requirement: invalid label value "${value}" in "${requirement}"`,
    );
  }
  return value;
}

function parseRequirement(text: string): LabelRequirement {
  const set = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(text);
  if (set) {
    const values = set[3]
      .split(',')
      .map(v => v.trim())
      .filter(v => v.length > 0)
      .map(v => checkValue(v, text));
    if (values.length === 0) {
      throw new LabelSelectorError(
        `unable to parse requirement: "${text}": for 'in', 'notin' operators, values set can't be empty`,
      );
    }
    return {
      key: checkKey(set[1], text),
      op: set[2] as 'in' | 'notin',
      values,
    };
  }
  const equality = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(text);
  if (equality) {
    const value = checkValue(equality[3].trim(), text);
    return {
      key: checkKey(equality[1], text),
      op: equality[2] === '!=' ? 'notin' : 'in',
      values: [value],
    };
  }
  if (text.startsWith('!')) {
    return { key: checkKey(text.slice(1).trim(), text), op: 'doesNotExist' };
  }
  return { key: checkKey(text, text), op: 'exists' };
}

/** Parses a selector; LabelSelectorError (message as the API server words it) when it is malformed. */
export function parseLabelSelector(
  selector: string | undefined,
): LabelRequirement[] {
  if (!selector) return [];
  return splitRequirements(selector).map(parseRequirement);
}

export function matchesLabels(
  requirements: LabelRequirement[],
  labels: Record<string, string> | undefined,
): boolean {
  const present = labels ?? {};
  return requirements.every(req => {
    const has = Object.prototype.hasOwnProperty.call(present, req.key);
    switch (req.op) {
      case 'exists':
        return has;
      case 'doesNotExist':
        return !has;
      case 'in':
        return has && req.values.includes(present[req.key]);
      case 'notin':
        return !has || !req.values.includes(present[req.key]);
      default:
        return false;
    }
  });
}

/** The equality requirements of a selector as a map, e.g. to use as an index key. */
export function equalityLabels(
  requirements: LabelRequirement[],
): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const req of requirements) {
    if (req.op === 'in' && req.values.length === 1) {
      labels[req.key] = req.values[0];
    }
  }
  return labels;
}
