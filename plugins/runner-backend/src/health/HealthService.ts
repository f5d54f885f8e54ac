import type { RunnerHealthReport } from '@internal/plugin-runner-common';
import type { DockerEngine } from '../docker/DockerEngine';
import type { ClusterClient } from '../kubernetes/ClusterClient';

/** Answers whether the runner's dependencies answer. */
export class HealthService {
  constructor(
    private readonly docker: Pick<DockerEngine, 'health'>,
    private readonly clusters: Pick<ClusterClient, 'health'>[],
  ) {}

  async report(): Promise<RunnerHealthReport> {
    // Checked concurrently, each with its own timeout: one unreachable
    // cluster delays the answer by at most its timeout and blanks nothing else.
    const [docker, clusters] = await Promise.all([
      this.docker.health(),
      Promise.all(this.clusters.map(cluster => cluster.health())),
    ]);
    const healthy = docker.reachable && clusters.every(c => c.reachable);
    return {
      status: healthy ? 'ok' : 'degraded',
      docker,
      kubernetes: { configured: clusters.length > 0, clusters },
      checkedAt: new Date().toISOString(),
    };
  }
}
