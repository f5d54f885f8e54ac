/*
 * The resources the test API server serves: a few built-in ones (Namespace,
 * Secret, Deployment, CustomResourceDefinition) and every served version of
 * each installed CRD.
 */

export interface ResourceType {
  /** '' for the core group. */
  group: string;
  /** Served versions, preferred first. */
  versions: string[];
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  /** Versions with a `status` subresource: status is written only through `/status` there. */
  statusSubresource: Set<string>;
  /** Backed by a CRD: validated against its schema; updates need metadata.resourceVersion. */
  custom: boolean;
  /** Tracks metadata.generation (custom resources and Deployments). */
  generation: boolean;
  /** No writes through the API (the server installs CRDs itself). */
  readOnly?: boolean;
  shortNames?: string[];
  categories?: string[];
}

/** `group/plural`: one storage per resource, whatever version it is read through. */
export function typeKey(type: { group: string; plural: string }): string {
  return `${type.group}/${type.plural}`;
}

export function apiVersionOf(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

export const BUILTIN_TYPES: ResourceType[] = [
  {
    group: '',
    versions: ['v1'],
    kind: 'Namespace',
    listKind: 'NamespaceList',
    plural: 'namespaces',
    singular: 'namespace',
    namespaced: false,
    statusSubresource: new Set(['v1']),
    custom: false,
    generation: false,
    shortNames: ['ns'],
  },
  {
    group: '',
    versions: ['v1'],
    kind: 'Secret',
    listKind: 'SecretList',
    plural: 'secrets',
    singular: 'secret',
    namespaced: true,
    statusSubresource: new Set(),
    custom: false,
    generation: false,
  },
  {
    group: 'apps',
    versions: ['v1'],
    kind: 'Deployment',
    listKind: 'DeploymentList',
    plural: 'deployments',
    singular: 'deployment',
    namespaced: true,
    statusSubresource: new Set(['v1']),
    custom: false,
    generation: true,
    shortNames: ['deploy'],
    categories: ['all'],
  },
  {
    group: 'apiextensions.k8s.io',
    versions: ['v1'],
    kind: 'CustomResourceDefinition',
    listKind: 'CustomResourceDefinitionList',
    plural: 'customresourcedefinitions',
    singular: 'customresourcedefinition',
    namespaced: false,
    statusSubresource: new Set(['v1']),
    custom: false,
    generation: true,
    readOnly: true,
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
  },
];

/** Kubernetes version priority: GA > beta > alpha, then by number (v2 > v1, v1beta2 > v1beta1). */
export function compareKubeVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0];
    const stability = { alpha: 1, beta: 2 }[m[2] as 'alpha' | 'beta'] ?? 3;
    return [stability, Number(m[1]), Number(m[3] ?? 0)];
  };
  const [pa, pb] = [parse(a), parse(b)];
  for (let i = 0; i < 3; i++) {
    if (pa[i] !== pb[i]) return pb[i] - pa[i];
  }
  return a.localeCompare(b);
}

/** The resource type an `apiextensions.k8s.io/v1` CRD defines, or undefined when it serves nothing. */
export function typeFromCrd(crd: any): ResourceType | undefined {
  const spec = crd?.spec;
  if (!spec?.group || !spec?.names?.plural) return undefined;
  const served = (spec.versions ?? []).filter((v: any) => v.served);
  if (served.length === 0) return undefined;
  return {
    group: spec.group,
    versions: served.map((v: any) => v.name).sort(compareKubeVersions),
    kind: spec.names.kind,
    listKind: spec.names.listKind ?? `${spec.names.kind}List`,
    plural: spec.names.plural,
    singular: spec.names.singular ?? spec.names.kind.toLowerCase(),
    namespaced: spec.scope === 'Namespaced',
    statusSubresource: new Set(
      served
        .filter((v: any) => v.subresources?.status !== undefined)
        .map((v: any) => v.name),
    ),
    custom: true,
    generation: true,
    shortNames: spec.names.shortNames,
    categories: spec.names.categories,
  };
}
