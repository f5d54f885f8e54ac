import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import type { AlertService } from '../alerts/AlertService';
import type { InstanceService } from '../instances/InstanceService';
import type { HealthProber } from '../monitoring/HealthProber';
import type { EntityAccess } from '../access/EntityAccess';
import { operations } from '../access/operations';
import { apiObject, entityRefField, instanceIdField } from './inputs';

export interface MonitoringActionsDeps {
  access: EntityAccess;
  instances: Pick<InstanceService, 'get'>;
  health: Pick<HealthProber, 'health'>;
  alerts: Pick<AlertService, 'list'>;
}

/** Health and alerts as actions, as GET /instances/:id/health and GET /alerts answer them. */
export function registerMonitoringActions(
  registry: ActionsRegistryService,
  { access, instances, health, alerts }: MonitoringActionsDeps,
) {
  registry.register({
    name: 'get-instance-health',
    title: 'Check the health of a runner instance',
    description:
      "Checks an instance now (its image's HEALTHCHECK, else an HTTP probe of its health path) and returns the verdict with uptime, restarts, OOM kills, exit code and the latest checks. Needs runner.instance.read on the entity that owns the instance.",
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z => z.object({ instanceId: instanceIdField(z) }).strict(),
      output: z =>
        z.object({
          health: apiObject(
            z,
            'InstanceHealth: status (healthy, unhealthy, starting, stopped, unknown), uptime, restarts, OOM kills, exit code, latest checks',
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      const result = await access.run(
        { credentials },
        operations.readInstance(input.instanceId, 'health'),
        () => instances.get(input.instanceId),
        async ({ subject }) => health.health(subject),
      );
      return { output: { health: result } };
    },
  });

  registry.register({
    name: 'list-alerts',
    title: "List an entity's runner alerts",
    description:
      'The alerts of a catalog entity (crash loops, OOM kills, CPU or memory near the limit, failing health, gateway resources not accepted), newest first. Needs runner.alert.read on the entity.',
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z =>
        z
          .object({
            entityRef: entityRefField(z),
            state: z
              .enum(['open', 'resolved', 'all'], {
                errorMap: () => ({
                  message: 'state must be open, resolved or all',
                }),
              })
              .default('open'),
            limit: z
              .number({
                invalid_type_error:
                  'limit must be a whole number from 1 to 500',
              })
              .int('limit must be a whole number from 1 to 500')
              .min(1, 'limit must be a whole number from 1 to 500')
              .max(500, 'limit must be a whole number from 1 to 500')
              .default(100),
          })
          .strict(),
      output: z =>
        z.object({
          items: z.array(apiObject(z, 'An Alert, as GET /alerts returns it')),
        }),
    },
    action: async ({ input, credentials }) => {
      const items = await access.run(
        { credentials },
        operations.listAlerts(input.entityRef, input.state),
        { entityRef: input.entityRef },
        async ({ entity }) => {
          await entity();
          return alerts.list(input);
        },
      );
      return { output: { items } };
    },
  });
}
