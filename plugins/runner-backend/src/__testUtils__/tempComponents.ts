import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import type { Entity } from '@backstage/catalog-model';

/*
 * Components made up by a test on the real engine: a source directory of
 * its own (a `dir:` source under a temporary allowed root) and, at the end,
 * every container and image labelled with its entity ref removed.
 */

export interface TempComponents {
  /** Put into `runner.sources.allowedLocalRoots`. */
  root: string;
  /** A component whose source is `<root>/<source>/`. */
  entity(name: string, source: string): Entity;
  /** Writes a file of a source (creating the source directory). */
  write(source: string, file: string, content: string): Promise<void>;
  /** Removes the containers and images of these entities, then the sources. */
  cleanup(entityRefs: string[]): Promise<void>;
}

export async function tempComponents(prefix: string): Promise<TempComponents> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), `runner-${prefix}-`));
  return {
    root,
    entity: (name, source) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name,
        namespace: 'default',
        annotations: {
          'backstage.io/source-location': `dir:${path.join(root, source)}/`,
        },
      },
      spec: { type: 'service', owner: 'guests', lifecycle: 'experimental' },
    }),
    async write(source, file, content) {
      await fs.mkdir(path.join(root, source), { recursive: true });
      await fs.writeFile(path.join(root, source, file), content);
    },
    async cleanup(entityRefs) {
      await removeEntityObjects(entityRefs);
      await fs.rm(root, { recursive: true, force: true });
    },
  };
}

/** Every container and image labelled with one of these entity refs. */
export async function removeEntityObjects(entityRefs: string[]): Promise<void> {
  const docker = new Docker();
  const filters = entityRefs.map(entityRef => ({
    label: [`runner.backstage.io/entity-ref=${entityRef}`],
  }));
  // Containers first: one entity's container may run another's image (a cache hit).
  for (const filter of filters) {
    for (const c of await docker.listContainers({
      all: true,
      filters: filter,
    })) {
      await docker.getContainer(c.Id).remove({ force: true });
    }
  }
  for (const filter of filters) {
    for (const image of await docker.listImages({ filters: filter })) {
      await docker
        .getImage(image.Id)
        .remove({ force: true })
        .catch(() => undefined); // gone with another tag's removal
    }
  }
}
