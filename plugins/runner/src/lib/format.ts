import { ResponseError } from '@backstage/errors';
import { parseEntityRef } from '@backstage/catalog-model';

/**
 * The first 8 hex digits of an instance id and an ellipsis: enough to tell
 * instances of one entity apart, short enough for a button label.
 */
export function shortId(id: string): string {
  return `${id.slice(0, 8)}…`;
}

/** "42s", "5m 3s", "2h 5m", "3d 4h": two units at most, for table cells. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const units: Array<[string, number]> = [
    ['d', Math.floor(seconds / 86400)],
    ['h', Math.floor(seconds / 3600) % 24],
    ['m', Math.floor(seconds / 60) % 60],
    ['s', seconds % 60],
  ];
  const first = units.findIndex(([, value]) => value > 0);
  if (first === -1) return '0s';
  return units
    .slice(first, first + 2)
    .filter(([, value]) => value > 0)
    .map(([unit, value]) => `${value}${unit}`)
    .join(' ');
}

/** Binary units, as Docker's memory limits are (512m = 512 MiB). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const rounded = Number.isInteger(value) ? value : Number(value.toFixed(1));
  return `${rounded} ${units[unit]}`;
}

/** The name of a user ref (`user:default/alice` → `alice`), or the ref as given. */
export function displayRef(ref: string): string {
  try {
    return parseEntityRef(ref).name;
  } catch {
    return ref;
  }
}

/**
 * The backend's own message of a failed call, without ResponseError's
 * "Request failed with 409 Conflict," prefix: that message already names the
 * problem (the limit reached, the bad annotation) in words a user can act on.
 */
export function errorMessage(error: Error): string {
  if (ResponseError.is(error)) {
    return error.body?.error?.message || error.message;
  }
  return error.message;
}

/** The HTTP status of a failed backend call, if it was one. */
export function errorStatus(error: Error): number | undefined {
  return ResponseError.is(error) ? error.statusCode : undefined;
}
