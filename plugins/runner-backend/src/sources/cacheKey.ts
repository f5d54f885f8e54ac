import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { CacheKeyInput } from './types';
import {
  type ContextEntry,
  assertDockerfilePresent,
  listContextEntries,
} from './contextEntries';

/** Bumped when the key's inputs change, so old images are not mistaken for new ones. */
const KEY_VERSION = 'backstage-runner/context/v1';
/** Files hashed at once: enough to overlap disk reads, few enough to bound memory. */
const CONCURRENCY = 4;

/**
 * sha256 of one file, streamed in chunks; only the first `size` bytes
 * (the size the walk saw, which is also what the tar sends).
 */
async function hashFile(file: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  if (size > 0) {
    await pipeline(createReadStream(file, { start: 0, end: size - 1 }), hash);
  }
  return hash.digest('hex');
}

async function hashContents(
  contextDir: string,
  entries: ContextEntry[],
): Promise<string[]> {
  const digests = new Array<string>(entries.length).fill('');
  let next = 0;
  const worker = async () => {
    while (next < entries.length) {
      const index = next++;
      const entry = entries[index];
      if (entry.type === 'file') {
        digests[index] = await hashFile(
          path.join(contextDir, entry.path),
          entry.size,
        );
      } else if (entry.type === 'symlink') {
        digests[index] = entry.linkTarget ?? '';
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return digests;
}

/**
 * The content-addressed build cache key: sha256 over every entry Docker
 * would receive (sorted path, type, permission bits, size, content sha256
 * or link target; .dockerignore honoured) plus the Dockerfile path, the
 * build args sorted by name, and the target. Modification times and owners
 * are left out, as Docker's own COPY cache leaves them out, so a fresh
 * checkout of the same commit gives the same key.
 *
 * Throws an InputError, before reading any content, when the context is
 * larger than `maxContextBytes` or has no Dockerfile.
 */
export async function computeCacheKey(
  input: CacheKeyInput,
  maxContextBytes: number,
): Promise<string> {
  const entries = await listContextEntries(input.contextDir, {
    dockerfile: input.dockerfile,
    maxContextBytes,
  });
  assertDockerfilePresent(entries, input.dockerfile, input.contextDir);
  const digests = await hashContents(input.contextDir, entries);

  const key = createHash('sha256');
  // One JSON array per line: JSON escapes newlines and quotes inside paths,
  // link targets and arg values, so two different inputs never produce the
  // same byte sequence.
  const record = (...fields: Array<string | number>) =>
    key.update(`${JSON.stringify(fields)}\n`);
  record(KEY_VERSION);
  entries.forEach((entry, index) => {
    record(
      'entry',
      entry.path,
      entry.type,
      entry.mode.toString(8),
      entry.size,
      digests[index],
    );
  });
  record('dockerfile', input.dockerfile);
  for (const name of Object.keys(input.buildArgs).sort()) {
    record('arg', name, input.buildArgs[name]);
  }
  record('target', input.target ?? '');
  return key.digest('hex');
}
