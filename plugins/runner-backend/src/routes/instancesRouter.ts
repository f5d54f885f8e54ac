import Router from 'express-promise-router';
import type express from 'express';
import {
  runnerInstanceDeletePermission,
  runnerInstanceUpdatePermission,
} from '@internal/plugin-runner-common';
import type { InstanceService } from '../instances/InstanceService';
import type { EffectiveComponentConfig } from '../config/types';
import type { Entity } from '@backstage/catalog-model';
import type { EntityAccess } from '../access/EntityAccess';
import { operations } from '../access/operations';
import {
  entityPathSchema,
  entityRefFromPath,
  instanceIdParam,
  logsQuerySchema,
  parseOrThrow,
} from './validation';
import { jsonBody, withoutStackForClientErrors } from './requestErrors';
import { sendLiveText } from './liveText';

export interface InstancesRouterOptions {
  access: EntityAccess;
  instances: InstanceService;
  /** A JSON-safe view of the effective config with secret values shown as "set". */
  redactConfig(config: EffectiveComponentConfig): unknown;
  /** Which runtime runs the entity, where and why (shown beside the effective config). */
  runtimeOf?(entity: Entity): unknown;
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

  /** The entity of the path; bad segments are a 400 before any audit event. */
  const entityOf = (req: express.Request) => ({
    entityRef: entityRefFromPath(
      parseOrThrow(entityPathSchema, req.params, 'entity path'),
    ),
  });
  /** The instance of the path: its entity decides the permission. */
  const instanceOf = (req: express.Request) => () =>
    instances.get(instanceIdParam(req));

  router.get('/entities/:kind/:namespace/:name/instances', async (req, res) => {
    const subject = entityOf(req);
    const items = await access.run(
      req,
      operations.readEntityInstances(subject.entityRef, 'list'),
      subject,
      async ({ entity }) => {
        await entity();
        return instances.list(subject.entityRef);
      },
    );
    res.json({ items });
  });

  router.post(
    '/entities/:kind/:namespace/:name/instances',
    async (req, res) => {
      const subject = entityOf(req);
      const instance = await access.run(
        req,
        operations.startInstance(subject.entityRef),
        subject,
        async ({ entity, actor }) => instances.start(await entity(), actor),
      );
      res.status(202).location(`instances/${instance.id}`).json(instance);
    },
  );

  router.get(
    '/entities/:kind/:namespace/:name/effective-config',
    async (req, res) => {
      const subject = entityOf(req);
      const { config, runtime } = await access.run(
        req,
        operations.readEntityInstances(subject.entityRef, 'effective-config'),
        subject,
        async ({ entity }) => {
          const found = await entity();
          return {
            config: instances.effectiveConfig(found),
            runtime: options.runtimeOf?.(found),
          };
        },
      );
      res.json({
        ...(options.redactConfig(config) as object),
        ...(runtime !== undefined && { runtime }),
      });
    },
  );

  router.get('/instances/:id', async (req, res) => {
    const instance = await access.run(
      req,
      operations.readInstance(req.params.id),
      instanceOf(req),
      async ({ subject }) => subject,
    );
    res.json(instance);
  });

  router.get('/instances/:id/events', async (req, res) => {
    const items = await access.run(
      req,
      operations.readInstance(req.params.id, 'events'),
      instanceOf(req),
      async ({ subject }) => instances.events(subject.id),
    );
    res.json({ items });
  });

  router.post('/instances/:id/stop', async (req, res) => {
    const stopped = await access.run(
      req,
      operations.stopInstance(req.params.id),
      instanceOf(req),
      async ({ subject, entity }) =>
        instances.stop(subject.id, await entity().catch(() => undefined)),
    );
    res.json(stopped);
  });

  router.post('/instances/:id/restart', async (req, res) => {
    const restarted = await access.run(
      req,
      {
        eventId: 'instance-restart',
        meta: { instanceId: req.params.id },
        permissions: [runnerInstanceUpdatePermission],
      },
      instanceOf(req),
      async ({ subject, entity }) =>
        instances.restart(subject.id, await entity()),
    );
    res.status(202).json(restarted);
  });

  router.delete('/instances/:id', async (req, res) => {
    await access.run(
      req,
      {
        eventId: 'instance-delete',
        meta: { instanceId: req.params.id },
        severityLevel: 'high',
        permissions: [runnerInstanceDeletePermission],
      },
      instanceOf(req),
      async ({ subject, entity }) =>
        instances.remove(subject.id, await entity().catch(() => undefined)),
    );
    res.status(204).end();
  });

  router.get('/instances/:id/logs', async (req, res) => {
    const query = parseOrThrow(logsQuerySchema, req.query, 'query');
    const stream = await access.run(
      req,
      operations.readInstance(req.params.id, `logs-${query.stream}`),
      instanceOf(req),
      async ({ subject }) =>
        instances.logs(subject.id, query.stream, {
          tail: query.tail === 'all' ? undefined : query.tail,
          follow: query.follow,
        }),
    );
    await sendLiveText(res, stream);
  });

  router.get('/instances/:id/stats', async (req, res) => {
    const stats = await access.run(
      req,
      operations.readInstance(req.params.id, 'stats'),
      instanceOf(req),
      async ({ subject }) => instances.stats(subject.id),
    );
    res.json(stats);
  });

  router.use(withoutStackForClientErrors);
  return router;
}
