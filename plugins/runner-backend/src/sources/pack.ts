import { Readable } from 'node:stream';
import tarFs from 'tar-fs';
import { listContextEntries } from './contextEntries';

/**
 * A tar stream of the build context with the same entries the cache key
 * hashed (.dockerignore honoured, Dockerfile and .dockerignore always
 * included). Lazy: nothing is read until the consumer reads, and the
 * consumer's pace drives the disk reads (backpressure), so the context is
 * never held in memory.
 */
export function packContext(
  contextDir: string,
  dockerfile = 'Dockerfile',
): Readable {
  async function* chunks(): AsyncGenerator<Buffer> {
    const entries = await listContextEntries(contextDir, { dockerfile });
    const pack = tarFs.pack(contextDir, {
      entries: entries.map(entry => entry.path),
      // Directories are listed explicitly with their wanted children, so
      // tar-fs must not add a directory's other children on its own.
      ignore: () => true,
      // Send permission bits as they are on disk, as the Docker CLI does;
      // tar-fs would otherwise apply the backend's umask.
      umask: 0,
    } as tarFs.PackOptions & { umask: number });
    for await (const chunk of pack as unknown as AsyncIterable<Buffer>) {
      yield chunk;
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}
