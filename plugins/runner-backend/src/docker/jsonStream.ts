import { StringDecoder } from 'node:string_decoder';

/*
 * Docker answers builds and events with a stream of JSON documents. The
 * engine writes one document per line, but nothing ties documents to the
 * chunks a socket delivers: one chunk may end mid-document (or mid UTF-8
 * character) and the next may carry several. This parser scans for complete
 * top-level objects instead of trusting line breaks or chunk boundaries.
 */

/** Largest document kept while waiting for its end; protects against a runaway stream. */
const MAX_DOCUMENT_CHARS = 4 * 1024 * 1024;

export class JsonStreamParser {
  private readonly decoder = new StringDecoder('utf8');
  private buffer = '';
  // Scan state, kept between chunks so no character is examined twice.
  private scanned = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private start = -1;

  /** Feeds a chunk; returns every document completed by it, in order. */
  push(chunk: Buffer | string): unknown[] {
    this.buffer +=
      typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const documents: unknown[] = [];
    for (let i = this.scanned; i < this.buffer.length; i++) {
      const c = this.buffer[i];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === '\\') this.escaped = true;
        else if (c === '"') this.inString = false;
        continue;
      }
      if (c === '"') {
        this.inString = true;
      } else if (c === '{' || c === '[') {
        if (this.depth === 0) this.start = i;
        this.depth++;
      } else if ((c === '}' || c === ']') && this.depth > 0) {
        this.depth--;
        if (this.depth === 0) {
          const text = this.buffer.slice(this.start, i + 1);
          this.start = -1;
          try {
            documents.push(JSON.parse(text));
          } catch {
            // A document the engine garbled; skipping it keeps the stream usable.
          }
        }
      }
      // Anything else at depth 0 (the \r\n separators) is skipped.
    }
    this.scanned = this.buffer.length;
    if (this.depth === 0) {
      this.buffer = '';
      this.scanned = 0;
    } else if (this.start > 0) {
      // Keep only the unfinished document.
      this.buffer = this.buffer.slice(this.start);
      this.scanned -= this.start;
      this.start = 0;
    }
    if (this.buffer.length > MAX_DOCUMENT_CHARS) {
      this.reset();
    }
    return documents;
  }

  private reset() {
    this.buffer = '';
    this.scanned = 0;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.start = -1;
  }
}
