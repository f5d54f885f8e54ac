/**
 * Turns text arriving in arbitrary chunks into whole lines. A chunk boundary
 * can fall anywhere, even inside a CRLF pair, so the partial last line is
 * kept until the next chunk (or `flush`) completes it.
 */
export function createLineSplitter(onLine: (line: string) => void) {
  let pending = '';
  return {
    push(text: string) {
      pending += text;
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      for (const part of parts) {
        onLine(part.endsWith('\r') ? part.slice(0, -1) : part);
      }
    },
    /** Emits a last line that had no line break. */
    flush() {
      if (pending.length > 0) {
        const last = pending.endsWith('\r') ? pending.slice(0, -1) : pending;
        pending = '';
        onLine(last);
      }
    },
  };
}
