/**
 * Findings of the gateway validation layers: business rules, CRD schema, CEL.
 *
 * @public
 */
export type GatewayFindingSeverity = 'error' | 'warning';

/**
 * Which layer produced a finding: `schema` (OpenAPI schema of the CRD, object
 * metadata, or a template's input schema), `cel` (the CRD's
 * `x-kubernetes-validations`), `rule` (this plugin's business rules),
 * `server` (the API server's answer to a `dryRun=All` request) or `yaml`
 * (an import that does not parse, or holds objects the plugin does not manage).
 *
 * @public
 */
export type GatewayFindingSource =
  | 'schema'
  | 'cel'
  | 'rule'
  | 'server'
  | 'yaml';

/**
 * The object a finding is about.
 *
 * @public
 */
export interface GatewayObjectRef {
  apiVersion: string;
  kind: string;
  name?: string;
  namespace?: string;
}

/**
 * One problem found before anything is applied.
 *
 * `path` is the field path inside the object (or inside a template's input
 * when `object` is absent), written the way the Kubernetes API server writes
 * it: `spec.rules[0].backendRefs[0]`, map keys as `metadata.labels[app]`.
 * `message` is the part the API server prints after the path, e.g.
 * `Invalid value: "array": rule name must be unique within the route`.
 *
 * @public
 */
export interface GatewayFinding {
  path: string;
  message: string;
  severity: GatewayFindingSeverity;
  source: GatewayFindingSource;
  object?: GatewayObjectRef;
  /** For YAML imports: the 0-based document the finding is about. */
  document?: number;
  /** For YAML imports: the 1-based line (and column) where the problem is. */
  line?: number;
  column?: number;
}

/**
 * Renders a finding as the API server renders a field error:
 * `spec.rules: Invalid value: "array": rule name must be unique within the route`.
 *
 * @public
 */
export function renderGatewayFinding(finding: GatewayFinding): string {
  return finding.path ? `${finding.path}: ${finding.message}` : finding.message;
}
