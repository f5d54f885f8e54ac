import { StringDecoder } from 'node:string_decoder';
import { Transform, type TransformCallback } from 'node:stream';

/*
 * Build output and container logs arrive in fragments that do not respect
 * line boundaries (the engine sends "Step 2/3 : RUN …" and its "\n" as two
 * messages). Both are turned into whole lines here.
 */

/** A line longer than this is cut, so output without newlines cannot grow memory without bound. */
export const MAX_LINE_CHARS = 64 * 1024;

// CSI sequences (colours, cursor moves). The engine itself wraps a build
// step's stderr in red (ESC[91m … ESC[0m), which is noise in a stored log.
// eslint-disable-next-line no-control-regex
const ANSI_PATTERN = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI_PATTERN, '');
}

/** Accumulates text and hands back complete lines, without their line ending. */
export class LineBuffer {
  private partial = '';

  push(text: string): string[] {
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop() ?? '';
    const lines = parts.map(trimCarriageReturn);
    while (this.partial.length > MAX_LINE_CHARS) {
      lines.push(this.partial.slice(0, MAX_LINE_CHARS));
      this.partial = this.partial.slice(MAX_LINE_CHARS);
    }
    return lines;
  }

  /** The unterminated rest, if any (at the end of a stream). */
  flush(): string[] {
    const rest = trimCarriageReturn(this.partial);
    this.partial = '';
    return rest ? [rest] : [];
  }
}

function trimCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/**
 * Bytes in, lines out: an object-mode readable side whose every chunk is one
 * line as a string ending in "\n". Piping it into an HTTP response gives
 * plain text; reading it gives one line per chunk.
 */
export class LineSplitter extends Transform {
  private readonly decoder = new StringDecoder('utf8');
  private readonly lines = new LineBuffer();

  constructor() {
    super({ readableObjectMode: true, writableObjectMode: false });
  }

  override _transform(
    chunk: Buffer | string,
    _encoding: BufferEncoding,
    callback: TransformCallback,
  ): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    for (const line of this.lines.push(text)) this.push(`${line}\n`);
    callback();
  }

  override _flush(callback: TransformCallback): void {
    const rest = this.decoder.end();
    for (const line of [...this.lines.push(rest), ...this.lines.flush()]) {
      this.push(`${line}\n`);
    }
    callback();
  }
}
