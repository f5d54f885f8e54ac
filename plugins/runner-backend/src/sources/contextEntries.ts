import fs from 'node:fs/promises';
import path from 'node:path';
import dockerignore from '@balena/dockerignore';
import { InputError } from '@backstage/errors';
import { formatBytes } from '../config/sizes';

/*
 * Which files of a build context go to Docker. The cache key and the tar
 * both come from this one listing, so what is hashed is exactly what is
 * sent. Ignore rules follow the Docker CLI: @balena/dockerignore is a port of
 * its matcher, and the walk below mirrors its archive walker.
 */

export interface ContextEntry {
  /** Relative to the context, forward slashes. */
  path: string;
  type: 'file' | 'directory' | 'symlink';
  /** Permission bits (mode & 0o7777). */
  mode: number;
  /** Bytes for files, 0 otherwise. */
  size: number;
  /** Target of a symlink, as stored (symlinks are sent as links, never followed). */
  linkTarget?: string;
}

export interface ListOptions {
  /** Dockerfile path relative to the context; always sent, like the Docker CLI does. */
  dockerfile: string;
  /** Stop with an InputError once regular files add up to more than this. */
  maxContextBytes?: number;
}

interface IgnoreRules {
  ignores(relativePath: string): boolean;
  /** Exception patterns (`!…`), cleaned, for deciding whether to enter an ignored directory. */
  exceptions: string[];
}

function cleanPattern(pattern: string): string {
  return path.posix
    .normalize(pattern.trim())
    .replace(/^\/+/, '')
    .replace(/\/+$/, '');
}

async function readIgnoreRules(
  contextDir: string,
  dockerfile: string,
): Promise<IgnoreRules> {
  let text = '';
  try {
    text = await fs.readFile(path.join(contextDir, '.dockerignore'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const patterns = text
    .split(/\r?\n/)
    .map(line => line.trim())
    .filter(line => line !== '' && !line.startsWith('#'));
  // Docker is case-sensitive; the library's default is not.
  const probe = dockerignore({ ignorecase: false }).add(patterns);
  // As `docker build` does: the daemon needs the Dockerfile and .dockerignore,
  // so they are re-included when a pattern excludes them.
  for (const always of ['.dockerignore', cleanPattern(dockerfile)]) {
    if (probe.ignores(always)) patterns.push(`!${always}`);
  }
  const matcher = dockerignore({ ignorecase: false }).add(patterns);
  return {
    ignores: relativePath => matcher.ignores(relativePath),
    exceptions: patterns
      .filter(p => p.startsWith('!'))
      .map(p => cleanPattern(p.slice(1))),
  };
}

/** Code-unit order, not locale order, so the result is the same on every machine. */
function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/**
 * Lists the context's entries, sorted by path. Only metadata is read here;
 * sizes are summed as the walk goes, so an oversized context fails before
 * any file content is read or sent.
 */
export async function listContextEntries(
  contextDir: string,
  options: ListOptions,
): Promise<ContextEntry[]> {
  const rules = await readIgnoreRules(contextDir, options.dockerfile);
  const entries: ContextEntry[] = [];
  let totalBytes = 0;
  let largest: { path: string; size: number } | undefined;

  const walk = async (relativeDir: string): Promise<void> => {
    const names = (await fs.readdir(path.join(contextDir, relativeDir))).sort();
    for (const name of names) {
      const relative = relativeDir ? `${relativeDir}/${name}` : name;
      const absolute = path.join(contextDir, relative);
      const stat = await fs.lstat(absolute);
      const ignored = rules.ignores(relative);
      if (stat.isDirectory()) {
        // An ignored directory is entered only when an exception pattern
        // starts with it (Docker's rule); it is not itself sent.
        const prefix = `${relative}/`;
        if (!ignored) {
          entries.push({
            path: relative,
            type: 'directory',
            mode: stat.mode & 0o7777,
            size: 0,
          });
          await walk(relative);
        } else if (rules.exceptions.some(p => `${p}/`.startsWith(prefix))) {
          await walk(relative);
        }
        continue;
      }
      if (ignored) continue;
      if (stat.isSymbolicLink()) {
        entries.push({
          path: relative,
          type: 'symlink',
          mode: stat.mode & 0o7777,
          size: 0,
          linkTarget: await fs.readlink(absolute),
        });
      } else if (stat.isFile()) {
        totalBytes += stat.size;
        if (largest === undefined || stat.size > largest.size) {
          largest = { path: relative, size: stat.size };
        }
        entries.push({
          path: relative,
          type: 'file',
          mode: stat.mode & 0o7777,
          size: stat.size,
        });
      }
      // Sockets, FIFOs and devices are skipped: Docker skips sockets, and
      // the others cannot be part of a reproducible source tree.
    }
  };
  await walk('');
  // The walk reads metadata only, so finishing it to report the real size
  // is cheap; no file content has been read or sent yet.
  if (
    options.maxContextBytes !== undefined &&
    totalBytes > options.maxContextBytes
  ) {
    throw new InputError(
      `The build context ${contextDir} is ${formatBytes(
        totalBytes,
      )}, more than runner.docker.maxContextSize (${formatBytes(
        options.maxContextBytes,
      )}); the largest file is ${largest?.path} (${formatBytes(
        largest?.size ?? 0,
      )}). Exclude files with a .dockerignore, or raise runner.docker.maxContextSize or runner.components.<name>.docker.maxContextSize`,
    );
  }
  entries.sort((a, b) => compareStrings(a.path, b.path));
  return entries;
}

/** Throws an InputError unless the Dockerfile is among the entries that will be sent. */
export function assertDockerfilePresent(
  entries: ContextEntry[],
  dockerfile: string,
  contextDir: string,
): void {
  const wanted = cleanPattern(dockerfile);
  const found = entries.find(e => e.path === wanted);
  if (!found || found.type === 'directory') {
    throw new InputError(
      `No Dockerfile at '${dockerfile}' in the build context ${contextDir}; set runner.backstage.io/dockerfile (or runner.components.<name>.build.dockerfile) to its path relative to the build context`,
    );
  }
}
