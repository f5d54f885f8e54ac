import Router from 'express-promise-router';
import type express from 'express';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { z } from 'zod';
import { runnerAlertUpdatePermission } from '@internal/plugin-runner-common';
import type { AlertService } from '../alerts/AlertService';
import type { EntityAccess } from '../access/EntityAccess';
import { operations } from '../access/operations';
import { parseOrThrow } from './validation';
import { jsonBody, withoutStackForClientErrors } from './requestErrors';

export interface AlertsRouterOptions {
  access: EntityAccess;
  alerts: AlertService;
}

const FULL_REF = /^[^:/\s]+:[^:/\s]+\/[^:/\s]+$/;

const alertsQuerySchema = z
  .object({
    entityRef: z
      .string({
        error: issue =>
          issue.input === undefined
            ? 'is required, e.g. component:default/hello-http'
            : 'must be one entity ref',
      })
      .regex(
        FULL_REF,
        'must be a full entity ref such as component:default/hello-http',
      )
      .transform(ref => stringifyEntityRef(parseEntityRef(ref))),
    state: z
      .enum(['open', 'resolved', 'all'], {
        error: 'must be open, resolved or all',
      })
      .default('open'),
    limit: z.coerce
      .number({ error: 'must be a whole number from 1 to 500' })
      .int('must be a whole number from 1 to 500')
      .min(1, 'must be a whole number from 1 to 500')
      .max(500, 'must be a whole number from 1 to 500')
      .default(100),
  })
  .strict();

const alertIdSchema = z.object({
  id: z.string().uuid('must be an alert id (a UUID)'),
});

/**
 * REST for alerts. Listing needs `entityRef`: the read permission is decided
 * per entity, and the Alerts tab always asks for one entity.
 */
export function createAlertsRouter(
  options: AlertsRouterOptions,
): express.Router {
  const { access, alerts } = options;
  const router = Router();
  router.use(jsonBody());

  router.get('/alerts', async (req, res) => {
    const query = parseOrThrow(alertsQuerySchema, req.query, 'query');
    const items = await access.run(
      req,
      operations.listAlerts(query.entityRef, query.state),
      { entityRef: query.entityRef },
      async ({ entity }) => {
        await entity();
        return alerts.list(query);
      },
    );
    res.json({ items });
  });

  router.post('/alerts/:id/acknowledge', async (req, res) => {
    const { id } = parseOrThrow(alertIdSchema, req.params, 'alert id');
    const alert = await access.audited(
      req,
      'alert-acknowledge',
      { alertId: id },
      async () => {
        const credentials = await access.credentials(req);
        const found = await alerts.get(id);
        await access.authorize(
          runnerAlertUpdatePermission,
          found.entityRef,
          credentials,
        );
        const principal = credentials.principal as {
          type: string;
          userEntityRef?: string;
          subject?: string;
        };
        const by =
          principal.type === 'user'
            ? principal.userEntityRef!
            : `${principal.type}:${principal.subject ?? 'unknown'}`;
        return alerts.acknowledge(id, by);
      },
    );
    res.json(alert);
  });

  router.use(withoutStackForClientErrors);
  return router;
}
