import Router from 'express-promise-router';
import type express from 'express';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  runnerAlertReadPermission,
  type ErrorEvent,
  type ErrorEventPage,
} from '@internal/plugin-runner-common';
import type { ErrorStore } from '../errors/ErrorStore';
import {
  errorsQuerySchema,
  filterOf,
  instanceErrorsQuerySchema,
  type ErrorsQuery,
} from '../errors/errorQuery';
import type { InstanceService } from '../instances/InstanceService';
import type { EntityAccess } from '../access/EntityAccess';
import { instanceIdSchema, parseOrThrow } from './validation';
import { withoutStackForClientErrors } from './requestErrors';

export interface ErrorsRouterOptions {
  access: EntityAccess;
  /** Finds the instance of `/instances/:id/errors` (404 when missing). */
  instances: Pick<InstanceService, 'get'>;
  errors: Pick<ErrorStore, 'list'>;
  /**
   * `GET /errors` without `entityRef` reads at most this many events per
   * request while leaving out entities the caller may not read; the page
   * then ends early with a `nextCursor`. Default 1000.
   */
  maxScannedPerRequest?: number;
}

/**
 * The categorized error history. Reading it takes runner.alert.read on the
 * owning entity. `GET /errors` without `entityRef` lists every entity's
 * errors the caller may read: each distinct entity on a page is authorized
 * (once per request) and the others' events are left out.
 */
export function createErrorsRouter(
  options: ErrorsRouterOptions,
): express.Router {
  const { access, errors } = options;
  const maxScanned = options.maxScannedPerRequest ?? 1000;
  const router = Router();

  router.get('/instances/:id/errors', async (req, res) => {
    const { id } = parseOrThrow(instanceIdSchema, req.params, 'instance id');
    const query = parseOrThrow(instanceErrorsQuerySchema, req.query, 'query');
    const page = await access.audited(
      req,
      'error-read',
      { instanceId: id },
      async () => {
        const credentials = await access.credentials(req);
        const instance = await options.instances.get(id);
        await access.authorize(
          runnerAlertReadPermission,
          instance.entityRef,
          credentials,
        );
        return errors.list(
          { ...filterOf(query), instanceId: id },
          { limit: query.limit, cursor: query.cursor },
        );
      },
      'low',
    );
    res.json(page);
  });

  router.get('/errors', async (req, res) => {
    const query = parseOrThrow(errorsQuerySchema, req.query, 'query');
    const page = await access.audited(
      req,
      'error-read',
      { entityRef: query.entityRef ?? null, queryType: 'history' },
      async () => {
        const credentials = await access.credentials(req);
        if (query.entityRef) {
          await access.authorize(
            runnerAlertReadPermission,
            query.entityRef,
            credentials,
          );
          return errors.list(filterOf(query), {
            limit: query.limit,
            cursor: query.cursor,
          });
        }
        return readableErrors(query, credentials);
      },
      'low',
    );
    res.json(page);
  });

  /** Pages through the history until `limit` readable events are found or the scan budget is spent. */
  async function readableErrors(
    query: ErrorsQuery,
    credentials: BackstageCredentials,
  ): Promise<ErrorEventPage> {
    const decisions = new Map<string, Promise<boolean>>();
    const mayRead = (entityRef: string) => {
      let decision = decisions.get(entityRef);
      if (!decision) {
        decision = access
          .authorize(runnerAlertReadPermission, entityRef, credentials)
          .then(
            () => true,
            error => {
              if (error instanceof NotAllowedError) return false;
              throw error;
            },
          );
        decisions.set(entityRef, decision);
      }
      return decision;
    };

    const items: ErrorEvent[] = [];
    let cursor = query.cursor;
    let scanned = 0;
    for (;;) {
      const page = await errors.list(filterOf(query), {
        limit: query.limit,
        cursor,
      });
      const allowed = await Promise.all(
        page.items.map(item => mayRead(item.entityRef)),
      );
      for (let i = 0; i < page.items.length; i++) {
        if (!allowed[i]) continue;
        items.push(page.items[i]);
        if (items.length === query.limit) {
          const lastOfAll = i === page.items.length - 1 && !page.nextCursor;
          return {
            items,
            nextCursor: lastOfAll ? undefined : page.items[i].id,
          };
        }
      }
      scanned += page.items.length;
      if (!page.nextCursor) return { items };
      cursor = page.nextCursor;
      if (scanned >= maxScanned) return { items, nextCursor: cursor };
    }
  }

  router.use(withoutStackForClientErrors);
  return router;
}
