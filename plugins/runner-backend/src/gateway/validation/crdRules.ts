import type { CrdSchema } from './CrdRegistry';
import { childPath } from './fieldPath';
import type { ValidationRule } from './cel/RuleCompiler';

/** Where a CEL rule or an OpenAPI pattern sits in a CRD schema. */
export interface SchemaLocation<T> {
  /** Schema path, e.g. `spec.rules[*].backendRefs[*]`. */
  path: string;
  value: T;
}

/**
 * Every `x-kubernetes-validations` rule and every `pattern` of a schema,
 * including those inside allOf/anyOf/oneOf/not, so that tests and start-up
 * checks can compile them all.
 */
export function collectSchemaChecks(schema: CrdSchema): {
  rules: SchemaLocation<ValidationRule>[];
  patterns: SchemaLocation<string>[];
} {
  const rules: SchemaLocation<ValidationRule>[] = [];
  const patterns: SchemaLocation<string>[] = [];
  const visit = (node: CrdSchema | undefined, path: string) => {
    if (!node || typeof node !== 'object') return;
    for (const rule of node['x-kubernetes-validations'] ?? []) {
      rules.push({ path, value: rule });
    }
    if (typeof node.pattern === 'string') {
      patterns.push({ path, value: node.pattern });
    }
    for (const [name, child] of Object.entries<CrdSchema>(
      node.properties ?? {},
    )) {
      visit(child, childPath(path, name));
    }
    if (typeof node.additionalProperties === 'object') {
      visit(node.additionalProperties, `${path}[*]`);
    }
    visit(node.items, `${path}[*]`);
    visit(node.not, path);
    for (const composite of ['allOf', 'anyOf', 'oneOf']) {
      for (const branch of node[composite] ?? []) visit(branch, path);
    }
  };
  visit(schema, '');
  return { rules, patterns };
}
