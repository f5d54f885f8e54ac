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

const REQUIRED_KEYS: Record<
  string,
  { all?: string[]; any?: string[]; nonEmpty?: string[] }
> = {
  'kubernetes.io/tls': { all: ['tls.crt', 'tls.key'] },
  'kubernetes.io/basic-auth': { any: ['username', 'password'] },
  'kubernetes.io/ssh-auth': { nonEmpty: ['ssh-privatekey'] },
  'kubernetes.io/dockercfg': { all: ['.dockercfg'] },
  'kubernetes.io/dockerconfigjson': { all: ['.dockerconfigjson'] },
};
const JSON_KEYS: Record<string, string> = {
  'kubernetes.io/dockercfg': '.dockercfg',
  'kubernetes.io/dockerconfigjson': '.dockerconfigjson',
};
const SERVICE_ACCOUNT_NAME = 'kubernetes.io/service-account.name';

/** ValidateSecret's per-type checks: the keys a type needs; the values are never echoed. */
function typeFindings(
  secret: Record<string, unknown>,
  keys: Map<string, string>,
): GatewayFinding[] {
  const type = secret.type;
  if (typeof type !== 'string') return [];
  const findings: GatewayFinding[] = [];
  const required = (key: string) =>
    findings.push(fieldError.required(keyPath('data', key), 'schema'));
  if (type === 'kubernetes.io/service-account-token') {
    const annotations = (secret.metadata as any)?.annotations;
    if (!annotations?.[SERVICE_ACCOUNT_NAME]) {
      findings.push(
        fieldError.required(
          keyPath('metadata.annotations', SERVICE_ACCOUNT_NAME),
          'schema',
        ),
      );
    }
    return findings;
  }
  const rule = REQUIRED_KEYS[type];
  if (!rule) return findings;
  for (const key of rule.all ?? []) if (!keys.has(key)) required(key);
  for (const key of rule.nonEmpty ?? []) if (!keys.get(key)) required(key);
  if (rule.any && !rule.any.some(key => keys.has(key))) {
    rule.any.forEach(required);
  }
  const jsonKey = JSON_KEYS[type];
  const json = jsonKey === undefined ? undefined : keys.get(jsonKey);
  if (json !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      parsed = [];
    }
    if (parsed !== null && !isPlainObject(parsed)) {
      findings.push({
        path: keyPath('data', jsonKey),
        message:
          'Invalid value: "<secret contents redacted>": must be a JSON object',
        severity: 'error',
        source: 'schema',
      });
    }
  }
  return findings;
}

export function validateSecret(
  secret: Record<string, unknown>,
): GatewayFinding[] {
  const findings = validateObjectMeta(secret.metadata, {
    namespaced: true,
    builtIn: true,
  });
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
  if (
    secret.immutable !== undefined &&
    secret.immutable !== null &&
    typeof secret.immutable !== 'boolean'
  ) {
    findings.push(
      fieldError.invalid(
        'immutable',
        typeof secret.immutable,
        'must be a boolean',
        'schema',
      ),
    );
  }
  const keys = new Map<string, string>();
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
    for (const [key, raw] of Object.entries(entries)) {
      findings.push(...keyErrors(childPath(field, key), key));
      // JSON null decodes to an empty value.
      const value = raw === null ? '' : raw;
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
      const decoded =
        field === 'data' ? Buffer.from(value, 'base64').toString() : value;
      size +=
        field === 'data'
          ? Buffer.from(value, 'base64').length
          : Buffer.byteLength(value);
      // stringData is merged over data before the API server validates.
      keys.set(key, decoded);
    }
  }
  findings.push(...typeFindings(secret, keys));
  if (size > MAX_SECRET_SIZE) {
    findings.push(fieldError.tooLong('data', MAX_SECRET_SIZE, 'schema'));
  }
  return findings;
}
