import type { ResourceType } from './resourceTypes';

/*
 * Maps an API server URL path to what it names: a discovery document, or a
 * resource collection / object / subresource, e.g.
 * `/apis/gateway.networking.k8s.io/v1/namespaces/team-a/httproutes/web/status`.
 */

export type ParsedPath =
  | { kind: 'version' }
  | { kind: 'api' }
  | { kind: 'apis' }
  | { kind: 'group'; group: string }
  | { kind: 'groupVersion'; group: string; version: string }
  | {
      kind: 'resource';
      type: ResourceType;
      version: string;
      namespace?: string;
      name?: string;
      subresource?: 'status';
    };

type FindType = (
  group: string,
  version: string,
  plural: string,
) => ResourceType | undefined;

function resourcePath(
  group: string,
  version: string,
  rest: string[],
  findType: FindType,
): ParsedPath | undefined {
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const type = findType(group, version, rest[2]);
    if (type?.namespaced) {
      return objectPath(type, version, rest[1], rest.slice(3));
    }
  }
  const type = findType(group, version, rest[0]);
  if (!type) return undefined;
  // A namespaced object is only addressed inside its namespace.
  if (type.namespaced && rest.length > 1) return undefined;
  return objectPath(type, version, undefined, rest.slice(1));
}

function objectPath(
  type: ResourceType,
  version: string,
  namespace: string | undefined,
  rest: string[],
): ParsedPath | undefined {
  if (rest.length > 2) return undefined;
  if (rest.length === 2 && rest[1] !== 'status') return undefined;
  return {
    kind: 'resource',
    type,
    version,
    ...(namespace !== undefined ? { namespace } : {}),
    ...(rest[0] !== undefined ? { name: rest[0] } : {}),
    ...(rest[1] === 'status' ? { subresource: 'status' as const } : {}),
  };
}

export function parseRequestPath(
  pathname: string,
  findType: FindType,
): ParsedPath | undefined {
  let segments: string[];
  try {
    segments = pathname
      .split('/')
      .filter(s => s.length > 0)
      .map(decodeURIComponent);
  } catch {
    return undefined;
  }
  const [root, second, third, ...rest] = segments;
  if (root === 'version' && segments.length === 1) return { kind: 'version' };
  if (root === 'api') {
    if (segments.length === 1) return { kind: 'api' };
    if (second !== 'v1') return undefined;
    if (segments.length === 2)
      return { kind: 'groupVersion', group: '', version: 'v1' };
    return resourcePath('', 'v1', segments.slice(2), findType);
  }
  if (root === 'apis') {
    if (segments.length === 1) return { kind: 'apis' };
    if (segments.length === 2) return { kind: 'group', group: second };
    if (segments.length === 3)
      return { kind: 'groupVersion', group: second, version: third };
    return resourcePath(second, third, rest, findType);
  }
  return undefined;
}
