import type { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { GATEWAY_ANNOTATIONS } from '@internal/plugin-runner-common';
import type { ClusterClient } from '../../kubernetes/ClusterClient';
import type { ClusterSet } from '../../kubernetes/ClusterSet';
import { bindingOf, type GatewayBinding } from '../entityBinding';
import { noClusterError } from './errors';

/*
 * Where a request for an entity goes: its binding (namespace, parent
 * Gateway) and its cluster — the one its annotation names, else the default
 * — or none when no cluster is configured.
 */

export interface GatewayTarget {
  binding: GatewayBinding;
  /** Undefined when no cluster is configured. */
  cluster?: ClusterClient;
}

export function resolveTarget(
  entity: Entity,
  clusters: ClusterSet,
): GatewayTarget {
  const binding = bindingOf(entity);
  if (!clusters.configured) return { binding };
  const cluster = clusters.find(binding.cluster);
  if (!cluster) {
    throw new InputError(
      `${binding.entityRef} names cluster '${binding.cluster}' in ${
        GATEWAY_ANNOTATIONS.cluster
      }, which is not configured (runner.kubernetes.clusters: ${clusters
        .names()
        .join(', ')})`,
    );
  }
  return { binding, cluster };
}

/** The target's cluster; a 409 saying plainly that no cluster is configured when there is none. */
export function requireCluster(target: GatewayTarget): ClusterClient {
  if (!target.cluster) throw noClusterError();
  return target.cluster;
}
