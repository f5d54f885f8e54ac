import {
  ApisApi,
  HttpMethod,
  KubeConfig,
  KubernetesObjectApi,
  ServerConfiguration,
  VersionApi,
  Watch,
  createConfiguration,
  type Configuration,
  type RequestContext,
  type ResponseContext,
} from '@kubernetes/client-node';
import { KubernetesApiError, toKubernetesApiError } from './KubernetesApiError';

/*
 * The calls the plugin makes to one cluster, through client-node: generic
 * object CRUD (KubernetesObjectApi, which maps kinds to resources through
 * discovery), discovery, version, and watches. Every call carries the
 * cluster's timeout as an abort signal, and every failure comes out as a
 * KubernetesApiError.
 */

export type KubeObject = Record<string, any> & {
  apiVersion: string;
  kind: string;
  metadata: Record<string, any> & { name: string; namespace?: string };
};

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export interface ListResult {
  items: KubeObject[];
  /** The collection's resourceVersion, to start a watch from. */
  resourceVersion: string;
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: any;
}

/** client-node deserializes metadata into typed models (Dates); the plugin works on plain JSON. */
function toPlain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

export class ClusterApi {
  readonly #objects: KubernetesObjectApi;
  readonly #configuration: Configuration;
  readonly #kubeConfig: KubeConfig;
  readonly #context: { url: string; timeoutMs: number };

  constructor(
    kubeConfig: KubeConfig,
    options: { url: string; timeoutMs: number },
  ) {
    this.#kubeConfig = kubeConfig;
    this.#context = options;
    const cluster = kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster');
    const timeoutMs = options.timeoutMs;
    this.#configuration = createConfiguration({
      baseServer: new ServerConfiguration(cluster.server, {}),
      authMethods: { default: kubeConfig },
      promiseMiddleware: [
        {
          // One deadline per request, so a silent API server cannot hold a caller.
          pre: async (context: RequestContext) => {
            context.setSignal(AbortSignal.timeout(timeoutMs));
            return context;
          },
          post: async (context: ResponseContext) => context,
        },
      ],
    });
    this.#objects = new KubernetesObjectApi(this.#configuration);
  }

  async #call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return toPlain(await work());
    } catch (error) {
      // KubernetesObjectApi's discovery found the group but not the kind.
      const unrecognized = /Unrecognized API version and kind: (.*)$/.exec(
        (error as Error)?.message ?? '',
      );
      if (unrecognized) {
        throw new KubernetesApiError({
          message: `the API server at ${this.#context.url} does not serve ${
            unrecognized[1]
          }; is its CRD installed?`,
          kind: 'status',
          code: 404,
          reason: 'NotFound',
        });
      }
      throw toKubernetesApiError(error, this.#context);
    }
  }

  async version(): Promise<string | undefined> {
    const version = await this.#call(() =>
      new VersionApi(this.#configuration).getCode(),
    );
    return version.gitVersion;
  }

  /** `/apis`: every group and its versions, for clusters where listing CRDs is not allowed. */
  async apiGroups(): Promise<Array<{ name: string; versions: string[] }>> {
    const list = await this.#call(() =>
      new ApisApi(this.#configuration).getAPIVersions(),
    );
    return (list.groups ?? []).map((g: any) => ({
      name: g.name,
      versions: (g.versions ?? []).map((v: any) => v.version),
    }));
  }

  /**
   * GET a path as raw JSON. client-node's typed models rename fields of some
   * kinds (a CRD's `x-kubernetes-validations` becomes `xKubernetesValidations`),
   * so schemas are read this way, untouched.
   */
  async #getJson(path: string): Promise<any> {
    return this.#call(async () => {
      const context = this.#configuration.baseServer.makeRequestContext(
        path,
        HttpMethod.GET,
      );
      context.setHeaderParam('Accept', 'application/json');
      await this.#kubeConfig.applySecurityAuthentication(context);
      context.setSignal(AbortSignal.timeout(this.#context.timeoutMs));
      const response = await this.#configuration.httpApi
        .send(context)
        .toPromise();
      const text = await response.body.text();
      if (response.httpStatusCode >= 300) {
        throw Object.assign(new Error(`HTTP ${response.httpStatusCode}`), {
          code: response.httpStatusCode,
          body: text,
        });
      }
      return JSON.parse(text);
    });
  }

  /** `/apis/<group>/<version>`: the kinds a group version serves; undefined when it is not served. */
  async apiResources(
    groupVersion: string,
  ): Promise<
    Array<{ name: string; kind: string; namespaced: boolean }> | undefined
  > {
    try {
      const list = await this.#getJson(`/apis/${groupVersion}`);
      return (list.resources ?? []).filter((r: any) => !r.name.includes('/'));
    } catch (error) {
      if ((error as { code?: number }).code === 404) return undefined;
      throw error;
    }
  }

  /** Every CustomResourceDefinition, as the API server sends it (schemas untouched). */
  async customResourceDefinitions(): Promise<KubeObject[]> {
    const list = await this.#getJson(
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
    );
    return (list.items ?? []).map((crd: any) => ({
      ...crd,
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
    }));
  }

  async list(
    apiVersion: string,
    kind: string,
    options: { namespace?: string; labelSelector?: string } = {},
  ): Promise<ListResult> {
    const list = await this.#call(() =>
      this.#objects.list(
        apiVersion,
        kind,
        options.namespace,
        undefined,
        undefined,
        undefined,
        undefined,
        options.labelSelector,
      ),
    );
    return {
      // Built-in list items come without apiVersion and kind.
      items: (list.items ?? []).map(
        item => ({ ...item, apiVersion, kind } as KubeObject),
      ),
      resourceVersion: list.metadata?.resourceVersion ?? '',
    };
  }

  /** The object, or undefined when it does not exist. */
  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    try {
      const found = await this.#call(() =>
        this.#objects.read({
          apiVersion: ref.apiVersion,
          kind: ref.kind,
          metadata: { name: ref.name, namespace: ref.namespace },
        }),
      );
      return {
        ...found,
        apiVersion: ref.apiVersion,
        kind: ref.kind,
      } as KubeObject;
    } catch (error) {
      if ((error as { code?: number }).code === 404) return undefined;
      throw error;
    }
  }

  async create(
    object: KubeObject,
    options: { dryRun?: boolean } = {},
  ): Promise<KubeObject> {
    return this.#call(() =>
      this.#objects.create(
        toPlain(object),
        undefined,
        options.dryRun ? 'All' : undefined,
        'backstage-runner',
      ),
    ) as Promise<KubeObject>;
  }

  /** PUT: fails with 409 when `metadata.resourceVersion` is stale. */
  async replace(
    object: KubeObject,
    options: { dryRun?: boolean } = {},
  ): Promise<KubeObject> {
    return this.#call(() =>
      this.#objects.replace(
        toPlain(object),
        undefined,
        options.dryRun ? 'All' : undefined,
        'backstage-runner',
      ),
    ) as Promise<KubeObject>;
  }

  async delete(
    ref: ObjectRef,
    options: { dryRun?: boolean } = {},
  ): Promise<void> {
    await this.#call(() =>
      this.#objects.delete(
        {
          apiVersion: ref.apiVersion,
          kind: ref.kind,
          metadata: { name: ref.name, namespace: ref.namespace },
        },
        undefined,
        options.dryRun ? 'All' : undefined,
      ),
    );
  }

  /**
   * Starts a watch on a collection path (`/apis/<group>/<version>/<plural>`);
   * `onDone` is called once, with the error if it failed. Abort the returned
   * controller to stop.
   */
  async watch(
    path: string,
    query: Record<string, string>,
    onEvent: (event: WatchEvent) => void,
    onDone: (error?: Error) => void,
  ): Promise<AbortController> {
    return new Watch(this.#kubeConfig).watch(
      path,
      query,
      (type, object) => onEvent({ type: type as WatchEvent['type'], object }),
      error =>
        onDone(
          error && error.name !== 'AbortError'
            ? toKubernetesApiError(error, this.#context)
            : undefined,
        ),
    );
  }
}
