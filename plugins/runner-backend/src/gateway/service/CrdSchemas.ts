import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ClusterClient } from '../../kubernetes/ClusterClient';
import { CrdRegistry } from '../validation/CrdRegistry';
import { pruneAndDefault } from '../validation/structural';
import { GatewayValidator } from '../validation/validateBundle';
import type { KubernetesObject } from '../bundle';

/*
 * Which CRD schemas validate a bundle: the cluster's own CRDs when it is
 * connected (they are what the API server will check), else the CRDs in
 * `runner.gateway.crdDirectories`, else none (objects get a warning that
 * their schema was not checked). A cluster's schemas are cached for a few
 * minutes; a validator keeps its compiled schemas and CEL programs.
 */

const GROUPS = new Set([
  'gateway.networking.k8s.io',
  'gateway.envoyproxy.io',
  'aigateway.envoyproxy.io',
]);

export interface SchemaSet {
  validator: GatewayValidator;
  registry?: CrdRegistry;
  /** Where the schemas came from, for the validate response. */
  source: string;
  /** The object as the API server would store it (unknown fields pruned, defaults set). */
  normalize(object: KubernetesObject): KubernetesObject;
}

export interface CrdSchemasOptions {
  directories: string[];
  gatewayApiChannel?: 'standard' | 'experimental';
  logger: LoggerService;
  /** How long a cluster's CRDs are reused. Default 5 minutes. */
  ttlMs?: number;
}

function schemaSet(
  registry: CrdRegistry | undefined,
  source: string,
): SchemaSet {
  return {
    validator: new GatewayValidator(registry),
    registry,
    source,
    normalize: object => {
      const crd = registry?.get(object.apiVersion, object.kind);
      return crd
        ? (pruneAndDefault(crd.schema, object).object as KubernetesObject)
        : object;
    },
  };
}

export class CrdSchemas {
  #fromDirectories: Promise<SchemaSet> | undefined;
  readonly #fromClusters = new Map<
    string,
    { at: number; set: SchemaSet; fingerprint: string }
  >();

  constructor(private readonly options: CrdSchemasOptions) {}

  /** Schemas from the configured directories (or none). */
  offline(): Promise<SchemaSet> {
    this.#fromDirectories ??= (async () => {
      if (this.options.directories.length === 0) {
        return schemaSet(
          undefined,
          'none: no cluster and no runner.gateway.crdDirectories',
        );
      }
      try {
        const registry = await CrdRegistry.fromDirectories(
          this.options.directories,
          {
            gatewayApiChannel: this.options.gatewayApiChannel,
          },
        );
        return schemaSet(
          registry,
          `runner.gateway.crdDirectories (${registry.list().length} kinds)`,
        );
      } catch (error) {
        this.options.logger.warn(
          `Gateway CRD directories could not be read: ${
            (error as Error).message
          }`,
        );
        return schemaSet(undefined, `none: ${(error as Error).message}`);
      }
    })();
    return this.#fromDirectories;
  }

  /** The cluster's CRDs when they can be listed, else the offline schemas. */
  async forCluster(cluster: ClusterClient | undefined): Promise<SchemaSet> {
    if (!cluster) return this.offline();
    const cached = this.#fromClusters.get(cluster.name);
    if (cached && Date.now() - cached.at < (this.options.ttlMs ?? 5 * 60_000)) {
      return cached.set;
    }
    try {
      const crds = (await cluster.api().customResourceDefinitions()).filter(
        crd => GROUPS.has(crd.spec?.group),
      );
      // Reuse the compiled validator when the CRDs did not change.
      const fingerprint = crds
        .map(c => `${c.metadata.name}@${c.metadata.resourceVersion}`)
        .sort()
        .join(',');
      if (cached?.fingerprint === fingerprint) {
        cached.at = Date.now();
        return cached.set;
      }
      const set = schemaSet(
        CrdRegistry.fromCustomResourceDefinitions(crds, {
          gatewayApiChannel: this.options.gatewayApiChannel,
        }),
        `cluster ${cluster.name} (${crds.length} CRDs)`,
      );
      this.#fromClusters.set(cluster.name, {
        at: Date.now(),
        set,
        fingerprint,
      });
      return set;
    } catch (error) {
      this.options.logger.debug(
        `Gateway CRDs of cluster ${cluster.name} not listed (${
          (error as Error).message
        }); using the configured directories`,
      );
      return this.offline();
    }
  }
}
