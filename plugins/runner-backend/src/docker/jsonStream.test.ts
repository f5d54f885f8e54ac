import { JsonStreamParser } from './jsonStream';

describe('JsonStreamParser', () => {
  it('returns documents split across chunks, concatenated, or separated by CRLF', () => {
    const parser = new JsonStreamParser();
    expect(parser.push('{"a":1}\r\n{"b":')).toEqual([{ a: 1 }]);
    expect(parser.push('2}{"c":"}{\\"x\\"')).toEqual([{ b: 2 }]);
    expect(parser.push('"}\n')).toEqual([{ c: '}{"x"' }]);
    expect(parser.push('')).toEqual([]);
  });

  it('keeps a UTF-8 character split between two buffers whole', () => {
    const bytes = Buffer.from('{"msg":"grüße"}');
    const cut = bytes.indexOf(0xc3) + 1; // inside the two-byte 'ü'
    const parser = new JsonStreamParser();
    expect(parser.push(bytes.subarray(0, cut))).toEqual([]);
    expect(parser.push(bytes.subarray(cut))).toEqual([{ msg: 'grüße' }]);
  });

  it('handles nested objects and arrays one byte at a time', () => {
    const text = '{"a":{"b":[1,{"c":"]"}]}}\n[1,2]\n';
    const parser = new JsonStreamParser();
    const documents = [...text].flatMap(ch => parser.push(ch));
    expect(documents).toEqual([{ a: { b: [1, { c: ']' }] } }, [1, 2]]);
  });

  it('skips a garbled document and goes on', () => {
    const parser = new JsonStreamParser();
    expect(parser.push('{"a":01}{"b":1}')).toEqual([{ b: 1 }]);
  });
});
