import { useCallback, useEffect } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import type {
  GatewayBundleType,
  GatewayClusterReport,
  GatewayClustersResponse,
} from '@internal/plugin-runner-common';
import { runnerApiRef } from '../api';

/** Said when no cluster is configured: what still works, and what does not. */
export const NO_CLUSTER_MESSAGE =
  'No Kubernetes cluster is configured (runner.kubernetes.clusters): gateway resources can be built, validated and exported, but not applied.';

export interface GatewayClusters {
  loading: boolean;
  error?: Error;
  value?: GatewayClustersResponse;
  /** The cluster this entity's resources go to, if configured. */
  cluster?: GatewayClusterReport;
  /** Why nothing can be applied, per bundle type; undefined when it can. */
  applyBlocked: (type: GatewayBundleType) => string | undefined;
  retry: () => void;
}

/**
 * The gateway clusters, which one the entity uses (its annotation, else the
 * default, else the first) and, in words, why a bundle cannot be applied.
 */
export function useGatewayClusters(entityCluster?: string): GatewayClusters {
  const runnerApi = useApi(runnerApiRef);
  const [state, load] = useAsyncFn(
    () => runnerApi.getGatewayClusters(),
    [runnerApi],
  );
  const retry = useCallback(() => {
    load().catch(() => undefined);
  }, [load]);
  useEffect(retry, [retry]);

  const report = state.value;
  const name = entityCluster ?? report?.defaultCluster;
  const cluster = report?.clusters.find(c => (name ? c.name === name : true));

  const applyBlocked = (type: GatewayBundleType): string | undefined => {
    if (!report) {
      return state.error
        ? `Cannot tell whether a cluster is there: ${state.error.message}`
        : 'Checking the Kubernetes clusters…';
    }
    if (!report.configured || report.clusters.length === 0) {
      return 'Cannot apply: no Kubernetes cluster is configured for the runner. Validate and download the YAML instead.';
    }
    if (!cluster) {
      return `Cannot apply: this entity names cluster "${name}", which is not configured.`;
    }
    if (!cluster.reachable) {
      return `Cannot apply: cluster ${cluster.name} is not reachable (${
        cluster.reason ?? 'no reason given'
      }).`;
    }
    const ready =
      type === 'route' ? cluster.ready.routes : cluster.ready.providers;
    if (!ready) {
      return `Cannot apply to cluster ${cluster.name}: ${
        cluster.ready.reasons.join('; ') || 'it is not ready'
      }.`;
    }
    return undefined;
  };

  return {
    loading: state.loading,
    error: state.error,
    value: report,
    cluster,
    applyBlocked,
    retry,
  };
}
