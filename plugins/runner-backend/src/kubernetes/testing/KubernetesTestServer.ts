/*
 * An in-process stand-in for a Kubernetes API server.
 *
 * No Kubernetes API server can run on the machines this project is developed
 * and tested on (no container runtime for kind/k3s, no etcd, no kubelet), so
 * tests of Kubernetes code talk to this: a node http server on 127.0.0.1 (a
 * random port) that speaks the real wire protocol for what the plugin uses.
 *
 * Implemented:
 * - discovery: `/version`, `/api`, `/api/v1`, `/apis`, `/apis/<group>`,
 *   `/apis/<group>/<version>` (resource lists with `/status` subresources);
 * - resources: core Namespaces and Secrets, apps/v1 Deployments (seeded by
 *   tests, e.g. controllers), read-only CustomResourceDefinitions, and every
 *   served version of each installed CRD (conversion strategy None);
 * - verbs: list, get, create (POST), replace (PUT), JSON merge patch
 *   (PATCH `application/merge-patch+json`), delete, on objects and on their
 *   `/status` subresource; `dryRun=All` (validates, answers, stores nothing);
 * - `labelSelector` (`=`, `==`, `!=`, `in`, `notin`, exists, `!key`) and
 *   `fieldSelector` on `metadata.name` / `metadata.namespace`;
 * - one monotonic resourceVersion, `uid`, `creationTimestamp`, `generation`
 *   (bumped on spec changes only), status written only through `/status`
 *   where the CRD has that subresource, Secret `stringData` folded into
 *   base64 `data`, objects in a missing namespace refused (404);
 * - optimistic concurrency: a stale `metadata.resourceVersion` is a 409
 *   Conflict with the API server's message, a custom resource update without
 *   one a 422; `AlreadyExists` 409, `NotFound` 404;
 * - validation of custom resources and Secrets with the plugin's phase-1
 *   validator (ObjectMeta, OpenAPI schema, CEL), then pruning and defaulting;
 *   errors as a 422 Invalid Status in the API server's message format,
 *   pruned unknown fields as `Warning` headers;
 * - watch (`watch=true`, `resourceVersion`, `allowWatchBookmarks`,
 *   `timeoutSeconds`): JSON lines, resumable inside a bounded event window,
 *   an ERROR event with a 410 Expired Status when the resourceVersion is
 *   older than the window;
 * - bearer-token authentication (401), per-resource 403s (`forbid`), and
 *   test controls: set status, seed objects, compact the event window, drop
 *   watches, stop and restart on the same port, stop answering.
 *
 * Not implemented: TLS, other auth methods, RBAC beyond `forbid`, JSON patch,
 * strategic merge patch and server-side apply (415), `generateName`,
 * pagination (`limit` is ignored and everything is returned, which servers
 * may do), finalizers and graceful deletion, admission webhooks, conversion
 * webhooks, field managers, protobuf, `resourceVersionMatch`, and any
 * built-in resource not listed above. Real clusters remain the reference.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CrdRegistry } from '../../gateway/validation/CrdRegistry';
import { ObjectValidator } from '../../gateway/validation/ObjectValidator';
import { cloneJson } from '../../gateway/validation/schemaWalk';
import type { ClusterConfig } from '../../config/RunnerConfig';
import { LabelSelectorError } from '../labelSelector';
import { apiGroup, apiGroupList, apiVersions, resourceList } from './discovery';
import { ObjectStore, type StoredObject } from './ObjectStore';
import { ObjectWriter } from './objectWrites';
import { parseRequestPath } from './requestPath';
import { ResourceRoutes } from './ResourceRoutes';
import {
  BUILTIN_TYPES,
  apiVersionOf,
  typeFromCrd,
  typeKey,
  type ResourceType,
} from './resourceTypes';
import { ApiStatusError, statusErrors } from './status';
import { WatchHub } from './WatchHub';

export interface KubernetesTestServerOptions {
  /** Bearer token clients must send. Default `test-token`. */
  token?: string;
  /** `apiextensions.k8s.io/v1` CRDs to install. */
  crds?: unknown[];
  /** Namespaces that exist from the start. Default `['default']`. */
  namespaces?: string[];
  /** `/version` gitVersion. Default `v1.34.1`. */
  gitVersion?: string;
  /** How many past events a watch can resume from. Default 1000. */
  historyWindow?: number;
  /** How often watches that allow bookmarks get one. Default 1000 ms. */
  bookmarkIntervalMs?: number;
  /** The user named in 403 messages. */
  user?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
}

const CRD_TYPE = BUILTIN_TYPES.find(
  t => t.kind === 'CustomResourceDefinition',
)!;

export class KubernetesTestServer {
  readonly token: string;
  /** Every request, oldest first, for assertions such as "a dry run was sent". */
  readonly requests: RecordedRequest[] = [];
  readonly #options: KubernetesTestServerOptions;
  readonly #store: ObjectStore;
  readonly #watches: WatchHub;
  readonly #writer: ObjectWriter;
  readonly #routes: ResourceRoutes;
  #types: ResourceType[] = [...BUILTIN_TYPES];
  #registry = CrdRegistry.fromCustomResourceDefinitions([]);
  #validator = new ObjectValidator(this.#registry);
  #server: http.Server | undefined;
  #port = 0;
  #unresponsive = false;

  private constructor(options: KubernetesTestServerOptions) {
    this.#options = options;
    this.token = options.token ?? 'test-token';
    this.#store = new ObjectStore({
      historyWindow: options.historyWindow ?? 1000,
    });
    this.#watches = new WatchHub(this.#store, {
      bookmarkIntervalMs: options.bookmarkIntervalMs ?? 1000,
    });
    this.#writer = new ObjectWriter({
      store: this.#store,
      registry: () => this.#registry,
      validator: () => this.#validator,
    });
    this.#routes = new ResourceRoutes({
      store: this.#store,
      writer: this.#writer,
      watches: this.#watches,
      user: options.user ?? 'system:serviceaccount:backstage:runner',
    });
  }

  static async start(
    options: KubernetesTestServerOptions = {},
  ): Promise<KubernetesTestServer> {
    const server = new KubernetesTestServer(options);
    for (const namespace of options.namespaces ?? ['default']) {
      server.createNamespace(namespace);
    }
    if (options.crds) server.installCrds(options.crds);
    await server.#listen();
    return server;
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  get resourceVersion(): number {
    return this.#store.resourceVersion;
  }

  get openWatches(): number {
    return this.#watches.openCount;
  }

  /** A `runner.kubernetes.clusters[]` entry pointing here (plain HTTP needs skipTLSVerify in client-node). */
  clusterConfig(
    name = 'test',
    overrides: Partial<ClusterConfig> = {},
  ): ClusterConfig {
    return {
      name,
      url: this.url,
      auth: { type: 'serviceAccount', token: this.token },
      skipTLSVerify: true,
      connectionTimeoutMs: 2000,
      ...overrides,
    };
  }

  /** Installs CRDs as the API server would serve them once Established. */
  installCrds(crds: unknown[]): void {
    for (const crd of crds as any[]) {
      const type = typeFromCrd(crd);
      if (!type) continue;
      this.#types = this.#types.filter(t => typeKey(t) !== typeKey(type));
      this.#types.push(type);
      this.#store.write(typeKey(CRD_TYPE), {
        ...cloneJson(crd),
        metadata: {
          ...crd.metadata,
          uid: crypto.randomUUID(),
          creationTimestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
          generation: 1,
        },
        status: {
          conditions: [
            { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts' },
            {
              type: 'Established',
              status: 'True',
              reason: 'InitialNamesAccepted',
            },
          ],
          acceptedNames: crd.spec.names,
          storedVersions: crd.spec.versions
            .filter((v: any) => v.storage)
            .map((v: any) => v.name),
        },
      });
    }
    this.#registry = CrdRegistry.fromCustomResourceDefinitions(
      this.#store.list(typeKey(CRD_TYPE)),
    );
    this.#validator = new ObjectValidator(this.#registry);
  }

  createNamespace(name: string): void {
    this.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }

  /** Stores an object as it is, without validation (e.g. a controller's Deployment). */
  seed(object: Record<string, any>): StoredObject {
    const type = this.#typeOf(object.apiVersion, object.kind);
    const stored = cloneJson(object) as StoredObject;
    stored.metadata = {
      uid: crypto.randomUUID(),
      creationTimestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      ...(type.generation ? { generation: 1 } : {}),
      ...stored.metadata,
    };
    return this.#store.write(typeKey(type), stored);
  }

  get(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
  ): StoredObject | undefined {
    const type = this.#typeOf(apiVersion, kind);
    const found = this.#store.get(typeKey(type), namespace, name);
    return found ? { ...found, apiVersion } : undefined;
  }

  list(apiVersion: string, kind: string, namespace?: string): StoredObject[] {
    const type = this.#typeOf(apiVersion, kind);
    return this.#store
      .list(typeKey(type), namespace)
      .map(o => ({ ...o, apiVersion }));
  }

  /** Writes `status` through the status subresource, as a controller would (validated, new resourceVersion). */
  setStatus(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
    status: unknown,
  ): StoredObject {
    const type = this.#typeOf(apiVersion, kind);
    const version = apiVersion.split('/').pop()!;
    const current = this.get(apiVersion, kind, namespace, name);
    if (!current)
      throw new Error(`${kind} ${namespace}/${name} does not exist`);
    const outcome = this.#writer.replace(
      { type, version, namespace, name, subresource: 'status' },
      { ...current, status },
      false,
    );
    return outcome.body as StoredObject;
  }

  /** Answers 403 to these verbs (default: all) on a resource. */
  forbid(resource: { group: string; plural: string; verbs?: string[] }): void {
    this.#routes.forbid(resource);
  }

  /** Drops the event window: every earlier resourceVersion becomes too old to watch from (410). */
  compactHistory(): void {
    this.#store.compact();
  }

  /** Ends every open watch, as a restart or a proxy timeout would. */
  dropWatches(): void {
    this.#watches.closeAll();
  }

  sendBookmarks(): void {
    this.#watches.sendBookmarks();
  }

  /** While true, requests are accepted and never answered (for timeout tests). */
  setUnresponsive(unresponsive: boolean): void {
    this.#unresponsive = unresponsive;
  }

  /** Stops listening and cuts every connection; the objects stay for restart(). */
  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    this.#watches.closeAll();
    await new Promise<void>(resolve => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /** Listens again on the same port with the same objects. */
  async restart(): Promise<void> {
    await this.stop();
    await this.#listen();
  }

  #typeOf(apiVersion: string, kind: string): ResourceType {
    const type = this.#types.find(
      t =>
        t.kind === kind &&
        t.versions.some(v => apiVersionOf(t.group, v) === apiVersion),
    );
    if (!type)
      throw new Error(`the test server does not serve ${apiVersion} ${kind}`);
    return type;
  }

  #findType = (group: string, version: string, plural: string) =>
    this.#types.find(
      t =>
        t.group === group &&
        t.plural === plural &&
        t.versions.includes(version),
    );

  async #listen(): Promise<void> {
    const server = http.createServer((req, res) => {
      this.#handle(req, res).catch(error => {
        const status =
          error instanceof ApiStatusError
            ? error.status
            : {
                ...statusErrors.badRequest(String(error)).status,
                code: 500,
                reason: 'InternalError',
              };
        if (!res.headersSent) {
          res.writeHead(status.code, { 'content-type': 'application/json' });
        }
        res.end(JSON.stringify(status));
      });
    });
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, '127.0.0.1', () => resolve());
    });
    this.#port = (server.address() as AddressInfo).port;
    this.#server = server;
  }

  async #handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    this.requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
    });
    if (this.#unresponsive) return;
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      throw statusErrors.unauthorized();
    }
    const parsed = parseRequestPath(url.pathname, this.#findType);
    const json = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const found = (body: unknown) => {
      if (!body) throw statusErrors.pathNotFound();
      json(body);
    };
    switch (parsed?.kind) {
      case 'version':
        json({
          major: '1',
          minor: (this.#options.gitVersion ?? 'v1.34.1').split('.')[1],
          gitVersion: this.#options.gitVersion ?? 'v1.34.1',
          platform: 'linux/amd64',
        });
        return;
      case 'api':
        json(apiVersions(`127.0.0.1:${this.#port}`));
        return;
      case 'apis':
        json(apiGroupList(this.#types));
        return;
      case 'group':
        found(apiGroup(this.#types, parsed.group));
        return;
      case 'groupVersion':
        found(resourceList(this.#types, parsed.group, parsed.version));
        return;
      case 'resource':
        try {
          await this.#routes.handle(req, res, url, parsed);
          return;
        } catch (error) {
          if (error instanceof LabelSelectorError) {
            throw statusErrors.badRequest(error.message);
          }
          throw error;
        }
      default:
        throw statusErrors.pathNotFound();
    }
  }
}
