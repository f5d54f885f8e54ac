import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** `runner.sources`: where local `dir:` sources may come from. */
export interface SourcesConfig {
  /**
   * Real (symlink-free) absolute directories. Empty: `dir:` sources are
   * refused, so a catalog entry can never make the backend read the host's files.
   */
  allowedLocalRoots: string[];
}

/**
 * Reads `runner.sources.allowedLocalRoots`. Relative entries are resolved
 * against the backend's working directory (`process.cwd()`, e.g.
 * packages/backend under `yarn start`), then realpath'd so later checks
 * compare real paths and a symlinked root cannot widen the allow-list.
 */
export function readSourcesConfig(
  config: Config | undefined,
  cwd: string = process.cwd(),
): SourcesConfig {
  const key = 'runner.sources.allowedLocalRoots';
  const raw = config?.getOptional('allowedLocalRoots');
  if (raw === undefined) {
    return { allowedLocalRoots: [] };
  }
  if (!Array.isArray(raw)) {
    throw new InputError(
      `Invalid config at '${key}': expected a list of directories, e.g. ['../../examples']`,
    );
  }
  const allowedLocalRoots = raw.map((entry, index) => {
    const entryKey = `${key}[${index}]`;
    if (typeof entry !== 'string' || entry.trim() === '') {
      throw new InputError(
        `Invalid config at '${entryKey}': expected a directory path, absolute or relative to the backend's working directory (${cwd})`,
      );
    }
    const resolved = path.resolve(cwd, entry);
    let real: string;
    try {
      real = fs.realpathSync(resolved);
    } catch {
      throw new InputError(
        `Invalid config at '${entryKey}': '${entry}' (resolved to ${resolved}) does not exist; paths are relative to the backend's working directory (${cwd})`,
      );
    }
    if (!fs.statSync(real).isDirectory()) {
      throw new InputError(
        `Invalid config at '${entryKey}': '${entry}' (resolved to ${real}) is not a directory`,
      );
    }
    if (real === path.parse(real).root) {
      throw new InputError(
        `Invalid config at '${entryKey}': '${entry}' is the filesystem root; allow only the directories that hold component sources`,
      );
    }
    return real;
  });
  return { allowedLocalRoots };
}
