import type { GatewayFinding } from '@internal/plugin-runner-common';
import { fieldError } from './fieldErrors';
import { childPath, keyPath } from './fieldPath';
import { validateObjectMeta } from './objectMeta';
import { isPlainObject } from './schemaWalk';

/*
 * core/v1 Secret has no CRD; these are the API server's checks for it
 * (ValidateSecret). Secret values are write-only: no finding ever contains
 * one, only key names.
 */

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const CONFIG_KEY_MESSAGE =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
const MAX_SECRET_SIZE = 1024 * 1024;
const BASE64 =
  /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const KNOWN_FIELDS = new Set([
  'apiVersion',
  'kind',
  'metadata',
  'data',
  'stringData',
  'type',
  'immutable',
]);

function keyErrors(field: string, key: string): GatewayFinding[] {
  const findings: GatewayFinding[] = [];
  if (key.length > 253) {
    findings.push(
      fieldError.invalid(
        field,
        key,
        'must be no more than 253 characters',
        'schema',
      ),
    );
  }
  if (!CONFIG_KEY.test(key)) {
    findings.push(fieldError.invalid(field, key, CONFIG_KEY_MESSAGE, 'schema'));
  }
  if (key === '.' || key === '..' || key.startsWith('..')) {
    findings.push(
      fieldError.invalid(
        field,
        key,
        `must not be '.' or '..' or start with '..'`,
        'schema',
      ),
    );
  }
  return findings;
}

export function validateSecret(
  secret: Record<string, unknown>,
): GatewayFinding[] {
  const findings = validateObjectMeta(secret.metadata, { namespaced: true });
  for (const name of Object.keys(secret)) {
    if (!KNOWN_FIELDS.has(name)) {
      findings.push({
        path: name,
        message: `unknown field "${name}"`,
        severity: 'warning',
        source: 'schema',
      });
    }
  }
  if (secret.type !== undefined && typeof secret.type !== 'string') {
    findings.push(
      fieldError.invalid(
        'type',
        typeof secret.type,
        'must be a string',
        'schema',
      ),
    );
  }
  let size = 0;
  for (const field of ['data', 'stringData'] as const) {
    const entries = secret[field];
    if (entries === undefined || entries === null) continue;
    if (!isPlainObject(entries)) {
      findings.push(
        fieldError.invalid(
          field,
          typeof entries,
          'must be a map of strings',
          'schema',
        ),
      );
      continue;
    }
    for (const [key, value] of Object.entries(entries)) {
      findings.push(...keyErrors(childPath(field, key), key));
      if (typeof value !== 'string') {
        findings.push({
          path: keyPath(field, key),
          message: 'Invalid value: must be a string',
          severity: 'error',
          source: 'schema',
        });
        continue;
      }
      if (field === 'data' && !BASE64.test(value)) {
        // The API server rejects this while decoding; the value itself is never echoed.
        findings.push({
          path: keyPath(field, key),
          message: 'Invalid value: illegal base64 data',
          severity: 'error',
          source: 'schema',
        });
        continue;
      }
      size +=
        field === 'data'
          ? Buffer.from(value, 'base64').length
          : Buffer.byteLength(value);
    }
  }
  if (size > MAX_SECRET_SIZE) {
    findings.push(fieldError.tooLong('data', MAX_SECRET_SIZE, 'schema'));
  }
  return findings;
}
