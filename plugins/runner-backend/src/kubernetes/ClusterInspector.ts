import type {
  GatewayClusterReport,
  GatewayClustersResponse,
  GatewayControllerReport,
  GatewayCrdReport,
} from '@internal/plugin-runner-common';
import type { ClusterClient } from './ClusterClient';
import type { ClusterSet } from './ClusterSet';
import type { KubeObject } from './ClusterApi';

/*
 * What each cluster offers the gateway features: reachable (or why not), its
 * Kubernetes version, which CRDs and versions are installed, and whether
 * their controllers are ready. Clusters are inspected concurrently and each
 * request carries the cluster's own timeout, so one unreachable cluster
 * delays the answer by at most its timeout and blanks nothing else.
 */

export interface CrdExpectation {
  group: string;
  kind: string;
  plural: string;
  /** The version the plugin writes; the CRD must serve it. */
  version: string;
  /** Which features need it. */
  neededFor: Array<'providers' | 'routes'>;
}

export interface ControllerExpectation {
  namespace: string;
  name: string;
  neededFor: Array<'providers' | 'routes'>;
}

export interface ClusterExpectations {
  crds: CrdExpectation[];
  controllers: ControllerExpectation[];
}

const BUNDLE_VERSION = 'gateway.networking.k8s.io/bundle-version';
const CHANNEL = 'gateway.networking.k8s.io/channel';

function crdReport(expected: CrdExpectation, crd: any): GatewayCrdReport {
  const name = `${expected.plural}.${expected.group}`;
  if (!crd) {
    return {
      name,
      group: expected.group,
      kind: expected.kind,
      installed: false,
      servedVersions: [],
    };
  }
  const versions: any[] = crd.spec?.versions ?? [];
  const annotations = crd.metadata?.annotations ?? {};
  return {
    name,
    group: expected.group,
    kind: expected.kind,
    installed: true,
    servedVersions: versions.filter(v => v.served).map(v => v.name),
    storageVersion: versions.find(v => v.storage)?.name,
    ...(annotations[BUNDLE_VERSION]
      ? { bundleVersion: annotations[BUNDLE_VERSION] }
      : {}),
    ...(annotations[CHANNEL] ? { channel: annotations[CHANNEL] } : {}),
  };
}

function deploymentReady(
  deployment: KubeObject,
): Pick<GatewayControllerReport, 'ready' | 'reason'> {
  const available = (deployment.status?.conditions ?? []).find(
    (c: any) => c.type === 'Available',
  );
  if (available?.status === 'True') return { ready: 'true' };
  return {
    ready: 'false',
    reason: available
      ? `Available=${available.status}${
          available.message ? `: ${available.message}` : ''
        }`
      : 'the Deployment reports no Available condition yet',
  };
}

export class ClusterInspector {
  constructor(
    private readonly clusters: ClusterSet,
    private readonly expectations: ClusterExpectations,
  ) {}

  async report(): Promise<GatewayClustersResponse> {
    const clusters = await Promise.all(
      this.clusters.list().map(c => this.inspect(c)),
    );
    return {
      configured: this.clusters.configured,
      ...(this.clusters.configured
        ? { defaultCluster: this.clusters.defaultName }
        : {
            message:
              'No Kubernetes cluster is configured (runner.kubernetes.clusters is empty): gateway resources can be built, validated, diffed and exported, not applied.',
          }),
      clusters,
      checkedAt: new Date().toISOString(),
    };
  }

  async inspect(cluster: ClusterClient): Promise<GatewayClusterReport> {
    const base = {
      name: cluster.name,
      url: cluster.url,
      default: cluster.name === this.clusters.defaultName,
    };
    const health = await cluster.health();
    if (!health.reachable) {
      return {
        ...base,
        reachable: false,
        reason: health.reason,
        crds: [],
        controllers: [],
        ready: {
          providers: false,
          routes: false,
          reasons: [health.reason ?? 'unreachable'],
        },
      };
    }
    let crds: Awaited<ReturnType<ClusterInspector['inspectCrds']>>;
    let controllers: GatewayControllerReport[];
    try {
      [crds, controllers] = await Promise.all([
        this.inspectCrds(cluster),
        this.#controllers(cluster),
      ]);
    } catch (error) {
      // Answered /version but failed later: still one cluster's problem only.
      const reason = (error as Error).message;
      return {
        ...base,
        reachable: true,
        version: health.version,
        reason,
        crds: [],
        controllers: [],
        ready: { providers: false, routes: false, reasons: [reason] },
      };
    }
    return {
      ...base,
      reachable: true,
      version: health.version,
      crdSource: crds.source,
      crds: crds.reports,
      controllers,
      ready: this.#readiness(crds.reports, controllers),
    };
  }

  /** The expected CRDs as installed in the cluster. */
  async inspectCrds(cluster: ClusterClient): Promise<{
    source: 'apiextensions' | 'discovery';
    reports: GatewayCrdReport[];
  }> {
    const api = cluster.api();
    try {
      const { items } = await api.list(
        'apiextensions.k8s.io/v1',
        'CustomResourceDefinition',
      );
      const byName = new Map(items.map(crd => [crd.metadata.name, crd]));
      return {
        source: 'apiextensions',
        reports: this.expectations.crds.map(e =>
          crdReport(e, byName.get(`${e.plural}.${e.group}`)),
        ),
      };
    } catch (error) {
      if ((error as { code?: number }).code !== 403) throw error;
    }
    // Not allowed to list CRDs: discovery says which versions each group serves.
    const groups = await api.apiGroups();
    const reports: GatewayCrdReport[] = [];
    for (const expected of this.expectations.crds) {
      const group = groups.find(g => g.name === expected.group);
      const served: string[] = [];
      for (const version of group?.versions ?? []) {
        const resources = await api.apiResources(
          `${expected.group}/${version}`,
        );
        if (resources?.some(r => r.kind === expected.kind))
          served.push(version);
      }
      reports.push({
        name: `${expected.plural}.${expected.group}`,
        group: expected.group,
        kind: expected.kind,
        installed: served.length > 0,
        servedVersions: served,
      });
    }
    return { source: 'discovery', reports };
  }

  async #controllers(
    cluster: ClusterClient,
  ): Promise<GatewayControllerReport[]> {
    return Promise.all(
      this.expectations.controllers.map(async ({ namespace, name }) => {
        try {
          const deployment = await cluster.api().get({
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            namespace,
            name,
          });
          if (!deployment) {
            return {
              name,
              namespace,
              ready: 'missing' as const,
              reason: `no Deployment ${namespace}/${name}`,
            };
          }
          return { name, namespace, ...deploymentReady(deployment) };
        } catch (error) {
          return {
            name,
            namespace,
            ready: 'unknown' as const,
            reason:
              (error as { code?: number }).code === 403
                ? `not permitted to read Deployment ${namespace}/${name}`
                : (error as Error).message,
          };
        }
      }),
    );
  }

  #readiness(crds: GatewayCrdReport[], controllers: GatewayControllerReport[]) {
    const reasons: string[] = [];
    const ready = { providers: true, routes: true };
    for (const expected of this.expectations.crds) {
      const report = crds.find(
        c => c.name === `${expected.plural}.${expected.group}`,
      );
      if (report?.servedVersions.includes(expected.version)) continue;
      reasons.push(
        report?.installed
          ? `${report.name} does not serve ${
              expected.version
            } (serves ${report.servedVersions.join(', ')})`
          : `CRD ${expected.plural}.${expected.group} is not installed`,
      );
      expected.neededFor.forEach(feature => (ready[feature] = false));
    }
    for (const expected of this.expectations.controllers) {
      const report = controllers.find(
        c => c.name === expected.name && c.namespace === expected.namespace,
      );
      if (report?.ready === 'true') continue;
      // Unknown (not permitted to look) does not block: the controller may well be there.
      if (report?.ready === 'unknown') {
        reasons.push(
          `controller ${expected.namespace}/${expected.name}: ${report.reason}`,
        );
        continue;
      }
      reasons.push(
        `controller ${expected.namespace}/${expected.name} is not ready: ${
          report?.reason ?? 'missing'
        }`,
      );
      expected.neededFor.forEach(feature => (ready[feature] = false));
    }
    return { ...ready, reasons };
  }
}
