import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import type { InstanceService } from '../instances/InstanceService';
import type { EntityAccess } from '../access/EntityAccess';
import { operations } from '../access/operations';
import {
  MAX_LOG_LINES,
  entityRefField,
  instanceIdField,
  apiObject,
} from './inputs';
import { readLines } from './readLines';

export interface InstanceActionsDeps {
  access: EntityAccess;
  instances: Pick<InstanceService, 'list' | 'start' | 'get' | 'stop' | 'logs'>;
}

/**
 * An entity's instances as actions: the same operations (permission and
 * audit event) and the same InstanceService calls as the instances routes.
 */
export function registerInstanceActions(
  registry: ActionsRegistryService,
  { access, instances }: InstanceActionsDeps,
) {
  const instanceOf = (id: string) => () => instances.get(id);

  registry.register({
    name: 'list-instances',
    title: 'List runner instances',
    description:
      "Lists the runner instances (Docker containers built from the component's source) of a catalog entity, newest first, with their state, ports and failure. Needs runner.instance.read on the entity.",
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z => z.object({ entityRef: entityRefField(z) }).strict(),
      output: z =>
        z.object({
          items: z.array(
            apiObject(z, 'A RunnerInstance, as GET …/instances returns it'),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      const items = await access.run(
        { credentials },
        operations.readEntityInstances(input.entityRef, 'list'),
        { entityRef: input.entityRef },
        async ({ entity }) => {
          await entity();
          return instances.list(input.entityRef);
        },
      );
      return { output: { items } };
    },
  });

  registry.register({
    name: 'start-instance',
    title: 'Start a runner instance',
    description:
      "Builds the entity's image from its source and starts a container, as the Runner tab's Start does. Returns at once with the instance in state pending; read it again (list-instances) to see it reach running or failed. Needs runner.instance.create on the entity.",
    attributes: { readOnly: false, destructive: false, idempotent: false },
    schema: {
      input: z => z.object({ entityRef: entityRefField(z) }).strict(),
      output: z => z.object({ instance: apiObject(z, 'The RunnerInstance') }),
    },
    action: async ({ input, credentials }) => {
      const instance = await access.run(
        { credentials },
        operations.startInstance(input.entityRef),
        { entityRef: input.entityRef },
        async ({ entity, actor }) => instances.start(await entity(), actor),
      );
      return { output: { instance } };
    },
  });

  registry.register({
    name: 'stop-instance',
    title: 'Stop a runner instance',
    description:
      'Stops a running (or still launching) instance: its container is stopped and the service it serves goes away; logs and history stay. Needs runner.instance.update on the entity that owns the instance.',
    attributes: { readOnly: false, destructive: true, idempotent: false },
    schema: {
      input: z => z.object({ instanceId: instanceIdField(z) }).strict(),
      output: z => z.object({ instance: apiObject(z, 'The RunnerInstance') }),
    },
    action: async ({ input, credentials }) => {
      const instance = await access.run(
        { credentials },
        operations.stopInstance(input.instanceId),
        instanceOf(input.instanceId),
        async ({ subject, entity }) =>
          instances.stop(subject.id, await entity().catch(() => undefined)),
      );
      return { output: { instance } };
    },
  });

  registry.register({
    name: 'get-instance-logs',
    title: 'Read the logs of a runner instance',
    description: `The last lines of an instance's run log (the container's output) or build log, at most ${MAX_LOG_LINES} lines and 256 KiB. Needs runner.instance.read on the entity that owns the instance.`,
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z =>
        z
          .object({
            instanceId: instanceIdField(z),
            stream: z
              .enum(['run', 'build'], {
                errorMap: () => ({ message: 'stream must be run or build' }),
              })
              .default('run')
              .describe('run: the container output; build: the image build'),
            tail: z
              .number({
                invalid_type_error: `tail must be a whole number from 1 to ${MAX_LOG_LINES}`,
              })
              .int(`tail must be a whole number from 1 to ${MAX_LOG_LINES}`)
              .min(1, `tail must be a whole number from 1 to ${MAX_LOG_LINES}`)
              .max(
                MAX_LOG_LINES,
                `tail must be a whole number from 1 to ${MAX_LOG_LINES}`,
              )
              .default(100)
              .describe('How many lines from the end'),
          })
          .strict(),
      output: z =>
        z.object({
          instanceId: z.string(),
          stream: z.enum(['run', 'build']),
          lines: z.array(z.string()),
          truncated: z
            .boolean()
            .describe(
              'Whether older lines were left out to stay under 256 KiB',
            ),
        }),
    },
    action: async ({ input, credentials }) => {
      const { instanceId, stream, tail } = input;
      const logs = await access.run(
        { credentials },
        operations.readInstance(instanceId, `logs-${stream}`),
        instanceOf(instanceId),
        async ({ subject }) =>
          instances.logs(subject.id, stream, { tail, follow: false }),
      );
      return { output: { instanceId, stream, ...(await readLines(logs)) } };
    },
  });
}
