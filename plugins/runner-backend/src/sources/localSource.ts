import path from 'node:path';
import fs from 'node:fs/promises';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  type Entity,
  parseLocationRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { SOURCE_LOCATION_ANNOTATION } from '@internal/plugin-runner-common';
import { isInside, realpathOrUndefined } from './paths';

const ROOTS_KEY = 'runner.sources.allowedLocalRoots';

/**
 * The directory of the catalog file that defines the entity, from
 * `backstage.io/managed-by-location` (else `…-origin-location`) when it is
 * a `file:` location.
 */
function catalogFileDirectory(entity: Entity): string | undefined {
  for (const annotation of [ANNOTATION_LOCATION, ANNOTATION_ORIGIN_LOCATION]) {
    const value = entity.metadata.annotations?.[annotation];
    if (!value) continue;
    try {
      const { type, target } = parseLocationRef(value);
      if (type === 'file') return path.dirname(path.resolve(target));
    } catch {
      // A malformed location annotation is the catalog's concern; try the next.
    }
  }
  return undefined;
}

/**
 * Resolves a `dir:` source to a real directory inside one of the allowed
 * roots. Relative paths are relative to the directory of the entity's
 * catalog file. Paths outside the roots are refused whether or not they
 * exist, so the answer never reveals what exists elsewhere on the host.
 */
export async function resolveLocalSource(
  entity: Entity,
  target: string,
  allowedLocalRoots: string[],
): Promise<string> {
  const ref = stringifyEntityRef(entity);
  const described = `${SOURCE_LOCATION_ANNOTATION} 'dir:${target}' of ${ref}`;
  if (allowedLocalRoots.length === 0) {
    throw new InputError(
      `Local sources are disabled: ${described} needs its directory listed in ${ROOTS_KEY}`,
    );
  }
  let absolute: string;
  if (path.isAbsolute(target)) {
    absolute = path.resolve(target);
  } else {
    const base = catalogFileDirectory(entity);
    if (base === undefined) {
      throw new InputError(
        `Cannot resolve ${described}: a relative dir: path needs the entity to come from a file: location (${ANNOTATION_LOCATION}); use an absolute path`,
      );
    }
    absolute = path.resolve(base, target);
  }

  const outside = () =>
    new InputError(
      `${described} resolves to ${absolute}, which is not inside ${ROOTS_KEY} (${allowedLocalRoots.join(
        ', ',
      )}); point the annotation at a directory inside one of them, or add a root that holds it to ${ROOTS_KEY}`,
    );
  const real = await realpathOrUndefined(absolute);
  if (real === undefined) {
    if (!allowedLocalRoots.some(root => isInside(root, absolute)))
      throw outside();
    throw new NotFoundError(
      `The source directory ${absolute} (${described}) does not exist`,
    );
  }
  // Checked on the real path: a symlink inside a root cannot lead outside it.
  if (!allowedLocalRoots.some(root => isInside(root, real))) throw outside();
  if (!(await fs.stat(real)).isDirectory()) {
    throw new InputError(
      `${described} resolves to ${real}, which is not a directory`,
    );
  }
  return real;
}
