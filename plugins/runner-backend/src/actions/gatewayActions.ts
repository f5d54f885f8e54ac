import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import type { Entity } from '@backstage/catalog-model';
import type { GatewayService } from '../gateway/service/GatewayService';
import type { ProposalRequest } from '../gateway/service/proposals';
import type { EntityAccess, EntityOperation } from '../access/EntityAccess';
import { operations } from '../access/operations';
import { apiObject, gatewayYamlFields } from './inputs';

export interface GatewayActionsDeps {
  access: EntityAccess;
  gateway: Pick<GatewayService, 'validate' | 'diff'>;
}

interface ProposalContext {
  input: { entityRef: string; yaml: string; bundle?: string };
  credentials: BackstageCredentials;
}

/*
 * Checking proposed gateway YAML as actions, as POST …/gateway/validate and
 * …/gateway/diff do: nothing is applied. The YAML may hold credentials;
 * like the routes, the audit event names the entity, never a value.
 */
export function registerGatewayActions(
  registry: ActionsRegistryService,
  { access, gateway }: GatewayActionsDeps,
) {
  /** The body both share: the route's operation on the entity, then one GatewayService call. */
  const onProposal =
    <T>(
      operation: (entityRef: string) => EntityOperation,
      call: (entity: Entity, proposal: ProposalRequest) => Promise<T>,
    ) =>
    async ({ input, credentials }: ProposalContext) => ({
      output: await access.run(
        { credentials },
        operation(input.entityRef),
        { entityRef: input.entityRef },
        async ({ entity }) =>
          call(await entity(), { yaml: input.yaml, bundle: input.bundle }),
      ),
    });

  registry.register({
    name: 'validate-gateway-yaml',
    title: 'Validate gateway YAML for an entity',
    description:
      "Validates Envoy Gateway / Gateway API / Envoy AI Gateway objects proposed for a catalog entity: the runner's rules (namespace, parent Gateway, ownership), the CRD schemas and CEL rules, and the cluster's dry run when a cluster answers. Returns every finding with its field path; applies nothing. Needs runner.gateway.read on the entity.",
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z => z.object(gatewayYamlFields(z)).strict(),
      output: z =>
        z.object({
          valid: z.boolean(),
          findings: z.array(
            apiObject(z, 'A finding: path, message, severity, source, object'),
          ),
          layers: apiObject(z, 'What each layer (rules, schema, dryRun) did'),
        }),
    },
    action: onProposal(operations.validateGateway, (entity, proposal) =>
      gateway.validate(entity, proposal),
    ),
  });

  registry.register({
    name: 'diff-gateway-yaml',
    title: 'Diff gateway YAML against what is live',
    description:
      'What applying the proposed YAML would change for a catalog entity, object by object and field by field (create, update, delete, unchanged), against the live objects of its cluster; Secret values are never shown. Applies nothing. Needs runner.gateway.read on the entity.',
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z => z.object(gatewayYamlFields(z)).strict(),
      output: z =>
        z.object({
          againstLive: z.boolean(),
          message: z.string().optional(),
          objects: z.array(
            apiObject(z, 'An object: its action and field changes'),
          ),
          findings: z.array(apiObject(z, 'A finding, as validate gives it')),
        }),
    },
    action: onProposal(operations.diffGateway, (entity, proposal) =>
      gateway.diff(entity, proposal),
    ),
  });
}
