import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { readOptionalDurationMs } from './duration';
import { type DockerDefaults, readDockerDefaults } from './dockerSettings';
import {
  type ComponentOverride,
  readComponentOverrides,
} from './componentOverrides';
import { type SourcesConfig, readSourcesConfig } from './sourcesConfig';
import { type PruneSchedule, readPruneSchedule } from './diskSettings';

/** How the backend reaches the Docker engine. */
export interface DockerConnectionConfig {
  /** `unix:///…`, `tcp://…` or `npipe://…`; undefined means DOCKER_HOST, else the platform default. */
  host?: string;
  connectionTimeoutMs: number;
}

export type ClusterAuth =
  | { type: 'serviceAccount'; token: string }
  | { type: 'kubeconfig'; kubeconfigPath?: string; context?: string }
  | { type: 'inCluster' };

/** One Kubernetes cluster from `runner.kubernetes.clusters`. */
export interface ClusterConfig {
  name: string;
  url?: string;
  auth: ClusterAuth;
  caData?: string;
  caFile?: string;
  skipTLSVerify: boolean;
  connectionTimeoutMs: number;
}

export interface RunnerConfig {
  docker: DockerConnectionConfig;
  /** `runner.docker` settings every component starts from (built-in defaults filled in). */
  dockerDefaults: DockerDefaults;
  /** When images and build cache are pruned (`runner.docker.imageRetention`; engine-wide). */
  pruneSchedule: PruneSchedule;
  /** `runner.components`, validated; applied by resolveEffectiveConfig. */
  components: ComponentOverride[];
  sources: SourcesConfig;
  kubernetes: {
    clusters: ClusterConfig[];
    defaultCluster?: string;
  };
}

const DEFAULT_TIMEOUT_MS = 5_000;
const HOST_PATTERN = /^(unix|tcp|http|https|npipe|ssh):\/\/.+/;
const CLUSTER_NAME_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function readDocker(config: Config | undefined): DockerConnectionConfig {
  const host = config?.getOptionalString('host');
  if (host !== undefined && !HOST_PATTERN.test(host)) {
    throw new InputError(
      `Invalid config at 'runner.docker.host': '${host}' is not a Docker endpoint; use unix:///var/run/docker.sock, tcp://127.0.0.1:2375 or npipe:////./pipe/docker_engine`,
    );
  }
  return {
    host,
    connectionTimeoutMs:
      (config &&
        readOptionalDurationMs(
          config,
          'connectionTimeout',
          'runner.docker.connectionTimeout',
        )) ??
      DEFAULT_TIMEOUT_MS,
  };
}

function readAuth(config: Config | undefined, key: string): ClusterAuth {
  const type = config?.getOptionalString('type') ?? 'serviceAccount';
  switch (type) {
    case 'serviceAccount': {
      const token = config?.getOptionalString('token');
      if (!token) {
        throw new InputError(
          `Missing config at '${key}.token': a serviceAccount cluster needs a bearer token (or set '${key}.type' to kubeconfig or inCluster)`,
        );
      }
      return { type, token };
    }
    case 'kubeconfig':
      return {
        type,
        kubeconfigPath: config?.getOptionalString('kubeconfigPath'),
        context: config?.getOptionalString('context'),
      };
    case 'inCluster':
      return { type };
    default:
      throw new InputError(
        `Invalid config at '${key}.type': '${type}'; use serviceAccount, kubeconfig or inCluster`,
      );
  }
}

function readCluster(config: Config, index: number): ClusterConfig {
  const key = `runner.kubernetes.clusters[${index}]`;
  const name = config.getOptionalString('name');
  if (!name || !CLUSTER_NAME_PATTERN.test(name)) {
    throw new InputError(
      `Invalid config at '${key}.name': '${
        name ?? ''
      }'; use a lowercase DNS label such as 'prod-eu'`,
    );
  }
  const auth = readAuth(config.getOptionalConfig('auth'), `${key}.auth`);
  const url = config.getOptionalString('url');
  if (url !== undefined) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) {
      throw new InputError(
        `Invalid config at '${key}.url': '${url}' is not an http(s) URL; use e.g. https://10.0.0.1:6443`,
      );
    }
  } else if (auth.type === 'serviceAccount') {
    throw new InputError(
      `Missing config at '${key}.url': a serviceAccount cluster needs the API server URL, e.g. https://10.0.0.1:6443`,
    );
  }
  return {
    name,
    url,
    auth,
    caData: config.getOptionalString('caData'),
    caFile: config.getOptionalString('caFile'),
    skipTLSVerify: config.getOptionalBoolean('skipTLSVerify') ?? false,
    connectionTimeoutMs:
      readOptionalDurationMs(
        config,
        'connectionTimeout',
        `${key}.connectionTimeout`,
      ) ?? DEFAULT_TIMEOUT_MS,
  };
}

/**
 * Reads and validates the `runner:` block. Every error names the config key
 * and the accepted forms, so a bad app-config fails start-up with a message
 * an operator can act on.
 */
export function readRunnerConfig(rootConfig: Config): RunnerConfig {
  const config = rootConfig.getOptionalConfig('runner');
  const clusters = (
    config?.getOptionalConfigArray('kubernetes.clusters') ?? []
  ).map(readCluster);

  const seen = new Set<string>();
  clusters.forEach((cluster, index) => {
    if (seen.has(cluster.name)) {
      throw new InputError(
        `Invalid config at 'runner.kubernetes.clusters[${index}].name': '${cluster.name}' is used by another cluster; names must be unique`,
      );
    }
    seen.add(cluster.name);
  });

  const defaultCluster = config?.getOptionalString('kubernetes.defaultCluster');
  if (defaultCluster !== undefined && !seen.has(defaultCluster)) {
    throw new InputError(
      `Invalid config at 'runner.kubernetes.defaultCluster': '${defaultCluster}' is not one of the configured clusters (${
        [...seen].join(', ') || 'none'
      })`,
    );
  }

  const docker = config?.getOptionalConfig('docker');
  return {
    docker: readDocker(docker),
    dockerDefaults: readDockerDefaults(docker),
    pruneSchedule: readPruneSchedule(docker),
    components: readComponentOverrides(config),
    sources: readSourcesConfig(config?.getOptionalConfig('sources')),
    kubernetes: {
      clusters,
      defaultCluster: defaultCluster ?? clusters[0]?.name,
    },
  };
}
