import { InputError } from '@backstage/errors';
import { z } from 'zod';
import { stringifyEntityRef } from '@backstage/catalog-model';

/** Parses with a zod schema; a failure is a 400 naming each field and what it accepts. */
export function parseOrThrow<T>(
  schema: z.ZodType<T>,
  value: unknown,
  where: string,
): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map(issue => {
      const field = issue.path.length ? issue.path.join('.') : where;
      return `${field}: ${issue.message}`;
    });
    throw new InputError(`Invalid ${where}: ${problems.join('; ')}`);
  }
  return result.data;
}

// Catalog entity name rules (kind, namespace and name path segments).
const segment = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/,
    'must be 1-63 letters, digits, ".", "_" or "-", starting with a letter or digit',
  );

export const entityPathSchema = z.object({
  kind: z
    .string()
    .regex(
      /^[A-Za-z][A-Za-z0-9]{0,62}$/,
      'must be a catalog kind such as component',
    ),
  namespace: segment,
  name: segment,
});

export const instanceIdSchema = z.object({
  id: z.string().uuid('must be an instance id (a UUID)'),
});

/** The `:id` of an instance path, or a 400. */
export function instanceIdParam(req: { params: unknown }): string {
  return parseOrThrow(instanceIdSchema, req.params, 'instance id').id;
}

export const logsQuerySchema = z
  .object({
    stream: z.enum(['build', 'run']).default('run'),
    tail: z
      .union([z.literal('all'), z.coerce.number().int().min(1).max(100_000)])
      .optional()
      .describe('number of lines from the end, or all'),
    follow: z
      .enum(['true', 'false', '1', '0'])
      .optional()
      .transform(v => v === 'true' || v === '1'),
  })
  .strict();

/** The ref as the catalog and the runner's tables spell it (lowercased, like stringifyEntityRef). */
export function entityRefFromPath(
  params: z.infer<typeof entityPathSchema>,
): string {
  return stringifyEntityRef(params);
}
