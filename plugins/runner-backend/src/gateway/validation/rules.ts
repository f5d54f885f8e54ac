import type { GatewayFinding } from '@internal/plugin-runner-common';
import { GATEWAY_OWNERSHIP } from '@internal/plugin-runner-common';
import { objectRef, type KubernetesObject } from '../bundle';
import { entityLabelValue, normalizeEntityRef } from '../ownership';
import { aiGatewayRouteRules } from './aiGatewayRules';
import { credentialRules } from './credentialRules';
import { fieldError } from './fieldErrors';
import { childPath, indexPath } from './fieldPath';
import { hostnameProblem, type HostnameField } from './hostnames';
import { isPlainObject } from './schemaWalk';

/*
 * The plugin's business rules, the first validation layer: things the CRDs
 * cannot say or that should be said more precisely, checked across the whole
 * bundle. Each finding names the object and the JSON path.
 */

export interface BusinessRuleOptions {
  /** When given, every object must carry this entity's ownership labels and annotation. */
  entityRef?: string;
  /** When given, every object must carry this bundle label, so the bundle is listed, edited and deleted as one. */
  bundle?: string;
}

function at(object: KubernetesObject, finding: GatewayFinding): GatewayFinding {
  return { ...finding, object: objectRef(object) };
}

function uniqueNames(objects: KubernetesObject[]): GatewayFinding[] {
  const seen = new Map<string, KubernetesObject>();
  const findings: GatewayFinding[] = [];
  for (const object of objects) {
    const id = `${object.apiVersion}|${object.kind}|${
      object.metadata.namespace ?? ''
    }|${object.metadata.name}`;
    const first = seen.get(id);
    if (first) {
      const finding = fieldError.duplicate(
        'metadata.name',
        object.metadata.name,
        'rule',
      );
      finding.message += `: another ${object.kind} in this bundle has the same name`;
      findings.push(at(object, finding));
    } else {
      seen.set(id, object);
    }
  }
  return findings;
}

function oneNamespace(objects: KubernetesObject[]): GatewayFinding[] {
  const namespace = objects[0]?.metadata.namespace;
  return objects
    .filter(o => o.metadata.namespace !== namespace)
    .map(o =>
      at(
        o,
        fieldError.invalid(
          'metadata.namespace',
          o.metadata.namespace ?? '',
          `all objects of a bundle must be in one namespace (${
            namespace ?? 'none'
          }): the plugin keeps an entity's gateway objects in the namespace its annotation names, and refers to them there by name`,
          'rule',
        ),
      ),
    );
}

function ownership(
  objects: KubernetesObject[],
  entityRef: string,
  bundle: string | undefined,
): GatewayFinding[] {
  const label = entityLabelValue(entityRef);
  const ref = normalizeEntityRef(entityRef);
  const findings: GatewayFinding[] = [];
  for (const object of objects) {
    const labels = object.metadata.labels ?? {};
    const annotations = object.metadata.annotations ?? {};
    const expect = (
      path: string,
      actual: string | undefined,
      wanted: string,
    ) => {
      if (actual === wanted) return;
      findings.push(
        at(
          object,
          actual === undefined
            ? fieldError.required(
                path,
                'rule',
                `the plugin only writes objects marked with their owning entity (${wanted})`,
              )
            : fieldError.invalid(
                path,
                actual,
                `must be ${JSON.stringify(
                  wanted,
                )}: the object belongs to ${ref}`,
                'rule',
              ),
        ),
      );
    };
    expect(
      `metadata.labels[${GATEWAY_OWNERSHIP.managedByLabel}]`,
      labels[GATEWAY_OWNERSHIP.managedByLabel],
      GATEWAY_OWNERSHIP.managedByValue,
    );
    expect(
      `metadata.labels[${GATEWAY_OWNERSHIP.entityLabel}]`,
      labels[GATEWAY_OWNERSHIP.entityLabel],
      label,
    );
    expect(
      `metadata.annotations[${GATEWAY_OWNERSHIP.entityRefAnnotation}]`,
      annotations[GATEWAY_OWNERSHIP.entityRefAnnotation],
      ref,
    );
    if (bundle !== undefined) {
      expect(
        `metadata.labels[${GATEWAY_OWNERSHIP.bundleLabel}]`,
        labels[GATEWAY_OWNERSHIP.bundleLabel],
        bundle,
      );
    }
  }
  return findings;
}

/** Host-name fields of the kinds the plugin writes, and whether `*.` is allowed there. */
function hostnameFields(
  object: KubernetesObject,
): Array<{ path: string; value: unknown; field: HostnameField }> {
  const spec = isPlainObject(object.spec) ? object.spec : {};
  const fields: Array<{
    path: string;
    value: unknown;
    field: HostnameField;
  }> = [];
  if (
    ['HTTPRoute', 'AIGatewayRoute', 'GRPCRoute'].includes(object.kind) &&
    Array.isArray(spec.hostnames)
  ) {
    spec.hostnames.forEach((value, i) =>
      fields.push({
        path: indexPath('spec.hostnames', i),
        value,
        field: 'route',
      }),
    );
  }
  if (object.kind === 'Backend' && Array.isArray(spec.endpoints)) {
    spec.endpoints.forEach((endpoint, i) => {
      if (isPlainObject(endpoint) && isPlainObject(endpoint.fqdn)) {
        const value = String(endpoint.fqdn.hostname ?? '').replace(/\.$/, '');
        fields.push({
          path: childPath(indexPath('spec.endpoints', i), 'fqdn.hostname'),
          value,
          field: 'backend',
        });
      }
    });
  }
  if (object.kind === 'BackendTLSPolicy' && isPlainObject(spec.validation)) {
    fields.push({
      path: 'spec.validation.hostname',
      value: spec.validation.hostname,
      field: 'tls',
    });
  }
  return fields;
}

function hostnames(objects: KubernetesObject[]): GatewayFinding[] {
  const findings: GatewayFinding[] = [];
  for (const object of objects) {
    for (const { path, value, field } of hostnameFields(object)) {
      const problem =
        typeof value === 'string'
          ? hostnameProblem(value, field)
          : { severity: 'error' as const, message: 'must be a string' };
      if (problem) {
        findings.push(
          at(object, {
            ...fieldError.invalid(path, value, problem.message, 'rule'),
            severity: problem.severity,
          }),
        );
      }
    }
  }
  return findings;
}

function isKubernetesObject(value: unknown): value is KubernetesObject {
  return (
    isPlainObject(value) &&
    typeof value.apiVersion === 'string' &&
    typeof value.kind === 'string' &&
    isPlainObject(value.metadata) &&
    typeof value.metadata.name === 'string'
  );
}

/**
 * Runs every business rule over a bundle. Objects without apiVersion, kind
 * or metadata.name are skipped here; the schema layer reports them.
 */
export function runBusinessRules(
  objects: unknown[],
  options: BusinessRuleOptions = {},
): GatewayFinding[] {
  const typed = objects.filter(isKubernetesObject);
  return [
    ...uniqueNames(typed),
    ...oneNamespace(typed),
    ...(options.entityRef
      ? ownership(typed, options.entityRef, options.bundle)
      : []),
    ...hostnames(typed),
    ...typed
      .filter(o => o.kind === 'AIGatewayRoute')
      .flatMap(route => aiGatewayRouteRules(route).map(f => at(route, f))),
    ...credentialRules(typed),
  ];
}
