import type Docker from 'dockerode';
import { Writable, type Readable } from 'node:stream';
import { NotFoundError } from '@backstage/errors';
import type { LogOptions } from './types';
import { LineSplitter } from './lines';
import { engineError, statusCodeOf } from './dockerErrors';

/*
 * Container logs as a stream of lines. Without a TTY the engine multiplexes
 * stdout and stderr into frames (8-byte header + payload); with one it sends
 * raw bytes. Either way the result is an object-mode Readable whose chunks are
 * single lines ending in "\n", in the order the engine sent them.
 *
 * The request is streamed even without `follow` (dockerode would buffer the
 * whole log), and destroying the returned stream closes the request, so a
 * browser that goes away does not leave a follow open on the engine.
 */
export class ContainerLogs {
  constructor(
    private readonly docker: Docker,
    /** Client without a socket idle timeout: a followed container may be silent for hours. */
    private readonly patientDocker: Docker,
  ) {}

  /**
   * Lines of the container's output. Errors (NotFoundError for an unknown
   * container) arrive as the stream's 'error' event; with `follow`, the
   * stream ends when the container stops.
   */
  logs(id: string, options: LogOptions): Readable {
    const lines = new LineSplitter();
    this.connect(id, options, lines).catch(error => lines.destroy(error));
    return lines;
  }

  private async connect(
    id: string,
    options: LogOptions,
    lines: LineSplitter,
  ): Promise<void> {
    let tty: boolean;
    try {
      tty = Boolean((await this.docker.getContainer(id).inspect()).Config?.Tty);
    } catch (error) {
      if (statusCodeOf(error) === 404) {
        throw new NotFoundError(`No container ${id}`);
      }
      throw engineError(`reading logs of container ${id}`, error);
    }
    if (lines.destroyed) return;

    const response = await this.request(id, options);
    if (lines.destroyed) {
      response.destroy();
      return;
    }
    lines.once('close', () => response.destroy());
    response.once('error', error => lines.destroy(error));
    response.once('end', () => lines.end());

    // Backpressure: pause the engine's response while the reader lags.
    let paused = false;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        if (!lines.write(chunk) && !paused) {
          paused = true;
          response.pause();
          lines.once('drain', () => {
            paused = false;
            response.resume();
          });
        }
        callback();
      },
    });
    if (tty) {
      response.on('data', (chunk: Buffer) => sink.write(chunk));
    } else {
      this.patientDocker.modem.demuxStream(response, sink, sink);
    }
  }

  /** GET /containers/{id}/logs as a stream, whatever `follow` is. */
  private request(id: string, options: LogOptions): Promise<Readable> {
    return new Promise((resolve, reject) => {
      this.patientDocker.modem.dial(
        {
          path: `/containers/${encodeURIComponent(id)}/logs?`,
          method: 'GET',
          options: {
            follow: options.follow,
            stdout: true,
            stderr: true,
            tail: String(options.tail),
            timestamps: Boolean(options.timestamps),
          },
          isStream: true,
          statusCodes: {
            200: true,
            404: 'no such container',
            500: 'server error',
          },
        },
        (error, stream) => {
          if (error) {
            reject(
              statusCodeOf(error) === 404
                ? new NotFoundError(`No container ${id}`)
                : engineError(`reading logs of container ${id}`, error),
            );
          } else {
            resolve(stream as Readable);
          }
        },
      );
    });
  }
}
