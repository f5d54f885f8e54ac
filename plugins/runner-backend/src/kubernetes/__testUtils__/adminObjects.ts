import {
  CustomObjectsApi,
  KubernetesObjectApi,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { adminKubeConfig } from './testCluster';

/*
 * What a test does on the cluster as its admin, beside the plugin: read back
 * what the plugin wrote, put someone else's object in the way, and write
 * status through the status subresource as a controller would. Separate
 * from the plugin's own client (ClusterApi) so that a test never checks the
 * plugin's client with itself.
 */

export interface Ref {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** client-node hands back typed models (Dates); tests compare plain JSON. */
const plain = <T>(value: T): any => JSON.parse(JSON.stringify(value));

export function adminObjects(): KubernetesObjectApi {
  return KubernetesObjectApi.makeApiClient(adminKubeConfig());
}

/** The object as the API server has it, or undefined when it does not exist. */
export async function readObject(ref: Ref): Promise<any | undefined> {
  try {
    return plain(
      await adminObjects().read({
        apiVersion: ref.apiVersion,
        kind: ref.kind,
        metadata: { name: ref.name, namespace: ref.namespace },
      }),
    );
  } catch (error) {
    if ((error as { code?: number }).code === 404) return undefined;
    throw error;
  }
}

export async function listObjects(
  apiVersion: string,
  kind: string,
  namespace: string,
): Promise<any[]> {
  const list = await adminObjects().list(apiVersion, kind, namespace);
  return plain(list.items);
}

/** Creates an object as the admin (not through the plugin). */
export async function createObject(object: KubernetesObject): Promise<any> {
  return plain(await adminObjects().create(object));
}

/**
 * Replaces a custom resource's status through its status subresource, with
 * the live resourceVersion, retrying when someone wrote in between — what a
 * controller does. The API server validates it against the CRD's schema.
 */
export async function writeStatus(ref: Ref, status: unknown): Promise<any> {
  const [group, version] = ref.apiVersion.split('/');
  const plural = await pluralOf(ref.apiVersion, ref.kind);
  const api = adminKubeConfig().makeApiClient(CustomObjectsApi);
  for (let attempt = 0; ; attempt++) {
    const current = await readObject(ref);
    if (!current) throw new Error(`${ref.kind} ${ref.name} does not exist`);
    try {
      return plain(
        await api.replaceNamespacedCustomObjectStatus({
          group,
          version,
          namespace: ref.namespace!,
          plural,
          name: ref.name,
          body: { ...current, status },
        }),
      );
    } catch (error) {
      if ((error as { code?: number }).code !== 409 || attempt >= 5)
        throw error;
    }
  }
}

async function pluralOf(apiVersion: string, kind: string): Promise<string> {
  // KubernetesObjectApi's discovery (protected; its own cache) maps kind to plural.
  const discovery = adminObjects() as unknown as {
    resource(
      apiVersion: string,
      kind: string,
    ): Promise<{ name: string } | undefined>;
  };
  const resource = await discovery.resource(apiVersion, kind);
  if (!resource) throw new Error(`${apiVersion} ${kind} is not served`);
  return resource.name;
}
