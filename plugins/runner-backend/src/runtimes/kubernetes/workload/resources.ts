import { collectionPath } from '../wire/KubeHttp';

/*
 * The kinds an instance consists of, with their collection paths: what
 * launch creates and remove deletes (and verifies gone) by label.
 */

export const KINDS = {
  Deployment: { apiVersion: 'apps/v1', plural: 'deployments' },
  Job: { apiVersion: 'batch/v1', plural: 'jobs' },
  Service: { apiVersion: 'v1', plural: 'services' },
  Secret: { apiVersion: 'v1', plural: 'secrets' },
  ReplicaSet: { apiVersion: 'apps/v1', plural: 'replicasets' },
  Pod: { apiVersion: 'v1', plural: 'pods' },
} as const;

export type InstanceKind = keyof typeof KINDS;

export function pathOf(
  kind: InstanceKind,
  namespace: string,
  name?: string,
): string {
  const base = collectionPath(
    KINDS[kind].apiVersion,
    KINDS[kind].plural,
    namespace,
  );
  return name ? `${base}/${encodeURIComponent(name)}` : base;
}
