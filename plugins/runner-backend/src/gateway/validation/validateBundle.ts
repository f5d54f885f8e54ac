import type {
  GatewayFinding,
  GatewayUnverifiedKind,
} from '@internal/plugin-runner-common';
import type { CrdRegistry } from './CrdRegistry';
import {
  ObjectValidator,
  objectRefOf,
  type ObjectValidationOptions,
} from './ObjectValidator';
import { isPlainObject } from './schemaWalk';
import { runBusinessRules, type BusinessRuleOptions } from './rules';

export interface BundleValidationOptions extends BusinessRuleOptions {
  /** Live objects by `kind/namespace/name`, for transition rules on update. */
  oldObjects?: Map<string, Record<string, unknown>>;
  /** Collects the kinds that were not checked against a schema, and why. */
  unverified?: UnverifiedKinds;
}

/** The kinds a validation could not check against a schema, one entry per apiVersion and kind. */
export class UnverifiedKinds {
  readonly #byKind = new Map<string, GatewayUnverifiedKind>();

  add(object: unknown, reason: string) {
    const ref = objectRefOf(isPlainObject(object) ? object : {});
    const key = `${ref.apiVersion}|${ref.kind}`;
    if (!this.#byKind.has(key)) {
      this.#byKind.set(key, {
        apiVersion: ref.apiVersion,
        kind: ref.kind,
        reason,
      });
    }
  }

  list(): GatewayUnverifiedKind[] {
    return [...this.#byKind.values()];
  }
}

export function objectKey(object: Record<string, any>): string {
  return `${object.kind}/${object.metadata?.namespace ?? ''}/${
    object.metadata?.name ?? ''
  }`;
}

/**
 * The in-process validation layers: business rules, then each object's CRD
 * schema and CEL rules. (Server-side dry-run, the third layer, needs a
 * cluster and lives with the Kubernetes client.)
 */
export class GatewayValidator {
  readonly #objects: ObjectValidator;

  constructor(registry: CrdRegistry | undefined) {
    this.#objects = new ObjectValidator(registry);
  }

  validateObject(
    object: unknown,
    options: ObjectValidationOptions = {},
  ): GatewayFinding[] {
    return this.#objects.validate(object, options);
  }

  validateBundle(
    objects: unknown[],
    options: BundleValidationOptions = {},
  ): GatewayFinding[] {
    return [
      ...runBusinessRules(objects, options),
      ...objects.flatMap(object =>
        this.#objects.validate(object, {
          oldObject:
            object && typeof object === 'object'
              ? options.oldObjects?.get(objectKey(object))
              : undefined,
          onUnverified: options.unverified
            ? reason => options.unverified!.add(object, reason)
            : undefined,
        }),
      ),
    ];
  }
}

/** Convenience for one-off checks; keep a GatewayValidator to reuse compiled schemas and rules. */
export function validateBundle(
  objects: unknown[],
  registry: CrdRegistry | undefined,
  options: BundleValidationOptions = {},
): GatewayFinding[] {
  return new GatewayValidator(registry).validateBundle(objects, options);
}

export function hasErrors(findings: GatewayFinding[]): boolean {
  return findings.some(f => f.severity === 'error');
}
