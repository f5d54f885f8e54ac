import { LineBuffer, LineSplitter, MAX_LINE_CHARS, stripAnsi } from './lines';

describe('LineBuffer', () => {
  it('joins fragments into lines and keeps the unterminated rest for flush', () => {
    const lines = new LineBuffer();
    expect(lines.push('Step 2/3 : RUN make')).toEqual([]);
    expect(lines.push('\n ---> Running in abc\r\nout')).toEqual([
      'Step 2/3 : RUN make',
      ' ---> Running in abc',
    ]);
    expect(lines.flush()).toEqual(['out']);
    expect(lines.flush()).toEqual([]);
  });

  it('cuts a line that never ends', () => {
    const lines = new LineBuffer();
    const out = lines.push('x'.repeat(MAX_LINE_CHARS * 2 + 5));
    expect(out).toEqual([
      'x'.repeat(MAX_LINE_CHARS),
      'x'.repeat(MAX_LINE_CHARS),
    ]);
    expect(lines.flush()).toEqual(['xxxxx']);
  });
});

describe('stripAnsi', () => {
  it('removes the colour codes the engine wraps around stderr', () => {
    expect(stripAnsi('\u001b[91merror: boom\n\u001b[0m')).toBe('error: boom\n');
  });
});

describe('LineSplitter', () => {
  it('emits one line per chunk, each ending in a newline', async () => {
    const splitter = new LineSplitter();
    const bytes = Buffer.from('α\nβγ\npartial');
    splitter.write(bytes.subarray(0, 1)); // half of 'α'
    splitter.write(bytes.subarray(1));
    splitter.end();
    const lines: string[] = [];
    for await (const line of splitter) lines.push(line);
    expect(lines).toEqual(['α\n', 'βγ\n', 'partial\n']);
  });
});
