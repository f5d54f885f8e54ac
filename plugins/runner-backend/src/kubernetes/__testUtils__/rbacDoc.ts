import fs from 'node:fs';
import path from 'node:path';
import type { V1PolicyRule } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';

/*
 * The RBAC docs/kubernetes-rbac.md ships, as tests bind it: every ClusterRole
 * of the page's YAML blocks by name, so the page and what is tested cannot
 * drift.
 */

export const RBAC_DOC = path.resolve(
  __dirname,
  '../../../../../docs/kubernetes-rbac.md',
);

/** The rules of the ClusterRole `name` in the doc; throws when the doc has none. */
export function clusterRoleRules(name: string): V1PolicyRule[] {
  const text = fs.readFileSync(RBAC_DOC, 'utf8');
  const role = [...text.matchAll(/```yaml\n([\s\S]*?)```/g)]
    .flatMap(m => parseAllDocuments(m[1]).map(d => d.toJS()))
    .find(o => o?.kind === 'ClusterRole' && o.metadata?.name === name);
  if (!role) throw new Error(`${RBAC_DOC} has no ClusterRole ${name}`);
  return role.rules;
}
