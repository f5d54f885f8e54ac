import Router from 'express-promise-router';
import express from 'express';
import { InputError, NotFoundError } from '@backstage/errors';
import type { JsonObject } from '@backstage/types';
import { z } from 'zod';
import {
  runnerGatewayCreatePermission,
  runnerGatewayDeletePermission,
  runnerGatewayReadPermission,
  runnerGatewayUpdatePermission,
  type GatewayBundleType,
} from '@internal/plugin-runner-common';
import {
  isTemplateId,
  listTemplates,
  templateInputJsonSchema,
} from '../gateway';
import { YAML_LIMITS } from '../gateway/changes/yamlLimits';
import type { ProposalRequest } from '../gateway/service/proposals';
import type { GatewayService } from '../gateway/service/GatewayService';
import type { ClusterInspector } from '../kubernetes/ClusterInspector';
import type { Entity } from '@backstage/catalog-model';
import type { EntityAccess, EntityOperation } from '../access/EntityAccess';
import { operations } from '../access/operations';
import {
  entityPathSchema,
  entityRefFromPath,
  parseOrThrow,
} from './validation';

/*
 * REST for gateway resources. Thin: parse, authorize the runner.gateway.*
 * permission on the entity, audit, call one GatewayService method. Request
 * bodies hold credentials, so a body that does not parse is refused without
 * echoing any of it, and audit metadata names objects, never values.
 */

export interface GatewayRouterOptions {
  access: EntityAccess;
  gateway: GatewayService;
  inspector: ClusterInspector;
}

const MAX_BODY = '1mb';
const YAML_TYPES = [
  'text/yaml',
  'text/x-yaml',
  'application/yaml',
  'application/x-yaml',
  'text/plain',
];
const BUNDLE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const bundleNameSchema = z
  .string()
  .max(63)
  .regex(BUNDLE_NAME, 'must be a bundle name: a lowercase RFC 1123 label');

const proposalSchema = z.union([
  z.object({
    template: z
      .string()
      .refine(isTemplateId, 'must be a template id (GET /gateway/templates)'),
    input: z.record(z.string(), z.unknown()),
  }),
  z.object({ yaml: z.string().min(1), bundle: bundleNameSchema.optional() }),
]);

const updateSchema = z.object({
  input: z.record(z.string(), z.unknown()),
  resourceVersions: z.record(z.string(), z.string()),
});

const rollbackSchema = z.object({
  type: z.enum(['route', 'provider']),
  name: bundleNameSchema,
});

const bundleQuerySchema = z
  .object({ bundle: bundleNameSchema.optional() })
  .strict();

/**
 * The bundle of YAML objects that carry no bundle label: `?bundle=` on every
 * route that takes one. A JSON body's `"bundle"` (beside `"yaml"`) is read
 * too, as before, and must not name another.
 */
function bundleOf(req: express.Request): string | undefined {
  const { bundle } = parseOrThrow(bundleQuerySchema, req.query, 'query');
  const body = req.body as Record<string, unknown> | undefined;
  const inBody =
    body && typeof body === 'object' && !Array.isArray(body)
      ? body.bundle
      : undefined;
  if (inBody === undefined) return bundle;
  const named = parseOrThrow(bundleNameSchema, inBody, 'body.bundle');
  if (bundle !== undefined && bundle !== named) {
    throw new InputError(
      `Invalid request: ?bundle=${bundle} and the body's "bundle" (${named}) differ; name the bundle once, with ?bundle=`,
    );
  }
  return named;
}

/** A validate, diff or export body, with the bundle named as every route names it. */
function proposalOf(req: express.Request): ProposalRequest {
  const body = parseOrThrow(proposalSchema, req.body, 'body');
  const bundle = bundleOf(req);
  if (!('yaml' in body)) {
    if (bundle !== undefined) {
      throw new InputError(
        'Invalid request: ?bundle= names the bundle of YAML objects without a bundle label; a template input names its bundle with "name"',
      );
    }
    return body;
  }
  return { yaml: body.yaml, ...(bundle !== undefined ? { bundle } : {}) };
}

/** Whether a parsed JSON body nests deeper than `max`; iterative, so any depth is safe to ask about. */
function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth + 1 > max) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

const ENTITY = '/entities/:kind/:namespace/:name/gateway';
const COLLECTION = `${ENTITY}/:collection(routes|providers)`;

function typeOf(collection: string): GatewayBundleType {
  return collection === 'routes' ? 'route' : 'provider';
}

export function createGatewayRouter(
  options: GatewayRouterOptions,
): express.Router {
  const { access, gateway, inspector } = options;
  const router = Router();
  router.use(express.json({ limit: MAX_BODY }));
  router.use(express.text({ type: YAML_TYPES, limit: MAX_BODY }));
  // Everything downstream (schemas, templates, diffs) walks bodies recursively.
  router.use((req, _res, next) => {
    if (nestedDeeperThan(req.body, YAML_LIMITS.maxDepth)) {
      next(
        new InputError(
          `Invalid body: JSON nested more than ${YAML_LIMITS.maxDepth} levels deep (maxDepth); gateway inputs and objects nest about 10`,
        ),
      );
      return;
    }
    next();
  });

  /**
   * The shared step on the entity of the path (its segments are checked
   * inside the audit event), then `work` with the entity and the calling user.
   */
  function onEntity<T>(
    req: express.Request,
    operation: EntityOperation,
    work: (entity: Entity, actor?: string) => Promise<T>,
  ): Promise<T> {
    const subject = async () => ({
      entityRef: entityRefFromPath(
        parseOrThrow(entityPathSchema, req.params, 'entity path'),
      ),
    });
    return access.run(req, operation, subject, async ({ entity, actor }) =>
      work(await entity(), actor),
    );
  }

  const read = (auditMeta: JsonObject): EntityOperation => ({
    eventId: 'gateway-read',
    meta: auditMeta,
    severityLevel: 'low',
    permissions: [runnerGatewayReadPermission],
  });

  /** The path's entity ref as written, for the audit event of a path that may not parse. */
  function refOf(req: express.Request): string {
    const { kind, namespace, name } = req.params;
    return `${kind}:${namespace}/${name}`.toLocaleLowerCase('en-US');
  }

  function meta(req: express.Request, extra: JsonObject = {}): JsonObject {
    return { entityRef: refOf(req), ...extra };
  }

  router.get('/gateway/clusters', async (req, res) => {
    await access.credentials(req);
    res.json(await inspector.report());
  });

  router.get('/gateway/templates', async (req, res) => {
    await access.credentials(req);
    res.json({ items: listTemplates() });
  });

  router.get('/gateway/templates/:template', async (req, res) => {
    await access.credentials(req);
    const id = req.params.template;
    const template = listTemplates().find(t => t.id === id);
    if (!template || !isTemplateId(id)) {
      throw new NotFoundError(
        `No gateway template '${id}'; see GET /gateway/templates`,
      );
    }
    res.json({ ...template, inputSchema: templateInputJsonSchema(id) });
  });

  router.get(COLLECTION, async (req, res) => {
    const type = typeOf(req.params.collection);
    const list = await onEntity(req, read(meta(req, { type })), async entity =>
      gateway.list(entity, type),
    );
    res.json(list);
  });

  router.get(`${COLLECTION}/:bundle`, async (req, res) => {
    const type = typeOf(req.params.collection);
    const bundle = parseOrThrow(
      bundleNameSchema,
      req.params.bundle,
      'bundle name',
    );
    const view = await onEntity(
      req,
      read(meta(req, { type, bundle })),
      async entity => gateway.get(entity, type, bundle),
    );
    res.json(view);
  });

  router.post(COLLECTION, async (req, res) => {
    const type = typeOf(req.params.collection);
    const body = parseOrThrow(
      z.record(z.string(), z.unknown()),
      req.body,
      'body',
    );
    const bundle = typeof body.name === 'string' ? body.name : '';
    const template =
      type === 'route' ? 'httproute' : String(body.provider ?? '');
    const result = await onEntity(
      req,
      {
        eventId: 'gateway-create',
        meta: meta(req, { type, bundle, template }),
        permissions: [runnerGatewayCreatePermission],
      },
      async (entity, actor) => gateway.create(entity, type, body, actor),
    );
    res
      .status(201)
      .location(`${req.params.collection}/${result.bundle.name}`)
      .json(result);
  });

  router.put(`${COLLECTION}/:bundle`, async (req, res) => {
    const type = typeOf(req.params.collection);
    const bundle = parseOrThrow(
      bundleNameSchema,
      req.params.bundle,
      'bundle name',
    );
    const body = parseOrThrow(updateSchema, req.body, 'body');
    const result = await onEntity(
      req,
      {
        eventId: 'gateway-update',
        meta: meta(req, { type, bundle }),
        permissions: [runnerGatewayUpdatePermission],
      },
      async (entity, actor) =>
        gateway.update(entity, type, bundle, body, actor),
    );
    res.json(result);
  });

  router.delete(`${COLLECTION}/:bundle`, async (req, res) => {
    const type = typeOf(req.params.collection);
    const bundle = parseOrThrow(
      bundleNameSchema,
      req.params.bundle,
      'bundle name',
    );
    await onEntity(
      req,
      {
        eventId: 'gateway-delete',
        meta: meta(req, { type, bundle }),
        severityLevel: 'high',
        permissions: [runnerGatewayDeletePermission],
      },
      async (entity, actor) => {
        await gateway.delete(entity, type, bundle, actor);
      },
    );
    res.status(204).end();
  });

  router.post(`${ENTITY}/validate`, async (req, res) => {
    const body = proposalOf(req);
    const result = await onEntity(
      req,
      operations.validateGateway(refOf(req)),
      async entity => gateway.validate(entity, body),
    );
    res.json(result);
  });

  router.post(`${ENTITY}/diff`, async (req, res) => {
    const body = proposalOf(req);
    const result = await onEntity(
      req,
      operations.diffGateway(refOf(req)),
      async entity => gateway.diff(entity, body),
    );
    res.json(result);
  });

  router.get(`${ENTITY}/export`, async (req, res) => {
    const { bundle } = parseOrThrow(bundleQuerySchema, req.query, 'query');
    const yaml = await onEntity(
      req,
      read(meta(req, { queryType: 'export', ...(bundle ? { bundle } : {}) })),
      async entity => gateway.exportYaml(entity, bundle),
    );
    res.type('application/yaml; charset=utf-8').send(yaml);
  });

  router.post(`${ENTITY}/export`, async (req, res) => {
    const body = proposalOf(req);
    const result = await onEntity(
      req,
      read(meta(req, { queryType: 'export-proposal' })),
      async entity => gateway.exportProposal(entity, body),
    );
    if (result.findings.some(f => f.severity === 'error')) {
      res.status(422).json({
        error: {
          name: 'GatewayValidationError',
          message: 'The proposal is invalid; nothing to export',
        },
        findings: result.findings,
      });
      return;
    }
    res.type('application/yaml; charset=utf-8').send(result.yaml);
  });

  router.post(`${ENTITY}/import`, async (req, res) => {
    const bundle = bundleOf(req);
    const yaml =
      typeof req.body === 'string'
        ? req.body
        : (req.body as { yaml?: unknown })?.yaml;
    if (typeof yaml !== 'string' || yaml.trim() === '') {
      throw new InputError(
        'Invalid body: send the YAML as the body (Content-Type: application/yaml), or JSON { "yaml": "…" }; name the bundle of objects without a bundle label with ?bundle=',
      );
    }
    const items = await onEntity(
      req,
      {
        eventId: 'gateway-import',
        meta: meta(req, bundle ? { bundle } : {}),
        permissions: [
          runnerGatewayCreatePermission,
          runnerGatewayUpdatePermission,
        ],
      },
      async (entity, actor) =>
        gateway.importYaml(entity, yaml, { bundle }, actor),
    );
    res.json({ items });
  });

  router.get(`${ENTITY}/revisions`, async (req, res) => {
    const { bundle } = parseOrThrow(bundleQuerySchema, req.query, 'query');
    const items = await onEntity(
      req,
      read(meta(req, { queryType: 'revisions' })),
      async entity => gateway.revisions(entity, bundle),
    );
    res.json({ items });
  });

  router.post(`${ENTITY}/rollback`, async (req, res) => {
    const body = parseOrThrow(rollbackSchema, req.body, 'body');
    const result = await onEntity(
      req,
      {
        eventId: 'gateway-rollback',
        meta: meta(req, { type: body.type, bundle: body.name }),
        permissions: [runnerGatewayUpdatePermission],
      },
      async (entity, actor) =>
        gateway.rollback(entity, body.type, body.name, actor),
    );
    res.json(result);
  });

  // body-parser's messages quote the body, which may hold credentials: say only what is wrong.
  router.use(
    (
      error: any,
      _req: express.Request,
      _res: express.Response,
      next: express.NextFunction,
    ) => {
      if (error?.type === 'entity.parse.failed') {
        next(new InputError('Invalid body: it is not valid JSON'));
        return;
      }
      if (error?.type === 'entity.too.large') {
        next(new InputError(`Invalid body: larger than ${MAX_BODY}`));
        return;
      }
      next(error);
    },
  );

  return router;
}
