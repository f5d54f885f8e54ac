import { compareKubeVersions, type ResourceType } from './resourceTypes';

/*
 * The discovery documents clients read before they talk to a resource:
 * `/api`, `/api/v1`, `/apis`, `/apis/<group>`, `/apis/<group>/<version>`.
 * client-node's KubernetesObjectApi reads `/apis/<group>/<version>` to map a
 * kind to its plural and scope.
 */

const VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

function resourceEntries(type: ResourceType, version: string) {
  const main = {
    name: type.plural,
    singularName: type.singular,
    namespaced: type.namespaced,
    kind: type.kind,
    verbs: type.readOnly ? ['get', 'list', 'watch'] : VERBS,
    ...(type.shortNames?.length ? { shortNames: type.shortNames } : {}),
    ...(type.categories?.length ? { categories: type.categories } : {}),
  };
  if (!type.statusSubresource.has(version)) return [main];
  return [
    main,
    {
      name: `${type.plural}/status`,
      singularName: '',
      namespaced: type.namespaced,
      kind: type.kind,
      verbs: ['get', 'patch', 'update'],
    },
  ];
}

export function apiVersions(host: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [
      { clientCIDR: '0.0.0.0/0', serverAddress: host },
    ],
  };
}

export function resourceList(
  types: ResourceType[],
  group: string,
  version: string,
) {
  const served = types.filter(
    t => t.group === group && t.versions.includes(version),
  );
  if (served.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources: served.flatMap(t => resourceEntries(t, version)),
  };
}

function groupOf(types: ResourceType[], name: string) {
  const versions = [
    ...new Set(types.filter(t => t.group === name).flatMap(t => t.versions)),
  ].sort(compareKubeVersions);
  if (versions.length === 0) return undefined;
  const entries = versions.map(version => ({
    groupVersion: `${name}/${version}`,
    version,
  }));
  return { name, versions: entries, preferredVersion: entries[0] };
}

export function apiGroup(types: ResourceType[], name: string) {
  const group = groupOf(types, name);
  return group ? { kind: 'APIGroup', apiVersion: 'v1', ...group } : undefined;
}

export function apiGroupList(types: ResourceType[]) {
  const names = [
    ...new Set(types.map(t => t.group).filter(g => g !== '')),
  ].sort();
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: names.map(name => groupOf(types, name)!),
  };
}
