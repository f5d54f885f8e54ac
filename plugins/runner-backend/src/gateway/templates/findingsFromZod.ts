import type { GatewayFinding } from '@internal/plugin-runner-common';
import type { z } from 'zod';

/*
 * Input errors as findings with paths (`models[0].name`). Only zod's message
 * is kept: an issue's `input` may be a credential and is never copied.
 */
function appendSegment(path: string, segment: PropertyKey): string {
  if (typeof segment === 'number') return `${path}[${segment}]`;
  return path ? `${path}.${String(segment)}` : String(segment);
}

export function findingsFromZodError(error: z.ZodError): GatewayFinding[] {
  return error.issues.map(issue => ({
    path: issue.path.reduce<string>(appendSegment, ''),
    message: `Invalid value: ${issue.message}`,
    severity: 'error',
    source: 'schema',
  }));
}
