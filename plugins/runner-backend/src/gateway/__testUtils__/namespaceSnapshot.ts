import { listObjects } from '../../kubernetes/__testUtils__/adminObjects';

const KINDS: Array<[string, string]> = [
  ['v1', 'Secret'],
  ['gateway.envoyproxy.io/v1alpha1', 'Backend'],
  ['gateway.networking.k8s.io/v1', 'BackendTLSPolicy'],
  ['aigateway.envoyproxy.io/v1beta1', 'AIServiceBackend'],
  ['aigateway.envoyproxy.io/v1beta1', 'BackendSecurityPolicy'],
  ['gateway.networking.k8s.io/v1', 'HTTPRoute'],
  ['aigateway.envoyproxy.io/v1beta1', 'AIGatewayRoute'],
];

/**
 * Every managed object of a namespace with its resourceVersion, read as the
 * cluster admin: "nothing changed" is this staying equal.
 */
export async function namespaceSnapshot(namespace: string): Promise<string[]> {
  const lists = await Promise.all(
    KINDS.map(([apiVersion, kind]) => listObjects(apiVersion, kind, namespace)),
  );
  return lists
    .flat()
    .map(o => `${o.kind}/${o.metadata.name}@${o.metadata.resourceVersion}`)
    .sort();
}
