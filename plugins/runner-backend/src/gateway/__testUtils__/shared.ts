import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CrdRegistry } from '../validation/CrdRegistry';

/*
 * The upstream CRDs and CEL fixtures are never copied into the repository.
 * scripts/lib/crds.sh finds them (RUNNER_CRDS_DIR, ../shared beside the
 * checkout, or the pinned upstream files it fetched into the tools cache) and
 * test.sh exports what it found; a test run started by hand asks the same
 * lookup, without fetching, so there is only one place that knows the ways.
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

let found: { crds: string; fixtures: string } | undefined;

function upstreamDirs(): { crds: string; fixtures: string } {
  if (found) return found;
  const { RUNNER_CRDS_DIR, RUNNER_CRD_FIXTURES_DIR } = process.env;
  if (RUNNER_CRDS_DIR && RUNNER_CRD_FIXTURES_DIR) {
    found = { crds: RUNNER_CRDS_DIR, fixtures: RUNNER_CRD_FIXTURES_DIR };
    return found;
  }
  const script = path.join(repoRoot(), 'scripts', 'fetch-crds.sh');
  let out: string;
  try {
    out = execFileSync('bash', [script, '--no-fetch'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    throw new Error(
      `the gateway tests need the upstream CRDs and fixtures: ${String(
        (e as { stderr?: string }).stderr ?? e,
      )}`,
    );
  }
  const value = (name: string) =>
    new RegExp(`${name}=(\\S+)`).exec(out)?.[1] ?? '';
  found = {
    crds: value('RUNNER_CRDS_DIR'),
    fixtures: value('RUNNER_CRD_FIXTURES_DIR'),
  };
  return found;
}

export const sharedCrdsDir = () => upstreamDirs().crds;
export const sharedFixturesDir = () =>
  path.join(upstreamDirs().fixtures, 'ai-gateway');

let registries: Partial<
  Record<'standard' | 'experimental', Promise<CrdRegistry>>
> = {};

/** All upstream CRDs, loaded once per test file and Gateway API channel. */
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
