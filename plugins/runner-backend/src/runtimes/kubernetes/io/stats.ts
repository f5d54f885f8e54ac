import type { RuntimeStatsSample } from '@internal/plugin-runner-node';
import type { KubeObject } from '../../../kubernetes/ClusterApi';
import type { KubeHttp } from '../wire/KubeHttp';
import { apiCall } from '../wire/apiFailure';

/*
 * Per-pod resource use from each node's kubelet summary API, reached through
 * the API server's node proxy (`/api/v1/nodes/<node>/proxy/stats/summary`):
 * one request per node, whatever the number of pods on it.
 */

export async function podStats(
  http: KubeHttp,
  cluster: string,
  pods: KubeObject[],
): Promise<RuntimeStatsSample[]> {
  const running = pods.filter(
    p =>
      p.spec?.nodeName &&
      p.status?.phase === 'Running' &&
      !p.metadata.deletionTimestamp,
  );
  const nodes = [...new Set(running.map(p => p.spec.nodeName as string))];
  const summaries = await Promise.all(
    nodes.map(node =>
      apiCall(
        {
          cluster,
          namespace: running[0].metadata.namespace!,
          action: `get nodes/${node}/proxy/stats/summary`,
        },
        () =>
          http.json(
            'GET',
            `/api/v1/nodes/${encodeURIComponent(node)}/proxy/stats/summary`,
          ),
      ),
    ),
  );
  const byPod = new Map<string, any>();
  for (const summary of summaries) {
    for (const entry of summary?.pods ?? []) {
      byPod.set(`${entry.podRef?.namespace}/${entry.podRef?.name}`, entry);
    }
  }
  const samples: RuntimeStatsSample[] = [];
  for (const pod of running) {
    const entry = byPod.get(`${pod.metadata.namespace}/${pod.metadata.name}`);
    const container = (entry?.containers ?? []).find(
      (c: any) => c.name === 'app',
    );
    // The container's own numbers: with the cgroupfs driver the kubelet may
    // report zeros for the pod's cgroup while its containers' are right.
    const cpu = container?.cpu ?? entry?.cpu;
    if (!cpu) continue;
    const memory = container?.memory ?? entry.memory ?? {};
    samples.push({
      unit: pod.metadata.name,
      at: cpu.time ?? new Date().toISOString(),
      cpuUsageNanoSeconds: cpu.usageCoreNanoSeconds ?? 0,
      cpuCores:
        typeof cpu.usageNanoCores === 'number'
          ? cpu.usageNanoCores / 1e9
          : undefined,
      memoryWorkingSetBytes: memory.workingSetBytes ?? 0,
      // The kubelet reports what is left below the limit, not the limit.
      memoryLimitBytes:
        typeof memory.availableBytes === 'number'
          ? memory.availableBytes + (memory.workingSetBytes ?? 0)
          : undefined,
      networkRxBytes: entry.network?.rxBytes ?? 0,
      networkTxBytes: entry.network?.txBytes ?? 0,
      pids: entry.process_stats?.process_count,
    });
  }
  return samples;
}
