import type express from 'express';
import { once } from 'node:events';
import type { Readable } from 'node:stream';

/**
 * Sends a stream of text (a followed log) as it is produced.
 *
 * Backstage's root HTTP router runs the `compression` middleware on every
 * route. A gzip stream holds bytes until it has a block's worth, so a quiet
 * log reached the browser seconds late (10 bytes in 25 s). `no-transform`
 * is the opt-out that middleware honours (and proxies, by RFC 9111);
 * `X-Accel-Buffering: no` asks nginx-style proxies not to buffer either.
 * Headers go out at once, so a client knows the stream is open before the
 * first line; chunks that are already waiting go out in one write, the rest
 * as they arrive.
 */
export async function sendLiveText(
  res: express.Response,
  stream: Readable,
): Promise<void> {
  res
    .status(200)
    .type('text/plain; charset=utf-8')
    .setHeader('cache-control', 'no-store, no-transform');
  res.setHeader('x-accel-buffering', 'no');
  res.flushHeaders();
  // A client that goes away ends the stream (and a follow on the engine).
  res.once('close', () => stream.destroy());

  let corked = false;
  const uncork = () => {
    if (!corked) return;
    corked = false;
    res.uncork();
    // Should anything still compress (a custom root router), push it out.
    (res as { flush?: () => void }).flush?.();
  };
  try {
    for await (const chunk of stream) {
      if (res.destroyed) break;
      if (!corked) {
        corked = true;
        res.cork();
        setImmediate(uncork);
      }
      if (!res.write(chunk)) {
        uncork();
        // Corked, write() says false once the waiting chunks pass the
        // high-water mark, but 'drain' comes only from a socket that was
        // full itself: waiting for it otherwise hung any answer over 64 KiB.
        if (res.socket?.writableNeedDrain) {
          await Promise.race([once(res, 'drain'), once(res, 'close')]);
        }
      }
    }
  } catch {
    // The source failed mid-stream (engine gone, container removed): the
    // status is sent, so ending the body is all that is left to do.
  }
  uncork();
  if (!res.destroyed) res.end();
}
