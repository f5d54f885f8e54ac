/**
 * Whether one dependency of the runner answers, and why not when it does not.
 *
 * @public
 */
export interface DependencyStatus {
  reachable: boolean;
  /** Engine or API server version when reachable. */
  version?: string;
  /** Why the dependency is not reachable, in words a user can act on. */
  reason?: string;
}

/** @public */
export interface DockerHealth extends DependencyStatus {
  /** Where the backend looks for the engine, e.g. `unix:///var/run/docker.sock`. */
  endpoint: string;
}

/** @public */
export interface KubernetesClusterHealth extends DependencyStatus {
  name: string;
  url: string;
}

/**
 * Body of `GET /api/runner/health`.
 *
 * @public
 */
export interface RunnerHealthReport {
  status: 'ok' | 'degraded';
  docker: DockerHealth;
  kubernetes: {
    /** False when `runner.kubernetes.clusters` is empty: gateway resources can be built and validated, not applied. */
    configured: boolean;
    clusters: KubernetesClusterHealth[];
  };
  checkedAt: string;
}
