import type { GatewayFinding } from '@internal/plugin-runner-common';
import { fieldError } from './fieldErrors';
import { keyPath } from './fieldPath';
import { objectMetaExtraFindings } from './objectMetaExtras';
import { isPlainObject } from './schemaWalk';

/*
 * The ObjectMeta checks the API server runs on every object it creates
 * (apimachinery's ValidateObjectMeta), with its messages, so a finding reads
 * like the `kubectl apply` error it prevents.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const TOTAL_ANNOTATION_SIZE = 256 * 1024;

const MSG = {
  subdomain:
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  label:
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
  namePart:
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
  labelValue:
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
};

/** RFC 1123 subdomain problems, as apimachinery's IsDNS1123Subdomain words them. */
export function dns1123SubdomainErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 253) errors.push('must be no more than 253 characters');
  if (!DNS1123_SUBDOMAIN.test(value)) errors.push(MSG.subdomain);
  return errors;
}

/** RFC 1123 label problems, as apimachinery's IsDNS1123Label words them. */
export function dns1123LabelErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 63) errors.push('must be no more than 63 characters');
  if (!DNS1123_LABEL.test(value)) errors.push(MSG.label);
  return errors;
}

/** Label/annotation key problems (apimachinery's IsQualifiedName). */
export function qualifiedNameErrors(value: string): string[] {
  const parts = value.split('/');
  if (parts.length > 2) {
    return [
      `${MSG.namePart.replace(
        'name part must',
        'a qualified name must',
      )} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
  const errors: string[] = [];
  if (prefix !== undefined) {
    if (prefix.length === 0) errors.push('prefix part must be non-empty');
    else {
      errors.push(
        ...dns1123SubdomainErrors(prefix).map(e => `prefix part ${e}`),
      );
    }
  }
  if (name.length === 0) errors.push('name part must be non-empty');
  else if (name.length > 63) {
    errors.push('name part must be no more than 63 characters');
  }
  if (name.length > 0 && !QUALIFIED_NAME_PART.test(name)) {
    errors.push(MSG.namePart);
  }
  return errors;
}

export function labelValueErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 63) errors.push('must be no more than 63 characters');
  if (!LABEL_VALUE.test(value)) errors.push(MSG.labelValue);
  return errors;
}

export interface ObjectMetaOptions {
  namespaced: boolean;
  /** A built-in kind (Secret): finalizers without a domain must be standard ones. */
  builtIn?: boolean;
}

// JSON null decodes to Go's zero value: no map, an empty string.
const orEmpty = (value: unknown) => (value === null ? '' : value);

/** Finalizers without a `/` that built-in kinds accept (apimachinery's standard ones). */
const STANDARD_FINALIZERS = new Set([
  'kubernetes',
  'orphan',
  'foregroundDeletion',
]);

function finalizerFindings(
  finalizers: unknown,
  builtIn: boolean,
): GatewayFinding[] {
  if (finalizers === undefined || finalizers === null) return [];
  if (!Array.isArray(finalizers)) {
    return [
      fieldError.invalid(
        'metadata.finalizers',
        finalizers,
        'must be a list of strings',
        'schema',
      ),
    ];
  }
  const findings: GatewayFinding[] = [];
  finalizers.forEach((raw, i) => {
    const name = orEmpty(raw);
    if (typeof name !== 'string') {
      findings.push(
        fieldError.invalid(
          `metadata.finalizers[${i}]`,
          name,
          'must be a string',
          'schema',
        ),
      );
      return;
    }
    for (const error of qualifiedNameErrors(name)) {
      findings.push(
        fieldError.invalid('metadata.finalizers', name, error, 'schema'),
      );
    }
    if (builtIn && !name.includes('/') && !STANDARD_FINALIZERS.has(name)) {
      findings.push(
        fieldError.invalid(
          `metadata.finalizers[${i}]`,
          name,
          'name is neither a standard finalizer name nor is it fully qualified',
          'schema',
        ),
      );
    }
  });
  return findings;
}

export function validateObjectMeta(
  metadata: unknown,
  { namespaced, builtIn = false }: ObjectMetaOptions,
): GatewayFinding[] {
  const findings: GatewayFinding[] = [];
  if (!isPlainObject(metadata)) {
    return [
      fieldError.required(
        'metadata.name',
        'schema',
        'name or generateName is required',
      ),
    ];
  }
  const { name, generateName, namespace, finalizers } = metadata;
  const labels = orEmpty(metadata.labels);
  const annotations = orEmpty(metadata.annotations);
  if (name === undefined || name === '') {
    if (!generateName) {
      findings.push(
        fieldError.required(
          'metadata.name',
          'schema',
          'name or generateName is required',
        ),
      );
    }
  } else if (typeof name !== 'string') {
    findings.push(
      fieldError.invalid('metadata.name', name, 'must be a string', 'schema'),
    );
  } else {
    for (const error of dns1123SubdomainErrors(name)) {
      findings.push(fieldError.invalid('metadata.name', name, error, 'schema'));
    }
  }
  if (namespace !== undefined && namespace !== '') {
    if (!namespaced) {
      findings.push(
        fieldError.forbidden(
          'metadata.namespace',
          'schema',
          'not allowed on this type',
        ),
      );
    } else if (typeof namespace !== 'string') {
      findings.push(
        fieldError.invalid(
          'metadata.namespace',
          namespace,
          'must be a string',
          'schema',
        ),
      );
    } else {
      for (const error of dns1123LabelErrors(namespace)) {
        findings.push(
          fieldError.invalid('metadata.namespace', namespace, error, 'schema'),
        );
      }
    }
  }
  if (labels !== undefined && labels !== '') {
    if (!isPlainObject(labels)) {
      findings.push(
        fieldError.invalid(
          'metadata.labels',
          labels,
          'must be a map of strings',
          'schema',
        ),
      );
    } else {
      for (const [key, raw] of Object.entries(labels)) {
        const value = orEmpty(raw);
        for (const error of qualifiedNameErrors(key)) {
          findings.push(
            fieldError.invalid('metadata.labels', key, error, 'schema'),
          );
        }
        if (typeof value !== 'string') {
          findings.push(
            fieldError.invalid(
              keyPath('metadata.labels', key),
              value,
              'must be a string',
              'schema',
            ),
          );
          continue;
        }
        for (const error of labelValueErrors(value)) {
          findings.push(
            fieldError.invalid('metadata.labels', value, error, 'schema'),
          );
        }
      }
    }
  }
  if (annotations !== undefined && annotations !== '') {
    if (!isPlainObject(annotations)) {
      findings.push(
        fieldError.invalid(
          'metadata.annotations',
          annotations,
          'must be a map of strings',
          'schema',
        ),
      );
    } else {
      let size = 0;
      for (const [key, raw] of Object.entries(annotations)) {
        const value = orEmpty(raw);
        for (const error of qualifiedNameErrors(key.toLowerCase())) {
          findings.push(
            fieldError.invalid('metadata.annotations', key, error, 'schema'),
          );
        }
        if (typeof value !== 'string') {
          findings.push(
            fieldError.invalid(
              keyPath('metadata.annotations', key),
              value,
              'must be a string',
              'schema',
            ),
          );
          continue;
        }
        size += Buffer.byteLength(key) + Buffer.byteLength(value);
      }
      if (size > TOTAL_ANNOTATION_SIZE) {
        findings.push(
          fieldError.tooLong(
            'metadata.annotations',
            TOTAL_ANNOTATION_SIZE,
            'schema',
          ),
        );
      }
    }
  }
  findings.push(
    ...objectMetaExtraFindings(metadata, {
      builtIn,
      nameErrors: dns1123SubdomainErrors,
    }),
  );
  findings.push(...finalizerFindings(finalizers, builtIn));
  return findings;
}
