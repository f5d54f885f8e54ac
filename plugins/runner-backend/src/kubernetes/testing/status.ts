import type { GatewayFinding } from '@internal/plugin-runner-common';
import { renderApiServerError } from '../../gateway/validation/apiServerError';
import type { ResourceType } from './resourceTypes';

/*
 * `metav1.Status` failures with the API server's reasons, codes and message
 * formats (k8s.io/apimachinery/pkg/api/errors), so that clients and the
 * plugin's error mapping see what a real cluster would send.
 */

export interface ApiStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: Record<string, unknown>;
  code: number;
}

/** Thrown inside the test server; the router turns it into the response. */
export class ApiStatusError extends Error {
  constructor(readonly status: ApiStatus) {
    super(status.message);
  }
}

function failure(
  code: number,
  reason: string,
  message: string,
  details?: Record<string, unknown>,
): ApiStatusError {
  return new ApiStatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  });
}

/** `httproutes.gateway.networking.k8s.io`, or `secrets` for the core group. */
export function qualifiedResource(type: ResourceType): string {
  return type.group ? `${type.plural}.${type.group}` : type.plural;
}

function detailsOf(type: ResourceType, name?: string) {
  return {
    ...(name !== undefined ? { name } : {}),
    ...(type.group ? { group: type.group } : {}),
    kind: type.plural,
  };
}

export const statusErrors = {
  notFound(type: ResourceType, name: string) {
    return failure(
      404,
      'NotFound',
      `${qualifiedResource(type)} "${name}" not found`,
      detailsOf(type, name),
    );
  },
  pathNotFound() {
    return failure(
      404,
      'NotFound',
      'the server could not find the requested resource',
      {},
    );
  },
  alreadyExists(type: ResourceType, name: string) {
    return failure(
      409,
      'AlreadyExists',
      `${qualifiedResource(type)} "${name}" already exists`,
      detailsOf(type, name),
    );
  },
  conflict(type: ResourceType, name: string) {
    return failure(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualifiedResource(
        type,
      )} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      detailsOf(type, name),
    );
  },
  badRequest(message: string) {
    return failure(400, 'BadRequest', message);
  },
  unauthorized() {
    return failure(401, 'Unauthorized', 'Unauthorized');
  },
  forbidden(
    type: ResourceType,
    verb: string,
    user: string,
    namespace?: string,
    name?: string,
  ) {
    const subject = name
      ? `${qualifiedResource(type)} "${name}"`
      : qualifiedResource(type);
    let where = type.namespaced ? '' : ' at the cluster scope';
    if (namespace) where = ` in the namespace "${namespace}"`;
    return failure(
      403,
      'Forbidden',
      `${subject} is forbidden: User "${user}" cannot ${verb} resource "${type.plural}" in API group "${type.group}"${where}`,
      detailsOf(type, name),
    );
  },
  methodNotAllowed() {
    return failure(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
    );
  },
  unsupportedMediaType(contentType: string, accepted: string[]) {
    return failure(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format (${contentType}) - accepted media types include: ${accepted.join(
        ', ',
      )}`,
    );
  },
  gone(requested: string, oldest: number) {
    return failure(
      410,
      'Expired',
      `too old resource version: ${requested} (${oldest})`,
    );
  },
  invalid(
    type: ResourceType,
    ref: { apiVersion: string; kind: string; name: string },
    findings: GatewayFinding[],
  ) {
    const errors = findings.filter(f => f.severity === 'error');
    return failure(422, 'Invalid', renderApiServerError(ref, errors), {
      name: ref.name,
      ...(type.group ? { group: type.group } : {}),
      kind: ref.kind,
      causes: errors.map(f => ({
        reason: causeReason(f.message),
        message: f.message,
        field: f.path,
      })),
    });
  },
};

/** The `metav1.CauseType` of a field error, from its rendered message. */
function causeReason(message: string): string {
  const prefixes: Array<[string, string]> = [
    ['Required value', 'FieldValueRequired'],
    ['Invalid value', 'FieldValueInvalid'],
    ['Unsupported value', 'FieldValueNotSupported'],
    ['Duplicate value', 'FieldValueDuplicate'],
    ['Too long', 'FieldValueTooLong'],
    ['Too many', 'FieldValueTooMany'],
    ['Forbidden', 'FieldValueForbidden'],
    ['Internal error', 'InternalError'],
  ];
  return (
    prefixes.find(([prefix]) => message.startsWith(prefix))?.[1] ??
    'FieldValueInvalid'
  );
}

export function successStatus(
  type: ResourceType,
  name: string,
  uid: string,
): ApiStatus {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: { ...detailsOf(type, name), uid },
    code: 200,
  };
}
