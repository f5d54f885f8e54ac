import fs from 'node:fs/promises';
import path from 'node:path';
import { InputError, NotFoundError } from '@backstage/errors';
import { RUNNER_ANNOTATIONS } from '@internal/plugin-runner-common';

/** Whether `candidate` is `root` or below it (both absolute, normalized). */
export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return (
    relative === '' ||
    (relative !== '..' &&
      !relative.startsWith(`..${path.sep}`) &&
      !path.isAbsolute(relative))
  );
}

/** realpath, or undefined when the path does not exist. */
export async function realpathOrUndefined(
  target: string,
): Promise<string | undefined> {
  try {
    return await fs.realpath(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/**
 * Resolves the build context inside a source root (itself a real path).
 * Checked twice: lexically (`../x`, absolute paths) and after realpath, so a
 * symlink inside the tree cannot point the build at files outside it.
 */
export async function resolveBuildContext(
  sourceRoot: string,
  buildContext: string,
): Promise<string> {
  const key = `${RUNNER_ANNOTATIONS.buildContext} (or runner.components.<name>.build.context)`;
  const lexical = path.resolve(sourceRoot, buildContext);
  if (path.isAbsolute(buildContext) || !isInside(sourceRoot, lexical)) {
    throw new InputError(
      `Invalid build context '${buildContext}' from ${key}: it leaves the source root; use a path inside it such as '.' or 'services/api'`,
    );
  }
  const real = await realpathOrUndefined(lexical);
  if (real === undefined) {
    throw new NotFoundError(
      `The build context '${buildContext}' from ${key} does not exist in the source`,
    );
  }
  if (!isInside(sourceRoot, real)) {
    throw new InputError(
      `Invalid build context '${buildContext}' from ${key}: it is a symlink that leaves the source root`,
    );
  }
  if (!(await fs.stat(real)).isDirectory()) {
    throw new InputError(
      `Invalid build context '${buildContext}' from ${key}: it is not a directory`,
    );
  }
  return real;
}

/**
 * Throws an InputError unless the Dockerfile exists in the build context.
 * A stat, not the walk computeCacheKey does: cheap enough to run before an
 * instance is created.
 */
export async function assertDockerfileFile(
  contextDir: string,
  dockerfile: string,
): Promise<void> {
  const file = path.resolve(contextDir, dockerfile);
  const stat = await fs.lstat(file).catch(() => undefined);
  if (!stat || stat.isDirectory()) {
    throw new InputError(
      `No Dockerfile at '${dockerfile}' in the build context ${contextDir}; set ${RUNNER_ANNOTATIONS.dockerfile} (or runner.components.<name>.build.dockerfile) to its path relative to the build context`,
    );
  }
}
