import type { InstanceStore, LogStream } from './InstanceStore';

/**
 * Collects log lines and writes them to the store in batches, in order:
 * a build can print thousands of lines and one INSERT per line would make the
 * database, not Docker, the bottleneck.
 */
export class LogBuffer {
  private pending: string[] = [];
  private writing: Promise<void> = Promise.resolve();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly store: InstanceStore,
    private readonly instanceId: string,
    private readonly stream: LogStream,
    private readonly maxBatch = 200,
    private readonly maxDelayMs = 250,
  ) {}

  push(line: string): void {
    this.pending.push(line);
    if (this.pending.length >= this.maxBatch) {
      this.drain();
    } else if (!this.timer) {
      this.timer = setTimeout(() => this.drain(), this.maxDelayMs);
    }
  }

  /** Resolves once every line pushed so far is stored. */
  async flush(): Promise<void> {
    this.drain();
    await this.writing;
  }

  private drain(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    // Chained so batches land in order; a failed write must not stop later ones.
    this.writing = this.writing
      .catch(() => undefined)
      .then(() => this.store.appendLogs(this.instanceId, this.stream, batch));
  }
}
