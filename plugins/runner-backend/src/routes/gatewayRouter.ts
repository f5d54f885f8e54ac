import Router from 'express-promise-router';
import express from 'express';
import { InputError, NotFoundError } from '@backstage/errors';
import type { ResourcePermission } from '@backstage/plugin-permission-common';
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
import type { GatewayService } from '../gateway/service/GatewayService';
import type { ClusterInspector } from '../kubernetes/ClusterInspector';
import type { EntityAccess } from './entityAccess';
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

  /** Resolves and authorizes the entity of the path; the actor is the calling user, if any. */
  async function forEntity(
    req: express.Request,
    permissions: ResourcePermission<'catalog-entity'>[],
  ) {
    const entityRef = entityRefFromPath(
      parseOrThrow(entityPathSchema, req.params, 'entity path'),
    );
    const credentials = await access.credentials(req);
    for (const permission of permissions) {
      await access.authorize(permission, entityRef, credentials);
    }
    const entity = await access.entity(entityRef, credentials);
    const principal = credentials.principal as {
      type: string;
      userEntityRef?: string;
    };
    return {
      entity,
      actor: principal.type === 'user' ? principal.userEntityRef : undefined,
    };
  }

  function meta(req: express.Request, extra: JsonObject = {}): JsonObject {
    const { kind, namespace, name } = req.params;
    return {
      entityRef: `${kind}:${namespace}/${name}`.toLocaleLowerCase('en-US'),
      ...extra,
    };
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
    const list = await access.audited(
      req,
      'gateway-read',
      meta(req, { type }),
      async () => {
        const { entity } = await forEntity(req, [runnerGatewayReadPermission]);
        return gateway.list(entity, type);
      },
      'low',
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
    const view = await access.audited(
      req,
      'gateway-read',
      meta(req, { type, bundle }),
      async () => {
        const { entity } = await forEntity(req, [runnerGatewayReadPermission]);
        return gateway.get(entity, type, bundle);
      },
      'low',
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
    const result = await access.audited(
      req,
      'gateway-create',
      meta(req, { type, bundle, template }),
      async () => {
        const { entity, actor } = await forEntity(req, [
          runnerGatewayCreatePermission,
        ]);
        return gateway.create(entity, type, body, actor);
      },
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
    const result = await access.audited(
      req,
      'gateway-update',
      meta(req, { type, bundle }),
      async () => {
        const { entity, actor } = await forEntity(req, [
          runnerGatewayUpdatePermission,
        ]);
        return gateway.update(entity, type, bundle, body, actor);
      },
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
    await access.audited(
      req,
      'gateway-delete',
      meta(req, { type, bundle }),
      async () => {
        const { entity, actor } = await forEntity(req, [
          runnerGatewayDeletePermission,
        ]);
        await gateway.delete(entity, type, bundle, actor);
      },
      'high',
    );
    res.status(204).end();
  });

  router.post(`${ENTITY}/validate`, async (req, res) => {
    const body = parseOrThrow(proposalSchema, req.body, 'body');
    const result = await access.audited(
      req,
      'gateway-read',
      meta(req, { queryType: 'validate' }),
      async () => {
        const { entity } = await forEntity(req, [runnerGatewayReadPermission]);
        return gateway.validate(entity, body);
      },
      'low',
    );
    res.json(result);
  });

  router.post(`${ENTITY}/diff`, async (req, res) => {
    const body = parseOrThrow(proposalSchema, req.body, 'body');
    const result = await access.audited(
      req,
      'gateway-read',
      meta(req, { queryType: 'diff' }),
      async () => {
        const { entity } = await forEntity(req, [runnerGatewayReadPermission]);
        return gateway.diff(entity, body);
      },
      'low',
    );
    res.json(result);
  });

  router.get(`${ENTITY}/export`, async (req, res) => {
    const { bundle } = parseOrThrow(bundleQuerySchema, req.query, 'query');
    const yaml = await access.audited(
      req,
      'gateway-read',
      meta(req, { queryType: 'export', ...(bundle ? { bundle } : {}) }),
      async () => {
        const { entity } = await forEntity(req, [runnerGatewayReadPermission]);
        return gateway.exportYaml(entity, bundle);
      },
      'low',
    );
    res.type('application/yaml; charset=utf-8').send(yaml);
  });

  router.post(`${ENTITY}/export`, async (req, res) => {
    const body = parseOrThrow(proposalSchema, req.body, 'body');
    const result = await access.audited(
      req,
      'gateway-read',
      meta(req, { queryType: 'export-proposal' }),
      async () => {
        const { entity } = await forEntity(req, [runnerGatewayReadPermission]);
        return gateway.exportProposal(entity, body);
      },
      'low',
    );
    if (result.findings.length > 0) {
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
    const { bundle } = parseOrThrow(bundleQuerySchema, req.query, 'query');
    const yaml =
      typeof req.body === 'string'
        ? req.body
        : (req.body as { yaml?: unknown })?.yaml;
    if (typeof yaml !== 'string' || yaml.trim() === '') {
      throw new InputError(
        'Invalid body: send the YAML as the body (Content-Type: application/yaml), or JSON { "yaml": "…" }',
      );
    }
    const items = await access.audited(
      req,
      'gateway-import',
      meta(req, bundle ? { bundle } : {}),
      async () => {
        const { entity, actor } = await forEntity(req, [
          runnerGatewayCreatePermission,
          runnerGatewayUpdatePermission,
        ]);
        return gateway.importYaml(entity, yaml, { bundle }, actor);
      },
    );
    res.json({ items });
  });

  router.get(`${ENTITY}/revisions`, async (req, res) => {
    const { bundle } = parseOrThrow(bundleQuerySchema, req.query, 'query');
    const items = await access.audited(
      req,
      'gateway-read',
      meta(req, { queryType: 'revisions' }),
      async () => {
        const { entity } = await forEntity(req, [runnerGatewayReadPermission]);
        return gateway.revisions(entity, bundle);
      },
      'low',
    );
    res.json({ items });
  });

  router.post(`${ENTITY}/rollback`, async (req, res) => {
    const body = parseOrThrow(rollbackSchema, req.body, 'body');
    const result = await access.audited(
      req,
      'gateway-rollback',
      meta(req, { type: body.type, bundle: body.name }),
      async () => {
        const { entity, actor } = await forEntity(req, [
          runnerGatewayUpdatePermission,
        ]);
        return gateway.rollback(entity, body.type, body.name, actor);
      },
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
