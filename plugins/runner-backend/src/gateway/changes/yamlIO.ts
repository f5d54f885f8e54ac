import { LineCounter, parseAllDocuments } from 'yaml';
import {
  GATEWAY_OWNERSHIP,
  type GatewayFinding,
} from '@internal/plugin-runner-common';
import type { KubernetesObject } from '../bundle';
import type { GatewayBinding } from '../entityBinding';
import { withoutServerFields } from '../live/liveObjects';
import { managedKind } from '../managedKinds';
import { entityLabelValue, normalizeEntityRef } from '../ownership';
import { convertToManaged } from './conversions';
import { exportedDocument } from './exportedSecrets';
import {
  describeBreach,
  findYamlLimitBreach,
  isAliasExpansionError,
  YAML_LIMITS,
  YamlLimitError,
  type YamlLimitBreach,
} from './yamlLimits';

/*
 * YAML export and import. Export writes one document per object, as a user
 * would apply it (no server fields, no status) with Secret values replaced
 * by placeholders kubectl refuses (exportedSecrets.ts). Import parses multi-document YAML, reports parse
 * errors with line numbers, accepts only the kinds and versions the plugin
 * manages, puts every object in the entity's namespace and marks it as the
 * entity's (refusing objects that name another namespace or entity).
 */

export function toYaml(objects: KubernetesObject[], header?: string): string {
  const docs = objects.map(o => exportedDocument(withoutServerFields(o)));
  const comment = header
    ? `${header
        .split('\n')
        .map(l => `# ${l}`)
        .join('\n')}\n`
    : '';
  return comment + docs.join('---\n');
}

export interface ImportedObject {
  object: KubernetesObject;
  document: number;
  line: number;
}

export interface ImportResult {
  objects: ImportedObject[];
  findings: GatewayFinding[];
}

function yamlFinding(
  document: number,
  line: number | undefined,
  column: number | undefined,
  path: string,
  message: string,
): GatewayFinding {
  return {
    path,
    message,
    severity: 'error',
    source: 'yaml',
    document,
    ...(line !== undefined ? { line } : {}),
    ...(column !== undefined ? { column } : {}),
  };
}

export interface ParsedDocument {
  value: unknown;
  document: number;
  line: number;
  lineOf(path: string[]): number;
}

function limitError(
  breach: YamlLimitBreach,
  lineCounter: LineCounter,
): YamlLimitError {
  return new YamlLimitError(breach, [
    {
      path: '',
      message: breach.message,
      severity: 'error',
      source: 'yaml',
      ...(breach.offset !== undefined
        ? { line: lineCounter.linePos(breach.offset).line }
        : {}),
    },
  ]);
}

/**
 * Parses the documents; each parse error is a finding with its line and
 * column. Throws YamlLimitError (a 400) for YAML past one of YAML_LIMITS.
 */
export function parseYamlDocuments(text: string): {
  docs: ParsedDocument[];
  findings: GatewayFinding[];
} {
  const lineCounter = new LineCounter();
  const breach = findYamlLimitBreach(text, lineCounter);
  if (breach) throw limitError(breach, lineCounter);
  const parsed = parseAllDocuments(text, { prettyErrors: false });
  const findings: GatewayFinding[] = [];
  const docs: ParsedDocument[] = [];
  const all = Array.isArray(parsed) ? parsed : [parsed];
  all.forEach((doc, document) => {
    const line = lineCounter.linePos(
      doc.contents?.range?.[0] ?? doc.range?.[0] ?? 0,
    ).line;
    // The line of a field (`metadata.namespace`), for findings about it; else the document's first.
    const lineOf = (path: string[]) => {
      const node = doc.getIn(path, true) as
        | { range?: [number, number, number] }
        | undefined;
      return node?.range ? lineCounter.linePos(node.range[0]).line : line;
    };
    if (doc.errors.length > 0) {
      for (const error of doc.errors) {
        const pos = lineCounter.linePos(error.pos[0]);
        findings.push(
          yamlFinding(
            document,
            pos.line,
            pos.col,
            '',
            `YAML: ${error.message.split('\n')[0]}`,
          ),
        );
      }
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: YAML_LIMITS.maxAliasExpansion });
    } catch (error) {
      if (!isAliasExpansionError(error)) {
        findings.push(
          yamlFinding(
            document,
            line,
            undefined,
            '',
            `YAML: ${String((error as Error).message).split('\n')[0]}`,
          ),
        );
        return;
      }
      throw limitError(
        describeBreach(
          'maxAliasExpansion',
          YAML_LIMITS.maxAliasExpansion,
          doc.range?.[0],
          lineCounter,
        ),
        lineCounter,
      );
    }
    if (value === null || value === undefined) return;
    docs.push({ value, document, line, lineOf });
  });
  return { docs, findings };
}

/**
 * Parses and checks an import for an entity. `bundle` names the bundle of
 * objects that carry no bundle label.
 */
export function parseImport(
  text: string,
  binding: GatewayBinding,
  options: { bundle?: string } = {},
): ImportResult {
  const { docs, findings } = parseYamlDocuments(text);
  const entityRef = normalizeEntityRef(binding.entityRef);
  const objects: ImportedObject[] = [];
  for (const { value, document, line, lineOf } of docs) {
    const at = (path: string, message: string) => {
      // `metadata.labels[a/b]` → ['metadata', 'labels', 'a/b'], to find the field's line.
      const keys = [...path.matchAll(/\[([^\]]*)\]|([^.[\]]+)/g)].map(
        m => m[1] ?? m[2],
      );
      findings.push(
        yamlFinding(document, lineOf(keys), undefined, path, message),
      );
    };
    if (typeof value !== 'object' || Array.isArray(value)) {
      at(
        '',
        'Invalid value: each document must be one Kubernetes object (a map)',
      );
      continue;
    }
    let raw = value as Record<string, any>;
    const managed =
      typeof raw.kind === 'string' ? managedKind(raw.kind) : undefined;
    if (!managed) {
      at(
        'kind',
        `Unsupported value: ${JSON.stringify(
          raw.kind ?? null,
        )}: the plugin manages only Secret, Backend, BackendTLSPolicy, AIServiceBackend, BackendSecurityPolicy, HTTPRoute and AIGatewayRoute`,
      );
      continue;
    }
    const conversion = convertToManaged(raw, managed);
    if (conversion.converted) {
      raw = conversion.object;
      findings.push({
        ...yamlFinding(
          document,
          lineOf(['apiVersion']),
          undefined,
          'apiVersion',
          conversion.note,
        ),
        severity: 'warning',
      });
    } else if ('field' in conversion) {
      at(conversion.field, conversion.message);
      continue;
    }
    if (raw.apiVersion !== managed.apiVersion) {
      at(
        'apiVersion',
        `Unsupported value: ${JSON.stringify(raw.apiVersion ?? null)}: ${
          managed.kind
        } is managed as ${managed.apiVersion}`,
      );
      continue;
    }
    const metadata =
      typeof raw.metadata === 'object' &&
      raw.metadata &&
      !Array.isArray(raw.metadata)
        ? { ...raw.metadata }
        : {};
    if (typeof metadata.name !== 'string' || metadata.name === '') {
      at('metadata.name', 'Required value: name is required');
      continue;
    }
    if (
      metadata.namespace !== undefined &&
      metadata.namespace !== binding.namespace
    ) {
      at(
        'metadata.namespace',
        `Invalid value: ${JSON.stringify(metadata.namespace)}: ${
          binding.entityRef
        } manages gateway objects in namespace ${binding.namespace} only`,
      );
      continue;
    }
    const labels: Record<string, string> = { ...(metadata.labels ?? {}) };
    const annotations: Record<string, string> = {
      ...(metadata.annotations ?? {}),
    };
    const owner: unknown = annotations[GATEWAY_OWNERSHIP.entityRefAnnotation];
    const label: unknown = labels[GATEWAY_OWNERSHIP.bundleLabel];
    if (owner !== undefined && typeof owner !== 'string') {
      at(
        `metadata.annotations[${GATEWAY_OWNERSHIP.entityRefAnnotation}]`,
        `Invalid value: ${JSON.stringify(
          owner,
        )}: must be a string, the owning entity's ref (${entityRef})`,
      );
      continue;
    }
    if (label !== undefined && typeof label !== 'string') {
      at(
        `metadata.labels[${GATEWAY_OWNERSHIP.bundleLabel}]`,
        `Invalid value: ${JSON.stringify(
          label,
        )}: must be a string, the bundle name`,
      );
      continue;
    }
    if (
      owner !== undefined &&
      owner.toLocaleLowerCase('en-US') !== entityRef.toLocaleLowerCase('en-US')
    ) {
      at(
        `metadata.annotations[${GATEWAY_OWNERSHIP.entityRefAnnotation}]`,
        `Invalid value: ${JSON.stringify(
          owner,
        )}: the object belongs to another entity; import it there`,
      );
      continue;
    }
    const bundle = labels[GATEWAY_OWNERSHIP.bundleLabel] ?? options.bundle;
    if (!bundle) {
      at(
        `metadata.labels[${GATEWAY_OWNERSHIP.bundleLabel}]`,
        'Required value: name the bundle with this label, or with ?bundle= on the request',
      );
      continue;
    }
    labels[GATEWAY_OWNERSHIP.managedByLabel] = GATEWAY_OWNERSHIP.managedByValue;
    labels[GATEWAY_OWNERSHIP.entityLabel] = entityLabelValue(entityRef);
    labels[GATEWAY_OWNERSHIP.bundleLabel] = bundle;
    annotations[GATEWAY_OWNERSHIP.entityRefAnnotation] = entityRef;
    const object = withoutServerFields({
      ...raw,
      metadata: {
        ...metadata,
        namespace: binding.namespace,
        labels,
        annotations,
      },
    } as KubernetesObject);
    objects.push({ object, document, line });
  }
  return { objects, findings };
}
