import type Docker from 'dockerode';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  BuildCancelledError,
  BuildFailedError,
  RUNNER_LABELS,
  RunnerTimeoutError,
  type BuildRequest,
  type BuildResult,
} from './types';
import { JsonStreamParser } from './jsonStream';
import { LineBuffer, stripAnsi } from './lines';
import { engineMessage, statusCodeOf } from './dockerErrors';

/*
 * `docker build` through the engine's legacy builder (POST /build).
 *
 * - The context is piped from the caller's tar stream into the request; it is
 *   never collected in memory.
 * - The engine answers HTTP 200 as soon as it starts and reports a failed
 *   build *inside* the stream (`errorDetail`), so every message is read.
 * - On timeout or cancel the request is aborted. The legacy builder watches
 *   the request's context: when the client goes away it kills and removes the
 *   step's container (verified against dockerd 20.10 in ImageBuilder.test.ts).
 *   We still check that container afterwards and remove it ourselves if it
 *   survived, because a build left running would hold CPU for nothing.
 */

/** Lines of output kept for BuildFailedError.logTail. */
const LOG_TAIL_LINES = 40;
/** How long we wait for the engine to drop the step container after an abort. */
const ABORT_SETTLE_MS = 5_000;
const ABORT_POLL_MS = 200;

const STEP_LINE = /^Step \d+\/\d+ : /;
const RUNNING_IN = /^ ---> Running in ([0-9a-f]{12,64})\b/;
const REMOVING = /^Removing intermediate container ([0-9a-f]{12,64})\b/;
const SUCCESSFULLY_BUILT = /^Successfully built ([0-9a-f]{12,64})\b/;

interface BuildMessage {
  stream?: string;
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { code?: number; message?: string };
  aux?: { ID?: string };
}

/** What the progress stream told us, line by line. */
class BuildProgress {
  step: string | undefined;
  /** The step container that is running now, if any. */
  stepContainer: string | undefined;
  auxImageId: string | undefined;
  shortImageId: string | undefined;
  error: string | undefined;
  readonly tail: string[] = [];
  private readonly lines = new LineBuffer();

  constructor(private readonly onLog: (line: string) => void) {}

  handle(message: BuildMessage) {
    if (typeof message.stream === 'string') {
      for (const line of this.lines.push(stripAnsi(message.stream))) {
        this.line(line);
      }
    }
    if (typeof message.status === 'string') {
      // Pull progress bars repeat the same line many times a second; only
      // the state changes ("Pulling fs layer", "Pull complete") are logged.
      if (message.progressDetail?.total === undefined) {
        this.line(
          message.id ? `${message.id}: ${message.status}` : message.status,
        );
      }
    }
    if (message.aux?.ID) {
      this.auxImageId = message.aux.ID;
    }
    if (message.errorDetail || message.error) {
      for (const line of this.lines.flush()) this.line(line);
      this.error =
        message.errorDetail?.message || message.error || 'unknown build error';
      this.line(`ERROR: ${this.error}`);
    }
  }

  finish() {
    for (const line of this.lines.flush()) this.line(line);
  }

  private line(line: string) {
    if (STEP_LINE.test(line)) this.step = line;
    const running = RUNNING_IN.exec(line);
    if (running) this.stepContainer = running[1];
    const removing = REMOVING.exec(line);
    if (removing && this.stepContainer?.startsWith(removing[1])) {
      this.stepContainer = undefined;
    }
    const built = SUCCESSFULLY_BUILT.exec(line);
    if (built) this.shortImageId = built[1];
    this.tail.push(line);
    if (this.tail.length > LOG_TAIL_LINES) this.tail.shift();
    try {
      this.onLog(line);
    } catch {
      // A failing log sink must not fail the build.
    }
  }
}

type Stop = { kind: 'timeout' } | { kind: 'cancel' };

export class ImageBuilder {
  constructor(
    /** A client without a socket idle timeout: a silent `RUN` step may last minutes. */
    private readonly docker: Docker,
  ) {}

  async build(req: BuildRequest): Promise<BuildResult> {
    const abort = new AbortController();
    let stop: Stop | undefined;
    const halt = (why: Stop) => {
      if (stop) return;
      stop = why;
      abort.abort();
    };
    const timer = setTimeout(() => halt({ kind: 'timeout' }), req.timeoutMs);
    const onCancel = () => halt({ kind: 'cancel' });
    if (req.signal?.aborted) onCancel();
    req.signal?.addEventListener('abort', onCancel, { once: true });

    // A context that fails to read (file vanished, permission denied) breaks
    // the request; its own error explains more than "socket hang up".
    let contextError: Error | undefined;
    const onContextError = (error: Error) => {
      contextError = error;
    };
    // Left attached: an error after we gave up on the stream must not crash the process.
    req.context.on('error', onContextError);

    const progress = new BuildProgress(req.onLog);
    try {
      if (stop) throw new BuildCancelledError();
      await this.stream(req, abort.signal, progress);
      // A stop that lands after the stream ended changes nothing: the build is done.
    } catch (error) {
      if (stop) {
        await this.ensureStepContainerGone(progress.stepContainer, req.onLog);
        throw stop.kind === 'timeout'
          ? new RunnerTimeoutError('build', req.timeoutMs)
          : new BuildCancelledError();
      }
      if (contextError) {
        throw new Error(
          `Reading the build context failed: ${contextError.message}`,
          { cause: contextError },
        );
      }
      throw error;
    } finally {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onCancel);
      // The caller's tar stream holds open files until it is consumed or destroyed.
      if (!req.context.readableEnded) req.context.destroy();
    }

    progress.finish();
    if (progress.error) {
      throw new BuildFailedError(progress.error, progress.step, progress.tail);
    }
    return { imageId: await this.imageId(req.tag, progress) };
  }

  private async stream(
    req: BuildRequest,
    signal: AbortSignal,
    progress: BuildProgress,
  ): Promise<void> {
    const options: Docker.ImageBuildOptions = {
      t: req.tag,
      dockerfile: req.dockerfile,
      buildargs: req.buildArgs,
      labels: imageLabels(req.labels),
      rm: true,
      forcerm: true,
      abortSignal: signal,
    };
    if (req.target) options.target = req.target;

    let response: NodeJS.ReadableStream;
    try {
      response = await this.docker.buildImage(req.context, options);
    } catch (error) {
      const status = statusCodeOf(error);
      // 400/500 before any progress: the engine rejected the build itself
      // (Dockerfile parse error, unknown target, no such Dockerfile). That is
      // the component's fault, so it is a failed build, not an engine failure.
      if (status === 400 || status === 500) {
        const message = engineMessage(error);
        progress.handle({ error: message });
        throw new BuildFailedError(message, undefined, progress.tail);
      }
      throw error;
    }

    const parser = new JsonStreamParser();
    await new Promise<void>((resolve, reject) => {
      response.on('data', (chunk: Buffer) => {
        for (const message of parser.push(chunk)) {
          if (message && typeof message === 'object') {
            progress.handle(message as BuildMessage);
          }
        }
      });
      response.on('end', resolve);
      response.on('error', reject);
      // 'close' without 'end' means the connection broke mid-build.
      response.on('close', () =>
        reject(new Error('The Docker engine closed the build stream early')),
      );
    });
  }

  /** The id from `aux.ID`, else from "Successfully built …", else from the tag. */
  private async imageId(tag: string, progress: BuildProgress): Promise<string> {
    if (progress.auxImageId) return progress.auxImageId;
    const ref = progress.shortImageId ?? tag;
    try {
      const info = await this.docker.getImage(ref).inspect();
      return info.Id;
    } catch (error) {
      if (statusCodeOf(error) === 404) {
        throw new BuildFailedError(
          `The engine ended the build without producing image ${ref}`,
          progress.step,
          progress.tail,
        );
      }
      throw error;
    }
  }

  /**
   * After an abort: wait for the engine to drop the step container, and
   * remove it ourselves if it is still there after ABORT_SETTLE_MS.
   */
  private async ensureStepContainerGone(
    containerId: string | undefined,
    onLog: (line: string) => void,
  ): Promise<void> {
    if (!containerId) return;
    const container = this.docker.getContainer(containerId);
    const deadline = Date.now() + ABORT_SETTLE_MS;
    try {
      while (Date.now() < deadline) {
        try {
          await container.inspect();
        } catch (error) {
          if (statusCodeOf(error) === 404) return;
          throw error;
        }
        await sleep(ABORT_POLL_MS);
      }
      await container.remove({ force: true });
      safeLog(
        onLog,
        `runner: removed build container ${containerId} that outlived the aborted build`,
      );
    } catch (error) {
      if (statusCodeOf(error) === 404) return;
      safeLog(
        onLog,
        `runner: could not check build container ${containerId} after the abort: ${engineMessage(
          error,
        )}`,
      );
    }
  }
}

/**
 * Containers inherit their image's labels. An image labelled `managed=true`
 * would make any container started from it by hand look like the runner's
 * (events, listManaged, orphan reaping), so that label never goes on an image.
 * Runner images are found by their cache-key label instead.
 */
function imageLabels(labels: Record<string, string>): Record<string, string> {
  const result = { ...labels };
  delete result[RUNNER_LABELS.managed];
  return result;
}

function safeLog(onLog: (line: string) => void, line: string) {
  try {
    onLog(line);
  } catch {
    // ignore
  }
}
