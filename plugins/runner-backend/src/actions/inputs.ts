import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { z as zod } from 'zod/v3';

/*
 * Input fields the actions share. The actions registry hands the schema
 * builders its own zod (v3); when a field does not parse, the registry's
 * error, and so the MCP tool's error text, carries these messages with the
 * field's path, so each message names the field and the fix.
 */

type Z = typeof zod;

// kind:namespace/name, or kind:name in the default namespace (catalog name rules).
const ENTITY_REF =
  /^[A-Za-z][A-Za-z0-9]{0,62}:([A-Za-z0-9][A-Za-z0-9._-]{0,62}\/)?[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const MAX_LOG_LINES = 1000;
export const MAX_YAML_CHARS = 1_000_000;

export function entityRefField(z: Z) {
  return z
    .string({
      required_error:
        'entityRef is required: a catalog entity ref such as component:default/hello-http',
      invalid_type_error:
        'entityRef must be a string such as component:default/hello-http',
    })
    .regex(
      ENTITY_REF,
      'entityRef must be a catalog entity ref such as component:default/hello-http',
    )
    .transform(ref => stringifyEntityRef(parseEntityRef(ref)))
    .describe('The catalog entity, e.g. component:default/hello-http');
}

export function instanceIdField(z: Z) {
  return z
    .string({
      required_error:
        'instanceId is required: the id of an instance (list-instances gives them)',
      invalid_type_error: 'instanceId must be a string (a UUID)',
    })
    .regex(
      UUID,
      'instanceId must be an instance id (a UUID from list-instances)',
    )
    .describe('The instance id (a UUID), as list-instances returns it');
}

export function gatewayYamlFields(z: Z) {
  return {
    entityRef: entityRefField(z),
    yaml: z
      .string({
        required_error:
          'yaml is required: the Kubernetes objects as multi-document YAML',
        invalid_type_error: 'yaml must be a string of multi-document YAML',
      })
      .min(1, 'yaml must not be empty')
      .max(MAX_YAML_CHARS, `yaml must be at most ${MAX_YAML_CHARS} characters`)
      .describe(
        'Gateway resources (HTTPRoute, AIGatewayRoute, AIServiceBackend, Backend, Secret, …) as multi-document YAML',
      ),
    bundle: z
      .string({ invalid_type_error: 'bundle must be a string' })
      .max(63, 'bundle must be at most 63 characters')
      .regex(
        /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
        'bundle must be a bundle name: a lowercase RFC 1123 label such as my-route',
      )
      .optional()
      .describe(
        'The bundle the objects belong to, when the YAML does not say (its runner labels)',
      ),
  };
}

/**
 * An object as the runner's REST API returns it (RunnerInstance, Alert, …),
 * passed through whole: listing its fields here would drop any field added
 * later, and MCP clients read the JSON text anyway.
 */
export function apiObject(z: Z, what: string) {
  return z.unknown().describe(what);
}
