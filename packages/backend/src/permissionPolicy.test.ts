import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  runnerInstanceCreatePermission,
  runnerInstanceReadPermission,
} from '@internal/plugin-runner-common';
import { RunnerExamplePolicy } from './permissionPolicy';

describe('RunnerExamplePolicy', () => {
  const userInfo = mockServices.userInfo({
    userEntityRef: 'user:development/guest',
    ownershipEntityRefs: [
      'user:development/guest',
      'group:default/platform-team',
    ],
  });
  const policy = new RunnerExamplePolicy(userInfo);
  const user = {
    credentials: mockCredentials.user('user:development/guest'),
    info: {} as any,
  };

  it('lets anyone read', async () => {
    await expect(
      policy.handle({ permission: runnerInstanceReadPermission }, user),
    ).resolves.toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });

  it('lets only owners change, through the catalog isEntityOwner rule', async () => {
    const decision = await policy.handle(
      { permission: runnerInstanceCreatePermission },
      user,
    );
    expect(decision).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        params: {
          claims: ['user:development/guest', 'group:default/platform-team'],
        },
      },
    });
  });

  it('denies changes to callers that are not users', async () => {
    await expect(
      policy.handle({ permission: runnerInstanceCreatePermission }),
    ).resolves.toEqual({
      result: AuthorizeResult.DENY,
    });
  });
});
