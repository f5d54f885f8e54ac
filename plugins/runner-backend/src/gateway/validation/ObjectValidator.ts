import type {
  GatewayFinding,
  GatewayObjectRef,
} from '@internal/plugin-runner-common';
import { CelValidator } from './cel/CelValidator';
import type { CrdRegistry } from './CrdRegistry';
import { validateSecret } from './coreSecret';
import { validateObjectMeta } from './objectMeta';
import { OpenApiValidator } from './openApiValidator';
import { isPlainObject } from './schemaWalk';
import { pruneAndDefault, validateListTypes } from './structural';

/*
 * Validates one object the way the API server would on create (or update,
 * with `oldObject`): ObjectMeta, unknown-field pruning and defaults, the
 * CRD's OpenAPI schema, list-type uniqueness, then its CEL rules.
 */

export interface ObjectValidationOptions {
  oldObject?: Record<string, unknown>;
}

export function objectRefOf(object: Record<string, unknown>): GatewayObjectRef {
  const metadata = isPlainObject(object.metadata) ? object.metadata : {};
  return {
    apiVersion: String(object.apiVersion ?? ''),
    kind: String(object.kind ?? ''),
    ...(typeof metadata.name === 'string' ? { name: metadata.name } : {}),
    ...(typeof metadata.namespace === 'string'
      ? { namespace: metadata.namespace }
      : {}),
  };
}

/*
 * With a status subresource, the API server drops `status` from a create and
 * keeps the stored one on an update of the object itself, so the status a
 * caller sends is neither validated nor written.
 */
function withStoredStatus(
  object: Record<string, unknown>,
  oldObject: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const { status: _ignored, ...rest } = object;
  return oldObject?.status === undefined
    ? rest
    : { ...rest, status: oldObject.status };
}

export class ObjectValidator {
  readonly #registry: CrdRegistry | undefined;
  readonly #openApi: OpenApiValidator;
  readonly #cel: CelValidator;

  constructor(
    registry: CrdRegistry | undefined,
    deps: { openApi?: OpenApiValidator; cel?: CelValidator } = {},
  ) {
    this.#registry = registry;
    this.#openApi = deps.openApi ?? new OpenApiValidator();
    this.#cel = deps.cel ?? new CelValidator();
  }

  validate(
    object: unknown,
    options: ObjectValidationOptions = {},
  ): GatewayFinding[] {
    if (!isPlainObject(object)) {
      return [
        {
          path: '',
          message: 'Invalid value: an object must be a JSON/YAML map',
          severity: 'error',
          source: 'schema',
        },
      ];
    }
    const ref = objectRefOf(object);
    return this.#findings(object, ref, options).map(finding => ({
      ...finding,
      object: ref,
    }));
  }

  #findings(
    object: Record<string, unknown>,
    ref: GatewayObjectRef,
    options: ObjectValidationOptions,
  ): GatewayFinding[] {
    const missing = (['apiVersion', 'kind'] as const).filter(
      field => typeof object[field] !== 'string' || object[field] === '',
    );
    if (missing.length > 0) {
      return missing.map(field => ({
        path: field,
        message: 'Required value: must be set',
        severity: 'error' as const,
        source: 'schema' as const,
      }));
    }
    if (ref.apiVersion === 'v1' && ref.kind === 'Secret') {
      return validateSecret(object);
    }
    const crd = this.#registry?.get(ref.apiVersion, ref.kind);
    if (!crd) {
      return [
        {
          path: '',
          message: `no CRD for ${ref.kind} ${ref.apiVersion} is loaded; its schema and CEL rules were not checked`,
          severity: 'warning',
          source: 'schema',
        },
      ];
    }
    const findings = validateObjectMeta(object.metadata, {
      namespaced: crd.scope === 'Namespaced',
    });
    if (crd.deprecated) {
      findings.push({
        path: 'apiVersion',
        message: `${crd.group}/${crd.version} ${crd.kind} is deprecated`,
        severity: 'warning',
        source: 'schema',
      });
    }
    const { object: normalized, warnings } = pruneAndDefault(
      crd.schema,
      crd.statusSubresource
        ? withStoredStatus(object, options.oldObject)
        : object,
    );
    const oldObject = options.oldObject
      ? pruneAndDefault(crd.schema, options.oldObject).object
      : undefined;
    findings.push(
      ...warnings,
      ...this.#openApi.validate(crd.schema, normalized),
      ...validateListTypes(crd.schema, normalized),
      ...this.#cel.validate(crd.schema, normalized, { oldObject }),
    );
    return findings;
  }
}
