import type { Readable } from 'node:stream';

/** What one logs action returns at most, whatever the lines' length. */
export const MAX_LOG_BYTES = 256 * 1024;

/**
 * The lines of a finite log stream, at most `maxBytes` of them (the last
 * ones: a tail is what the caller asked for). The stream is destroyed once
 * read, or as soon as it is over the bound.
 */
export async function readLines(
  stream: Readable,
  maxBytes = MAX_LOG_BYTES,
): Promise<{ lines: string[]; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  try {
    for await (const chunk of stream) {
      const buffer = Buffer.isBuffer(chunk)
        ? chunk
        : Buffer.from(String(chunk));
      chunks.push(buffer);
      size += buffer.length;
      // Keep only what may still be returned: the newest maxBytes.
      while (size - chunks[0].length >= maxBytes) {
        size -= chunks.shift()!.length;
        truncated = true;
      }
    }
  } finally {
    stream.destroy();
  }
  let bytes = Buffer.concat(chunks);
  if (bytes.length > maxBytes) {
    bytes = bytes.subarray(bytes.length - maxBytes);
    truncated = true;
  }
  const lines = bytes.toString('utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  // A cut-off first line is not a line of the log.
  if (truncated) lines.shift();
  return { lines, truncated };
}
