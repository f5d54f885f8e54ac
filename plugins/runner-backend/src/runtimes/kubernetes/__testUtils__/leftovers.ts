import { ClusterApi } from '../../../kubernetes/ClusterApi';
import { adminKubeConfig } from '../../../kubernetes/__testUtils__/testCluster';

const KINDS: Array<[string, string]> = [
  ['apps/v1', 'Deployment'],
  ['apps/v1', 'ReplicaSet'],
  ['batch/v1', 'Job'],
  ['v1', 'Pod'],
  ['v1', 'Service'],
  ['v1', 'Secret'],
];

/** `Kind/name` of everything an instance's label still selects, seen by the cluster's admin. */
export async function leftovers(
  namespace: string,
  instanceId: string,
): Promise<string[]> {
  const kc = adminKubeConfig();
  const api = new ClusterApi(kc, {
    url: kc.getCurrentCluster()!.server,
    timeoutMs: 10_000,
  });
  const lists = await Promise.all(
    KINDS.map(([apiVersion, kind]) =>
      api.list(apiVersion, kind, {
        namespace,
        labelSelector: `runner.backstage.io/instance-id=${instanceId}`,
      }),
    ),
  );
  return lists.flatMap((list, i) =>
    list.items.map(o => `${KINDS[i][1]}/${o.metadata.name}`),
  );
}
