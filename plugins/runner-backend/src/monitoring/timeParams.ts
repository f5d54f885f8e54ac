import { z } from 'zod';

/*
 * Query parameters for time: what the metrics and error history routes
 * accept, with messages that say what would have been accepted. Each issue
 * is reported under the parameter's name (see routes/validation.ts).
 */

// A time of day needs its zone: the server's local time is no one's business.
const ISO_8601 =
  /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;
const EPOCH_MS = /^\d{1,15}$/;

function parseTime(value: string): number {
  if (EPOCH_MS.test(value)) return Number(value);
  return ISO_8601.test(value) ? Date.parse(value) : NaN;
}

/** An ISO 8601 time (`2026-11-26T10:00:00Z`) or epoch milliseconds (`1795600000000`). */
export const timeParam = z.string().transform((value, ctx) => {
  const ms = parseTime(value);
  if (!Number.isFinite(ms)) {
    ctx.addIssue({
      code: 'custom',
      message: `'${value}' is not a time; use ISO 8601 with a zone (2026-11-26T10:00:00Z) or epoch milliseconds`,
    });
    return z.NEVER;
  }
  return new Date(ms);
});

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** A duration: `30s`, `5m`, `1h`, `250ms`, or a plain number of seconds (as Prometheus' `step`). */
export const durationParam = z.string().transform((value, ctx) => {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(value);
  if (!match) {
    ctx.addIssue({
      code: 'custom',
      message: `'${value}' is not a duration; use e.g. 30s, 5m, 1h or a number of seconds`,
    });
    return z.NEVER;
  }
  return Math.round(Number(match[1]) * UNIT_MS[match[2] ?? 's']);
});
