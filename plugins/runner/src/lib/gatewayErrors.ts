import { ResponseError } from '@backstage/errors';
import type { GatewayFinding } from '@internal/plugin-runner-common';

/*
 * What a failed gateway call says beyond its message: the findings (a 422
 * carries them in `error.findings`; `POST export` at the top level), and a
 * category and remediation when the backend categorized the error.
 */

function body(error: unknown): Record<string, any> | undefined {
  return ResponseError.is(error as Error)
    ? ((error as ResponseError).body as unknown as Record<string, any>)
    : undefined;
}

export function findingsOf(error: unknown): GatewayFinding[] {
  const b = body(error);
  const list = b?.error?.findings ?? b?.findings;
  return Array.isArray(list) ? (list as GatewayFinding[]) : [];
}

export interface ErrorDetails {
  category?: string;
  code?: string;
  remediation?: string;
}

export function errorDetails(error: unknown): ErrorDetails {
  const e = body(error)?.error ?? {};
  const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  return {
    category: text(e.category),
    code: text(e.code),
    remediation: text(e.remediation),
  };
}
