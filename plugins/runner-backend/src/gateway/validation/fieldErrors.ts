import type {
  GatewayFinding,
  GatewayFindingSource,
} from '@internal/plugin-runner-common';

/*
 * Renders errors like k8s.io/apimachinery/pkg/util/validation/field: the
 * conformance fixtures expect substrings of exactly these forms, e.g.
 * `Invalid value: "array": ...`, `Too many: 16: must have at most 15 items`,
 * `Unsupported value: "x": supported values: "a", "b"`.
 */

/** Formats a bad value the way field.Error does: strings quoted, numbers and booleans bare. */
export function formatBadValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  // field.Error prints other values with %#v; JSON is the readable equivalent.
  return JSON.stringify(value);
}

function finding(
  path: string,
  message: string,
  source: GatewayFindingSource,
): GatewayFinding {
  return { path, message, severity: 'error', source };
}

export const fieldError = {
  required(path: string, source: GatewayFindingSource, detail = '') {
    return finding(
      path,
      detail ? `Required value: ${detail}` : 'Required value',
      source,
    );
  },
  forbidden(path: string, source: GatewayFindingSource, detail: string) {
    return finding(path, detail ? `Forbidden: ${detail}` : 'Forbidden', source);
  },
  invalid(
    path: string,
    value: unknown,
    detail: string,
    source: GatewayFindingSource,
  ) {
    const body = `Invalid value: ${formatBadValue(value)}`;
    return finding(path, detail ? `${body}: ${detail}` : body, source);
  },
  duplicate(path: string, value: unknown, source: GatewayFindingSource) {
    return finding(path, `Duplicate value: ${formatBadValue(value)}`, source);
  },
  notSupported(
    path: string,
    value: unknown,
    supported: unknown[],
    source: GatewayFindingSource,
  ) {
    const values = supported
      .map(v => (typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v)))
      .join(', ');
    return finding(
      path,
      `Unsupported value: ${formatBadValue(
        value,
      )}: supported values: ${values}`,
      source,
    );
  },
  tooLong(path: string, maxLength: number, source: GatewayFindingSource) {
    const unit = maxLength === 1 ? 'byte' : 'bytes';
    return finding(
      path,
      `Too long: may not be more than ${maxLength} ${unit}`,
      source,
    );
  },
  tooMany(
    path: string,
    actual: number,
    max: number,
    source: GatewayFindingSource,
  ) {
    const unit = max === 1 ? 'item' : 'items';
    return finding(
      path,
      `Too many: ${actual}: must have at most ${max} ${unit}`,
      source,
    );
  },
  internal(path: string, detail: string, source: GatewayFindingSource) {
    return finding(path, `Internal error: ${detail}`, source);
  },
};
