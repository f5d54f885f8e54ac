import type { GatewayFinding } from '@internal/plugin-runner-common';
import { fieldError } from './fieldErrors';
import { isPlainObject } from './schemaWalk';

/*
 * The rest of ValidateObjectMeta, for what an imported YAML may carry beyond
 * name, labels and annotations: generateName, the server's timestamps,
 * generation and ownerReferences. Values that do not decode into ObjectMeta
 * are refused as the API server's decoder refuses them (a 400 there).
 */

// metav1.Time decodes with time.RFC3339 (fraction allowed, zone required),
// and Go's time.Parse checks every field's range (no 24:00, no February 30).
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))$/;

function isRfc3339(value: string): boolean {
  const m = RFC3339.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    // Go allows zone offsets up to 24 hours and 60 minutes.
    (m[9] === undefined || (Number(m[9]) <= 24 && Number(m[10]) <= 60))
  );
}

function timestampFindings(meta: Record<string, unknown>): GatewayFinding[] {
  return (['creationTimestamp', 'deletionTimestamp'] as const).flatMap(
    field => {
      const value = meta[field];
      if (value === undefined || value === null) return [];
      const valid = typeof value === 'string' && isRfc3339(value);
      return valid
        ? []
        : [
            fieldError.invalid(
              `metadata.${field}`,
              value,
              'must be an RFC 3339 time such as 2024-01-01T00:00:00Z',
              'schema',
            ),
          ];
    },
  );
}

function ownerReferenceFindings(refs: unknown): GatewayFinding[] {
  if (refs === undefined || refs === null) return [];
  const path = 'metadata.ownerReferences';
  if (!Array.isArray(refs) || !refs.every(isPlainObject)) {
    return [
      fieldError.invalid(path, refs, 'must be a list of objects', 'schema'),
    ];
  }
  const findings: GatewayFinding[] = [];
  for (const ref of refs) {
    const apiVersion = typeof ref.apiVersion === 'string' ? ref.apiVersion : '';
    const version = apiVersion.split('/').pop() ?? '';
    const required: Array<[string, unknown, string]> = [
      ['apiVersion', version, 'version must not be empty'],
      ['kind', ref.kind, 'kind must not be empty'],
      ['name', ref.name, 'name must not be empty'],
      ['uid', ref.uid, 'must not be empty'],
    ];
    for (const [field, value, message] of required) {
      if (typeof value !== 'string' || value === '') {
        findings.push(
          fieldError.invalid(
            `${path}.${field}`,
            value ?? '',
            message,
            'schema',
          ),
        );
      }
    }
  }
  if (refs.filter(ref => ref.controller === true).length > 1) {
    findings.push(
      fieldError.invalid(
        path,
        refs,
        'Only one reference can have Controller set to true',
        'schema',
      ),
    );
  }
  return findings;
}

export function objectMetaExtraFindings(
  meta: Record<string, unknown>,
  options: {
    builtIn: boolean;
    /** IsDNS1123Subdomain's problems with a name. */
    nameErrors: (name: string) => string[];
  },
): GatewayFinding[] {
  const findings: GatewayFinding[] = [];
  const { generateName, generation } = meta;
  if (typeof generateName === 'string' && generateName !== '') {
    // A prefix: a trailing dash is fine, since a random suffix follows.
    const masked = generateName.replace(/-$/, 'a');
    for (const error of options.nameErrors(masked)) {
      findings.push(
        fieldError.invalid(
          'metadata.generateName',
          generateName,
          error,
          'schema',
        ),
      );
    }
  }
  // A custom resource's generation is set by the server before validation.
  if (options.builtIn && typeof generation === 'number' && generation < 0) {
    findings.push(
      fieldError.invalid(
        'metadata.generation',
        generation,
        'must be greater than or equal to 0',
        'schema',
      ),
    );
  }
  findings.push(
    ...timestampFindings(meta),
    ...ownerReferenceFindings(meta.ownerReferences),
  );
  return findings;
}
