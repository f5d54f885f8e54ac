import fs from 'node:fs';
import path from 'node:path';
import { CrdRegistry } from '../validation/CrdRegistry';

/*
 * The upstream CRDs and conformance fixtures live in ../shared beside the
 * repository (never copied into it). Tests find the repository root by
 * walking up to backstage.json and fail loudly when ../shared is missing.
 */

function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'backstage.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`no backstage.json above ${__dirname}`);
    }
    dir = parent;
  }
  return dir;
}

function sharedPath(...segments: string[]): string {
  const shared = path.resolve(repoRoot(), '..', 'shared');
  const target = path.join(shared, ...segments);
  if (!fs.existsSync(target)) {
    throw new Error(
      `${target} is missing: the gateway tests need the upstream CRDs and fixtures in ${shared} (crds/, crd-fixtures/), next to the repository`,
    );
  }
  return target;
}

export const sharedCrdsDir = () => sharedPath('crds');
export const sharedFixturesDir = () => sharedPath('crd-fixtures', 'ai-gateway');

let registries: Partial<
  Record<'standard' | 'experimental', Promise<CrdRegistry>>
> = {};

/** All CRDs of ../shared/crds, loaded once per test file and Gateway API channel. */
export function sharedCrdRegistry(
  gatewayApiChannel: 'standard' | 'experimental' = 'experimental',
): Promise<CrdRegistry> {
  registries[gatewayApiChannel] ??= CrdRegistry.fromDirectories(
    [sharedCrdsDir()],
    { gatewayApiChannel },
  );
  return registries[gatewayApiChannel]!;
}

export function resetSharedCrdRegistries() {
  registries = {};
}
