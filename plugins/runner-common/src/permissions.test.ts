import { isResourcePermission } from '@backstage/plugin-permission-common';
import { runnerPermissions } from './permissions';

describe('runner permissions', () => {
  it('are unique catalog-entity resource permissions named runner.*', () => {
    const names = runnerPermissions.map(p => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const permission of runnerPermissions) {
      expect(permission.name).toMatch(
        /^runner\.(instance|gateway|alert)\.(read|create|update|delete)$/,
      );
      expect(isResourcePermission(permission, 'catalog-entity')).toBe(true);
      const verb = permission.name.split('.')[2];
      expect(permission.attributes.action).toBe(
        verb === 'read' ? undefined : verb,
      );
    }
  });
});
