import {
  coreServices,
  createBackendModule,
  type UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isResourcePermission,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';

/**
 * The example app's policy: anyone signed in may read, and only an entity's
 * owners (directly or through a group) may start, change or delete what the
 * runner does for it. Everything outside the runner is allowed, as in the
 * create-app template. Replace it with your organisation's policy.
 */
export class RunnerExamplePolicy implements PermissionPolicy {
  constructor(private readonly userInfo: UserInfoService) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    const changesSomething = permission.attributes.action !== undefined;
    if (
      permission.name.startsWith('runner.') &&
      changesSomething &&
      isResourcePermission(permission, 'catalog-entity')
    ) {
      if (!user) return { result: AuthorizeResult.DENY };
      const { ownershipEntityRefs } = await this.userInfo.getUserInfo(
        user.credentials,
      );
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({ claims: ownershipEntityRefs }),
      );
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'runner-example-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, userInfo: coreServices.userInfo },
      async init({ policy, userInfo }) {
        policy.setPolicy(new RunnerExamplePolicy(userInfo));
      },
    });
  },
});
