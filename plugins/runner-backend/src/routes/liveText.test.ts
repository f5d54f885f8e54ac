import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import express from 'express';
import { sendLiveText } from './liveText';

/*
 * sendLiveText with answers larger than the response's high-water mark: a
 * log tail of thousands of lines must arrive whole, and a client that stops
 * reading must stop the source (backpressure) instead of being buffered for.
 */

const LINES = 20_000;
const line = (i: number) => `${i} ${'x'.repeat(1000)}\n`;

let pulled = 0;
let current: express.Response | undefined;
let server: http.Server;
let base: string;

beforeAll(async () => {
  const app = express();
  app.get('/log', async (_req, res) => {
    current = res;
    pulled = 0;
    const source = Readable.from(
      (function* lines() {
        for (let i = 1; i <= LINES; i++) {
          pulled++;
          yield line(i);
        }
      })(),
    );
    await sendLiveText(res, source);
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise(resolve => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise(resolve => server.close(resolve)));

function get(): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) =>
    http.get(`${base}/log`, resolve).once('error', reject),
  );
}

async function body(response: http.IncomingMessage): Promise<string> {
  response.setEncoding('utf8');
  let text = '';
  for await (const chunk of response) text += chunk;
  return text;
}

async function until(what: string, check: () => boolean) {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise(resolve => setImmediate(resolve));
  }
}

describe('sendLiveText', () => {
  it('sends a 20 MB answer whole', async () => {
    const text = await body(await get());
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(LINES);
    expect(lines[LINES - 1]).toBe(line(LINES).trimEnd());
  });

  it('stops reading the source while the client does not read', async () => {
    const response = await get();
    response.pause();
    await until('the socket to fill up', () =>
      Boolean(current?.socket?.writableNeedDrain),
    );
    const whilePaused = pulled;
    expect(whilePaused).toBeLessThan(LINES / 2);
    const text = await body(response);
    expect(text.trimEnd().split('\n')).toHaveLength(LINES);
  });
});
