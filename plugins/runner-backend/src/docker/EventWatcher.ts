import type Docker from 'dockerode';
import {
  RUNNER_LABELS,
  type ContainerEvent,
  type EventSubscription,
  type WatchEventsOptions,
} from './types';
import { JsonStreamParser } from './jsonStream';

/*
 * The engine's event stream, narrowed to the runner's containers, kept open
 * across engine restarts.
 *
 * When the stream ends or fails (daemon restart, socket closed) it is
 * reopened with jittered exponential backoff. Events that happened while it
 * was down are lost, so after every successful (re)connection `onResync` is
 * called and the caller re-lists. That includes the first connection: listing
 * *after* the stream is live is what guarantees no change falls in between.
 */

const DEFAULTS = {
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  healthyAfterMs: 60_000,
};

/** Keys Docker puts into Actor.Attributes next to the container's labels. */
const NON_LABEL_ATTRIBUTES = new Set([
  'name',
  'image',
  'exitCode',
  'signal',
  'execID',
]);

interface RawEvent {
  Type?: string;
  Action?: string;
  status?: string;
  id?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  time?: number;
  timeNano?: number;
}

/** One engine event → ContainerEvent; undefined for anything that is not about a container. */
export function toContainerEvent(raw: unknown): ContainerEvent | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const event = raw as RawEvent;
  if (event.Type !== undefined && event.Type !== 'container') return undefined;
  const containerId = event.Actor?.ID ?? event.id;
  const action = event.Action ?? event.status;
  if (!containerId || !action) return undefined;
  const attributes = event.Actor?.Attributes ?? {};
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (!NON_LABEL_ATTRIBUTES.has(key)) labels[key] = value;
  }
  const exitCode =
    attributes.exitCode !== undefined ? Number(attributes.exitCode) : undefined;
  return {
    containerId,
    action,
    labels,
    exitCode: Number.isFinite(exitCode) ? exitCode : undefined,
    name: attributes.name,
    image: attributes.image,
    time: event.timeNano
      ? Math.floor(event.timeNano / 1e6)
      : (event.time ?? Date.now() / 1000) * 1000,
  };
}

export class EventWatcher implements EventSubscription {
  private closed = false;
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined;
  private abort: AbortController | undefined;
  private stream: NodeJS.ReadableStream | undefined;
  private readonly settings: typeof DEFAULTS;

  constructor(
    /** A client without a socket idle timeout: the stream is silent while nothing happens. */
    private readonly docker: Docker,
    private readonly onEvent: (event: ContainerEvent) => void,
    private readonly onResync: () => void,
    private readonly options: WatchEventsOptions = {},
  ) {
    this.settings = {
      initialDelayMs: options.initialDelayMs ?? DEFAULTS.initialDelayMs,
      maxDelayMs: options.maxDelayMs ?? DEFAULTS.maxDelayMs,
      healthyAfterMs: options.healthyAfterMs ?? DEFAULTS.healthyAfterMs,
    };
  }

  start(): this {
    void this.connect();
    return this;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.abort?.abort();
    this.abort = undefined;
    (this.stream as { destroy?: () => void } | undefined)?.destroy?.();
    this.stream = undefined;
  }

  private async connect(): Promise<void> {
    this.timer = undefined;
    if (this.closed) return;
    const abort = new AbortController();
    this.abort = abort;
    let stream: NodeJS.ReadableStream;
    try {
      stream = await this.docker.getEvents({
        filters: {
          type: ['container'],
          label: [`${RUNNER_LABELS.managed}=true`],
        },
        abortSignal: abort.signal,
      });
    } catch (error) {
      if (this.closed) return;
      this.connectionChanged(false);
      this.report(error, 'the Docker events stream could not be opened');
      this.scheduleReconnect();
      return;
    }
    if (this.closed) {
      (stream as { destroy?: () => void }).destroy?.();
      return;
    }
    this.stream = stream;
    const connectedAt = Date.now();
    const parser = new JsonStreamParser();
    let done = false;
    const disconnected = (error?: unknown) => {
      if (done) return;
      done = true;
      if (this.closed) return;
      this.stream = undefined;
      (stream as { destroy?: () => void }).destroy?.();
      if (Date.now() - connectedAt >= this.settings.healthyAfterMs) {
        this.attempt = 0;
      }
      this.connectionChanged(false);
      this.report(error, 'the Docker events stream ended');
      this.scheduleReconnect();
    };
    stream.on('data', (chunk: Buffer) => {
      if (this.closed || done) return;
      for (const raw of parser.push(chunk)) {
        const event = toContainerEvent(raw);
        if (event) this.call(() => this.onEvent(event));
      }
    });
    stream.on('end', () => disconnected());
    stream.on('close', () => disconnected());
    stream.on('error', (error: unknown) => disconnected(error));

    this.connectionChanged(true);
    this.call(() => this.onResync());
  }

  private scheduleReconnect() {
    if (this.closed) return;
    const ceiling = Math.min(
      this.settings.maxDelayMs,
      this.settings.initialDelayMs * 2 ** this.attempt,
    );
    this.attempt++;
    // Jitter (50–100 % of the ceiling) so many backends do not reconnect in step.
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.timer = setTimeout(() => void this.connect(), delay);
  }

  private connectionChanged(connected: boolean) {
    const notify = this.options.onConnectionChange;
    if (notify) this.call(() => notify(connected));
  }

  /** Runs a callback; a throw or rejection is reported, never fatal to the watch. */
  private call(callback: () => unknown) {
    try {
      const result = callback();
      if (result && typeof (result as Promise<unknown>).then === 'function') {
        (result as Promise<unknown>).catch(error =>
          this.report(error, 'an events callback failed'),
        );
      }
    } catch (error) {
      this.report(error, 'an events callback failed');
    }
  }

  private report(error: unknown, what: string) {
    if (!this.options.onError) return;
    const cause = error instanceof Error ? error : undefined;
    const message = cause ? `${what}: ${cause.message}` : what;
    try {
      this.options.onError(new Error(message, { cause }));
    } catch {
      // The error reporter itself failed; nothing sensible is left to do.
    }
  }
}
