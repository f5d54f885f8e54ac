import type {
  GatewayFinding,
  GatewayObjectRef,
} from '@internal/plugin-runner-common';
import { CelValidator } from './cel/CelValidator';
import type { CrdRegistry } from './CrdRegistry';
import { validateSecret } from './coreSecret';
import { fieldError } from './fieldErrors';
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
  /**
   * Told, with the reason, when the object was not (fully) checked against a
   * schema: no CRD for its kind, a schema that cannot be compiled, CEL rules
   * past their time budget. Its findings then say only what was checked.
   */
  onUnverified?: (reason: string) => void;
}

/*
 * Schema errors after which the API server does not run the CEL rules
 * (apiextensions-apiserver's hasBlockingErr): type, required, enum and size
 * violations mean the object lacks the shape the rules were written for. It
 * also bounds the rules' cost: a list past its maxItems is never iterated.
 */
const BLOCKING =
  /^(Required value|Unsupported value|Too long|Too many)|: must be of type /;
const NOT_CHECKED =
  'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation';

function hasBlockingError(findings: GatewayFinding[]): boolean {
  return findings.some(f => f.severity === 'error' && BLOCKING.test(f.message));
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
      options.onUnverified?.(
        `no CRD for ${ref.kind} ${ref.apiVersion} is loaded`,
      );
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
      ...this.#openApi.validate(crd.schema, normalized, options.onUnverified),
      ...validateListTypes(crd.schema, normalized),
    );
    if (hasBlockingError(findings)) {
      findings.push(fieldError.invalid('', null, NOT_CHECKED, 'cel'));
      return findings;
    }
    findings.push(
      ...this.#cel.validate(crd.schema, normalized, {
        oldObject,
        onUnverified: options.onUnverified,
      }),
    );
    return findings;
  }
}
