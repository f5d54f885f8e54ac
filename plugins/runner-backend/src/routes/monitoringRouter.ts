import Router from 'express-promise-router';
import type express from 'express';
import type { InstanceService } from '../instances/InstanceService';
import type { HealthProber } from '../monitoring/HealthProber';
import type { MetricsStore } from '../monitoring/MetricsStore';
import {
  PROMETHEUS_CONTENT_TYPE,
  type RunnerMetrics,
} from '../monitoring/prometheus';
import { metricsQuerySchema } from '../monitoring/rangeQuery';
import { z } from 'zod';
import type { EntityAccess } from '../access/EntityAccess';
import { operations } from '../access/operations';
import { instanceIdParam, parseOrThrow } from './validation';
import { withoutStackForClientErrors } from './requestErrors';

/** The health route takes no parameters; like the others it refuses unknown ones. */
const noQuerySchema = z.object({}).strict();

export interface MonitoringRouterOptions {
  access: EntityAccess;
  /** Finds the instance (404 when missing); its entity decides the permission. */
  instances: Pick<InstanceService, 'get'>;
  metrics: Pick<MetricsStore, 'query'>;
  health: Pick<HealthProber, 'health'>;
  /**
   * Serves `GET /metrics` (Prometheus text) when given. The route checks no
   * permission itself: who may scrape is the auth policy the plugin sets for
   * the path (`httpRouter.addAuthPolicy`).
   */
  prometheus?: Pick<RunnerMetrics, 'render'>;
  now?: () => number;
}

/**
 * Metrics history and health of instances (runner.instance.read on the
 * owning entity, audited as low-severity reads), and the operators'
 * Prometheus metrics.
 */
export function createMonitoringRouter(
  options: MonitoringRouterOptions,
): express.Router {
  const { access, instances } = options;
  const router = Router();
  const querySchema = metricsQuerySchema(options.now);

  /** The instance of the path: its entity decides the permission. */
  const instanceOf = (req: express.Request) => () =>
    instances.get(instanceIdParam(req));

  router.get('/instances/:id/metrics', async (req, res) => {
    const range = parseOrThrow(querySchema, req.query, 'query');
    const metrics = await access.run(
      req,
      operations.readInstance(req.params.id, 'metrics'),
      instanceOf(req),
      async ({ subject }) => options.metrics.query(subject.id, range),
    );
    res.json(metrics);
  });

  router.get('/instances/:id/health', async (req, res) => {
    parseOrThrow(noQuerySchema, req.query, 'query');
    const health = await access.run(
      req,
      operations.readInstance(req.params.id, 'health'),
      instanceOf(req),
      async ({ subject }) => options.health.health(subject),
    );
    res.setHeader('cache-control', 'no-store').json(health);
  });

  if (options.prometheus) {
    const prometheus = options.prometheus;
    // Not audited: a scraper reads it every few seconds, and it names no
    // more than entity refs and instance ids.
    router.get('/metrics', async (_req, res) => {
      const text = await prometheus.render();
      // end(), not send(): send() rewrites the content type's parameters.
      res
        .status(200)
        .setHeader('content-type', PROMETHEUS_CONTENT_TYPE)
        .setHeader('cache-control', 'no-store')
        .end(text);
    });
  }

  router.use(withoutStackForClientErrors);
  return router;
}
