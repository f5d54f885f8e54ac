import { Readable } from 'node:stream';
import { readLines } from './readLines';

describe('readLines', () => {
  it('returns every line of a short log', async () => {
    expect(await readLines(Readable.from(['one\ntw', 'o\nthree\n']))).toEqual({
      lines: ['one', 'two', 'three'],
      truncated: false,
    });
  });

  it('keeps the newest lines within the byte bound and drops the cut-off one', async () => {
    const chunks = Array.from({ length: 100 }, (_, i) => `line ${i}\n`);
    const { lines, truncated } = await readLines(Readable.from(chunks), 40);
    expect(truncated).toBe(true);
    expect(lines.at(-1)).toBe('line 99');
    expect(lines.join('\n').length).toBeLessThanOrEqual(40);
    expect(lines.every(l => /^line \d+$/.test(l))).toBe(true);
  });

  it('destroys the stream once read', async () => {
    const stream = Readable.from(['a\n']);
    await readLines(stream);
    expect(stream.destroyed).toBe(true);
  });
});
