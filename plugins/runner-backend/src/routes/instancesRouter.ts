import Router from 'express-promise-router';
import type express from 'express';
import { pipeline } from 'node:stream/promises';
import {
  runnerInstanceCreatePermission,
  runnerInstanceDeletePermission,
  runnerInstanceReadPermission,
  runnerInstanceUpdatePermission,
} from '@internal/plugin-runner-common';
import type { InstanceService } from '../instances/InstanceService';
import type { EffectiveComponentConfig } from '../config/types';
import { EntityAccess } from './entityAccess';
import {
  entityPathSchema,
  entityRefFromPath,
  instanceIdSchema,
  logsQuerySchema,
  parseOrThrow,
} from './validation';
import { jsonBody, withoutStackForClientErrors } from './requestErrors';

export interface InstancesRouterOptions {
  access: EntityAccess;
  instances: InstanceService;
  /** A JSON-safe view of the effective config with secret values shown as "set". */
  redactConfig(config: EffectiveComponentConfig): unknown;
}

/**
 * REST for runner instances. Thin: parse, authorize against the owning
 * entity, audit, call one InstanceService method.
 */
export function createInstancesRouter(
  options: InstancesRouterOptions,
): express.Router {
  const { access, instances } = options;
  const router = Router();
  router.use(jsonBody());

  router.get('/entities/:kind/:namespace/:name/instances', async (req, res) => {
    const entityRef = entityRefFromPath(
      parseOrThrow(entityPathSchema, req.params, 'entity path'),
    );
    const items = await access.audited(
      req,
      'instance-read',
      { entityRef, queryType: 'list' },
      async () => {
        const credentials = await access.credentials(req);
        await access.authorize(
          runnerInstanceReadPermission,
          entityRef,
          credentials,
        );
        await access.entity(entityRef, credentials);
        return instances.list(entityRef);
      },
      'low',
    );
    res.json({ items });
  });

  router.post(
    '/entities/:kind/:namespace/:name/instances',
    async (req, res) => {
      const entityRef = entityRefFromPath(
        parseOrThrow(entityPathSchema, req.params, 'entity path'),
      );
      const instance = await access.audited(
        req,
        'instance-start',
        { entityRef },
        async () => {
          const credentials = await access.credentials(req);
          await access.authorize(
            runnerInstanceCreatePermission,
            entityRef,
            credentials,
          );
          const entity = await access.entity(entityRef, credentials);
          const principal = credentials.principal as {
            type: string;
            userEntityRef?: string;
          };
          return instances.start(
            entity,
            principal.type === 'user' ? principal.userEntityRef : undefined,
          );
        },
      );
      res.status(202).location(`instances/${instance.id}`).json(instance);
    },
  );

  router.get(
    '/entities/:kind/:namespace/:name/effective-config',
    async (req, res) => {
      const entityRef = entityRefFromPath(
        parseOrThrow(entityPathSchema, req.params, 'entity path'),
      );
      const config = await access.audited(
        req,
        'instance-read',
        { entityRef, queryType: 'effective-config' },
        async () => {
          const credentials = await access.credentials(req);
          await access.authorize(
            runnerInstanceReadPermission,
            entityRef,
            credentials,
          );
          return instances.effectiveConfig(
            await access.entity(entityRef, credentials),
          );
        },
        'low',
      );
      res.json(options.redactConfig(config));
    },
  );

  /** Loads an instance and authorizes the permission against its entity. */
  async function authorizedInstance(
    req: express.Request,
    permission: typeof runnerInstanceReadPermission,
  ) {
    const { id } = parseOrThrow(instanceIdSchema, req.params, 'instance id');
    const credentials = await access.credentials(req);
    const instance = await instances.get(id);
    await access.authorize(permission, instance.entityRef, credentials);
    return { instance, credentials };
  }

  router.get('/instances/:id', async (req, res) => {
    const { instance } = await access.audited(
      req,
      'instance-read',
      { instanceId: req.params.id },
      () => authorizedInstance(req, runnerInstanceReadPermission),
      'low',
    );
    res.json(instance);
  });

  router.get('/instances/:id/events', async (req, res) => {
    const items = await access.audited(
      req,
      'instance-read',
      { instanceId: req.params.id, queryType: 'events' },
      async () => {
        const { instance } = await authorizedInstance(
          req,
          runnerInstanceReadPermission,
        );
        return instances.events(instance.id);
      },
      'low',
    );
    res.json({ items });
  });

  router.post('/instances/:id/stop', async (req, res) => {
    const stopped = await access.audited(
      req,
      'instance-stop',
      { instanceId: req.params.id },
      async () => {
        const { instance, credentials } = await authorizedInstance(
          req,
          runnerInstanceUpdatePermission,
        );
        const entity = await access
          .entity(instance.entityRef, credentials)
          .catch(() => undefined);
        return instances.stop(instance.id, entity);
      },
    );
    res.json(stopped);
  });

  router.post('/instances/:id/restart', async (req, res) => {
    const restarted = await access.audited(
      req,
      'instance-restart',
      { instanceId: req.params.id },
      async () => {
        const { instance, credentials } = await authorizedInstance(
          req,
          runnerInstanceUpdatePermission,
        );
        return instances.restart(
          instance.id,
          await access.entity(instance.entityRef, credentials),
        );
      },
    );
    res.status(202).json(restarted);
  });

  router.delete('/instances/:id', async (req, res) => {
    await access.audited(
      req,
      'instance-delete',
      { instanceId: req.params.id },
      async () => {
        const { instance, credentials } = await authorizedInstance(
          req,
          runnerInstanceDeletePermission,
        );
        const entity = await access
          .entity(instance.entityRef, credentials)
          .catch(() => undefined);
        await instances.remove(instance.id, entity);
      },
      'high',
    );
    res.status(204).end();
  });

  router.get('/instances/:id/logs', async (req, res) => {
    const query = parseOrThrow(logsQuerySchema, req.query, 'query');
    const stream = await access.audited(
      req,
      'instance-read',
      { instanceId: req.params.id, queryType: `logs-${query.stream}` },
      async () => {
        const { instance } = await authorizedInstance(
          req,
          runnerInstanceReadPermission,
        );
        return instances.logs(instance.id, query.stream, {
          tail: query.tail === 'all' ? undefined : query.tail,
          follow: query.follow,
        });
      },
      'low',
    );
    res
      .status(200)
      .type('text/plain; charset=utf-8')
      .setHeader('cache-control', 'no-store');
    // A client that goes away ends a followed stream.
    req.on('close', () => stream.destroy());
    await pipeline(stream, res).catch(() => undefined);
  });

  router.get('/instances/:id/stats', async (req, res) => {
    const stats = await access.audited(
      req,
      'instance-read',
      { instanceId: req.params.id, queryType: 'stats' },
      async () => {
        const { instance } = await authorizedInstance(
          req,
          runnerInstanceReadPermission,
        );
        return instances.stats(instance.id);
      },
      'low',
    );
    res.json(stats);
  });

  router.use(withoutStackForClientErrors);
  return router;
}
