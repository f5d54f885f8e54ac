import type http from 'node:http';
import { matchesLabels, parseLabelSelector } from '../labelSelector';
import type { ObjectStore } from './ObjectStore';
import type { ObjectWriter, WriteOutcome, WriteTarget } from './objectWrites';
import type { ParsedPath } from './requestPath';
import { apiVersionOf, typeKey } from './resourceTypes';
import { statusErrors } from './status';
import type { WatchHub } from './WatchHub';

/*
 * The verbs on a resource path of the test API server: list / watch / get /
 * create / update / patch / delete, with query parameters (dryRun,
 * labelSelector, fieldSelector, watch options) and request bodies.
 */

type ResourcePath = Extract<ParsedPath, { kind: 'resource' }>;

const MAX_BODY = 3 * 1024 * 1024;
const PATCH_TYPES = ['application/merge-patch+json'];

async function readBody(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY)
      throw statusErrors.badRequest('the request body is too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw statusErrors.badRequest(
      `the body of the request could not be decoded as JSON: ${
        (error as Error).message
      }`,
    );
  }
}

function verbOf(method: string, path: ResourcePath, watch: boolean): string {
  if (method === 'GET' && path.name) return 'get';
  if (method === 'GET') return watch ? 'watch' : 'list';
  if (method === 'POST' && !path.name) return 'create';
  if (method === 'PUT' && path.name) return 'update';
  if (method === 'PATCH' && path.name) return 'patch';
  if (method === 'DELETE' && path.name) return 'delete';
  throw statusErrors.methodNotAllowed();
}

function fieldSelector(value: string | null): {
  name?: string;
  namespace?: string;
} {
  const result: { name?: string; namespace?: string } = {};
  for (const part of (value ?? '').split(',').filter(Boolean)) {
    const match = /^(metadata\.name|metadata\.namespace)(==|=)(.*)$/.exec(
      part.trim(),
    );
    if (!match) {
      throw statusErrors.badRequest(
        `"${part}" is not a known field selector: only "metadata.name", "metadata.namespace"`,
      );
    }
    if (match[1] === 'metadata.name') result.name = match[3];
    else result.namespace = match[3];
  }
  return result;
}

export class ResourceRoutes {
  readonly #forbidden: Array<{
    group: string;
    plural: string;
    verbs?: string[];
  }> = [];

  constructor(
    private readonly deps: {
      store: ObjectStore;
      writer: ObjectWriter;
      watches: WatchHub;
      user: string;
    },
  ) {}

  forbid(resource: { group: string; plural: string; verbs?: string[] }) {
    this.#forbidden.push(resource);
  }

  async handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    path: ResourcePath,
  ): Promise<void> {
    const { type } = path;
    const query = url.searchParams;
    const watch = ['true', '1'].includes(query.get('watch') ?? '');
    const verb = verbOf(req.method ?? 'GET', path, watch);
    const denied = this.#forbidden.find(
      f =>
        f.group === type.group &&
        f.plural === type.plural &&
        (!f.verbs || f.verbs.includes(verb)),
    );
    if (denied) {
      throw statusErrors.forbidden(
        type,
        verb,
        this.deps.user,
        path.namespace,
        path.name,
      );
    }
    const writes = ['create', 'update', 'patch', 'delete'];
    if (writes.includes(verb) && type.readOnly)
      throw statusErrors.methodNotAllowed();
    if (path.subresource && !type.statusSubresource.has(path.version)) {
      throw statusErrors.pathNotFound();
    }
    if (path.subresource && !['get', 'update', 'patch'].includes(verb)) {
      throw statusErrors.methodNotAllowed();
    }
    const dryRunValue = query.get('dryRun');
    if (dryRunValue !== null && dryRunValue !== 'All') {
      throw statusErrors.badRequest(
        `dryRun: Unsupported value: "${dryRunValue}": supported values: "All"`,
      );
    }
    const dryRun = dryRunValue === 'All';
    const target: WriteTarget = {
      type,
      version: path.version,
      namespace: path.namespace,
      name: path.name,
      subresource: path.subresource,
    };
    const send = (outcome: WriteOutcome) => {
      const headers: Record<string, string | string[]> = {
        'content-type': 'application/json',
      };
      if (outcome.warnings.length > 0) headers.warning = outcome.warnings;
      res.writeHead(outcome.code, headers);
      res.end(JSON.stringify(outcome.body));
    };
    switch (verb) {
      case 'get': {
        const found = this.deps.store.get(
          typeKey(type),
          path.namespace,
          path.name!,
        );
        if (!found) throw statusErrors.notFound(type, path.name!);
        return send({
          code: 200,
          body: {
            ...found,
            apiVersion: apiVersionOf(type.group, path.version),
          },
          warnings: [],
        });
      }
      case 'list':
        return send({ code: 200, body: this.#list(path, query), warnings: [] });
      case 'watch': {
        const fields = fieldSelector(query.get('fieldSelector'));
        return this.deps.watches.serve(res, {
          type,
          version: path.version,
          namespace: path.namespace ?? fields.namespace,
          name: fields.name,
          selector: parseLabelSelector(query.get('labelSelector') ?? undefined),
          resourceVersion: query.get('resourceVersion') ?? undefined,
          allowBookmarks: query.get('allowWatchBookmarks') === 'true',
          timeoutSeconds: Number(query.get('timeoutSeconds')) || undefined,
        });
      }
      case 'create':
        return send(
          this.deps.writer.create(target, await readBody(req), dryRun),
        );
      case 'update':
        return send(
          this.deps.writer.replace(target, await readBody(req), dryRun),
        );
      case 'patch': {
        const contentType = (req.headers['content-type'] ?? '')
          .split(';')[0]
          .trim();
        if (!PATCH_TYPES.includes(contentType)) {
          throw statusErrors.unsupportedMediaType(contentType, PATCH_TYPES);
        }
        return send(
          this.deps.writer.mergePatch(target, await readBody(req), dryRun),
        );
      }
      case 'delete':
        return send(this.deps.writer.remove(target, dryRun));
      default:
        throw statusErrors.methodNotAllowed();
    }
  }

  #list(path: ResourcePath, query: URLSearchParams) {
    const { type } = path;
    const selector = parseLabelSelector(
      query.get('labelSelector') ?? undefined,
    );
    const fields = fieldSelector(query.get('fieldSelector'));
    const namespace = path.namespace ?? fields.namespace;
    const apiVersion = apiVersionOf(type.group, path.version);
    const items = this.deps.store
      .list(typeKey(type), namespace)
      .filter(o => !fields.name || o.metadata.name === fields.name)
      .filter(o => matchesLabels(selector, o.metadata.labels))
      .map(o => {
        // Like the API server: built-in list items carry no apiVersion/kind.
        if (type.custom) return { ...o, apiVersion };
        const { apiVersion: _a, kind: _k, ...rest } = o;
        return rest;
      });
    return {
      kind: type.listKind,
      apiVersion,
      metadata: { resourceVersion: String(this.deps.store.resourceVersion) },
      items,
    };
  }
}
