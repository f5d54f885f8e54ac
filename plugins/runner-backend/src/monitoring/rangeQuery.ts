import { z } from 'zod';
import { durationParam, timeParam } from './timeParams';

/** Ranges wider than this are refused: more than the downsampled retention could ever hold. */
export const MAX_RANGE_MS = 31 * 86_400_000;
/** A bucket wider than a day says nothing a chart can show. */
export const MAX_STEP_MS = 86_400_000;
/** Without `from`, the last hour. */
export const DEFAULT_RANGE_MS = 3_600_000;

/**
 * `GET /instances/:id/metrics?from&to&step`. Unknown parameters are refused
 * (a typo such as `form=` must not silently show the default range).
 */
export function metricsQuerySchema(now: () => number = Date.now) {
  return z
    .object({
      from: timeParam.optional(),
      to: timeParam.optional(),
      step: durationParam.optional(),
    })
    .strict()
    .superRefine((q, ctx) => {
      if (q.step !== undefined && q.step <= 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['step'],
          message: 'must be longer than zero',
        });
      }
      if (q.step !== undefined && q.step > MAX_STEP_MS) {
        ctx.addIssue({
          code: 'custom',
          path: ['step'],
          message: 'must be at most 1d',
        });
      }
      const to = q.to?.getTime() ?? now();
      const from = q.from?.getTime() ?? to - DEFAULT_RANGE_MS;
      if (from >= to) {
        ctx.addIssue({
          code: 'custom',
          path: ['from'],
          message: 'must be before to',
        });
      } else if (to - from > MAX_RANGE_MS) {
        ctx.addIssue({
          code: 'custom',
          path: ['from'],
          message: 'from..to must span at most 31 days',
        });
      }
    })
    .transform(q => {
      const to = q.to ?? new Date(now());
      const from = q.from ?? new Date(to.getTime() - DEFAULT_RANGE_MS);
      return { from, to, stepMs: q.step };
    });
}
