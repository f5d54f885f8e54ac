import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { ERROR_CATEGORIES, isErrorCode } from '@internal/plugin-runner-common';
import { z } from 'zod';
import { timeParam } from '../monitoring/timeParams';
import type { ErrorFilter } from './ErrorStore';

/*
 * Query parameters of the error history routes. Unknown parameters and
 * unknown values are refused with a 400 naming the parameter: a filter that
 * silently matched nothing (or everything) would mislead.
 */

export const DEFAULT_ERROR_PAGE = 50;
export const MAX_ERROR_PAGE = 200;

const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;

const entityRefParam = z.string().transform((value, ctx) => {
  try {
    // Canonical form (lower-case kind, default namespace), as stored.
    return stringifyEntityRef(parseEntityRef(value));
  } catch {
    ctx.addIssue({
      code: 'custom',
      message: `'${value}' is not an entity ref; use kind:namespace/name, e.g. component:default/hello-http`,
    });
    return z.NEVER;
  }
});

const common = {
  category: z.enum(ERROR_CATEGORIES).optional(),
  severity: z.enum(SEVERITIES).optional(),
  code: z
    .string()
    .refine(
      isErrorCode,
      'is not an error code of the runner (e.g. OOM_KILLED, BUILD_STEP_FAILED)',
    )
    .optional(),
  from: timeParam.optional(),
  to: timeParam.optional(),
  limit: z.coerce
    .number()
    .int('must be a whole number')
    .min(1)
    .max(MAX_ERROR_PAGE)
    .default(DEFAULT_ERROR_PAGE),
  cursor: z
    .string()
    .regex(/^[1-9]\d{0,15}$/, 'must be the nextCursor of a previous page')
    // 16 digits pass the pattern yet may exceed what an id can be (ErrorStore's check).
    .refine(
      cursor => Number.isSafeInteger(Number(cursor)),
      'must be the nextCursor of a previous page',
    )
    .optional(),
};

function fromBeforeTo(q: { from?: Date; to?: Date }, ctx: z.RefinementCtx) {
  if (q.from && q.to && q.from.getTime() > q.to.getTime()) {
    ctx.addIssue({
      code: 'custom',
      path: ['from'],
      message: 'must not be after to',
    });
  }
}

/** `GET /errors?entityRef&category&severity&code&from&to&limit&cursor` */
export const errorsQuerySchema = z
  .object({ entityRef: entityRefParam.optional(), ...common })
  .strict()
  .superRefine(fromBeforeTo);

/** `GET /instances/:id/errors?category&severity&code&from&to&limit&cursor` */
export const instanceErrorsQuerySchema = z
  .object(common)
  .strict()
  .superRefine(fromBeforeTo);

export type ErrorsQuery = z.infer<typeof errorsQuerySchema>;

export function filterOf(
  query: Omit<ErrorsQuery, 'limit' | 'cursor'>,
): ErrorFilter {
  return {
    entityRef: query.entityRef,
    category: query.category,
    severity: query.severity,
    code: query.code,
    from: query.from,
    to: query.to,
  };
}
