import Router from 'express-promise-router';
import type { HealthService } from '../health/HealthService';

/**
 * `GET /health`: unauthenticated, reveals only whether dependencies answer
 * (never credentials), so operators and the entity tabs can tell why
 * nothing runs. It answers 200 even when degraded: the plugin itself is up.
 */
export function createHealthRouter(health: HealthService) {
  const router = Router();
  router.get('/health', async (_req, res) => {
    res.json(await health.report());
  });
  return router;
}
