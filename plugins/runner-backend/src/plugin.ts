import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { readRunnerConfig } from './config/RunnerConfig';
import { DockerEngine } from './docker/DockerEngine';
import { ClusterClient } from './kubernetes/ClusterClient';
import { HealthService } from './health/HealthService';
import { createHealthRouter } from './routes/healthRouter';
import { connectDatabase } from './database/migrations';

/**
 * The `runner` backend plugin. Wiring only: services are built from config
 * and core services, routers are mounted under /api/runner.
 *
 * @public
 */
export const runnerPlugin = createBackendPlugin({
  pluginId: 'runner',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        database: coreServices.database,
      },
      async init({ config, logger, httpRouter, database }) {
        const runnerConfig = readRunnerConfig(config);
        await connectDatabase(database);
        for (const cluster of runnerConfig.kubernetes.clusters) {
          if (cluster.skipTLSVerify) {
            logger.warn(
              `runner.kubernetes.clusters '${cluster.name}' has skipTLSVerify: true; the API server's identity is not checked`,
            );
          }
        }

        const docker = new DockerEngine(runnerConfig.docker);
        const clusters = runnerConfig.kubernetes.clusters.map(
          c => new ClusterClient(c),
        );
        const health = new HealthService(docker, clusters);

        httpRouter.use(createHealthRouter(health));
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });

        const initial = await docker.health();
        if (initial.reachable) {
          logger.info(`Docker engine ${initial.version} at ${docker.endpoint}`);
        } else {
          logger.warn(`No Docker engine: ${initial.reason}`);
        }
      },
    });
  },
});
