import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Entity } from '@backstage/catalog-model';

/** The repository's root: the directory holding backstage.json. */
export function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'backstage.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`backstage.json not found above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

/**
 * The example components as the catalog serves them: read from
 * examples/entities.yaml, with the managed-by-location annotation the
 * catalog adds, so their `dir:` sources resolve as in the real app.
 */
export function exampleEntities(): Entity[] {
  const file = path.join(repoRoot(), 'examples', 'entities.yaml');
  return parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map(doc => doc.toJS() as Entity)
    .map(entity => ({
      ...entity,
      metadata: {
        ...entity.metadata,
        namespace: entity.metadata.namespace ?? 'default',
        annotations: {
          ...entity.metadata.annotations,
          'backstage.io/managed-by-location': `file:${file}`,
          'backstage.io/managed-by-origin-location': `file:${file}`,
        },
      },
    }));
}

export function examplesDir(): string {
  return path.join(repoRoot(), 'examples');
}
