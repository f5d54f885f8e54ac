import type { RunnerConfig } from '../config/RunnerConfig';
import { ClusterClient } from './ClusterClient';

/**
 * The configured clusters by name, and the default one
 * (`runner.kubernetes.defaultCluster`, else the first).
 */
export class ClusterSet {
  readonly #clusters: Map<string, ClusterClient>;
  readonly defaultName: string | undefined;

  constructor(clusters: ClusterClient[], defaultName?: string) {
    this.#clusters = new Map(clusters.map(c => [c.name, c]));
    this.defaultName = defaultName ?? clusters[0]?.name;
  }

  static fromConfig(kubernetes: RunnerConfig['kubernetes']): ClusterSet {
    return new ClusterSet(
      kubernetes.clusters.map(c => new ClusterClient(c)),
      kubernetes.defaultCluster,
    );
  }

  /** False when `runner.kubernetes.clusters` is empty. */
  get configured(): boolean {
    return this.#clusters.size > 0;
  }

  list(): ClusterClient[] {
    return [...this.#clusters.values()];
  }

  names(): string[] {
    return [...this.#clusters.keys()];
  }

  /** The named cluster (default when no name is given), or undefined when none such is configured. */
  find(name?: string): ClusterClient | undefined {
    const wanted = name || this.defaultName;
    return wanted ? this.#clusters.get(wanted) : undefined;
  }
}
