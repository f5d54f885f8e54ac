import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { GatewayBundleType } from '@internal/plugin-runner-common';
import type { InstanceErrorsQuery, LogTail, QueryTime } from './types';

// URL building for RunnerClient. Not exported from the package.

export function entityPath(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/entities/${[kind.toLocaleLowerCase('en-US'), namespace, name]
    .map(encodeURIComponent)
    .join('/')}`;
}

/**
 * The canonical full ref (`component:hello` → `component:default/hello`):
 * the alerts route refuses anything less, and the error history stores refs
 * in this form.
 */
export function fullRef(entityRef: string): string {
  return stringifyEntityRef(parseEntityRef(entityRef));
}

/** Only the parameters the error routes know: they refuse any other with a 400. */
export function errorFilters(query: InstanceErrorsQuery): QueryParams {
  return {
    category: query.category,
    severity: query.severity,
    code: query.code,
    from: query.from,
    to: query.to,
    limit: query.limit,
    cursor: query.cursor,
  };
}

export type QueryParams = Record<string, QueryTime | number | undefined>;

/**
 * `?a=1&b=2` from the defined parameters (`''` when none). Dates go as ISO
 * 8601 in UTC: the backend requires times with a zone.
 */
export function queryString(params: QueryParams): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === '') continue;
    query.set(key, value instanceof Date ? value.toISOString() : String(value));
  }
  const text = query.toString();
  return text ? `?${text}` : '';
}

export function instancePath(id: string): string {
  return `/instances/${encodeURIComponent(id)}`;
}

export function logsPath(
  id: string,
  stream: string,
  tail?: LogTail,
  follow?: boolean,
): string {
  const query = new URLSearchParams({ stream });
  if (tail !== undefined) query.set('tail', String(tail));
  if (follow) query.set('follow', 'true');
  return `${instancePath(id)}/logs?${query}`;
}

/** `/entities/:kind/:namespace/:name/gateway` plus `rest`. */
export function gatewayPath(entityRef: string, rest = ''): string {
  return `${entityPath(entityRef)}/gateway${rest}`;
}

/** The routes or providers collection of an entity, or one bundle in it. */
export function bundlePath(
  entityRef: string,
  type: GatewayBundleType,
  name?: string,
): string {
  const collection = type === 'route' ? 'routes' : 'providers';
  return gatewayPath(
    entityRef,
    `/${collection}${name === undefined ? '' : `/${encodeURIComponent(name)}`}`,
  );
}

/** A JSON request: the backend refuses bodies of any other type (but import). */
export function jsonBody(method: string, body: unknown): RequestInit {
  return {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  };
}
