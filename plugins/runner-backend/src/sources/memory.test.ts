import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { computeCacheKey } from './cacheKey';
import { packContext } from './pack';
import { makeTree } from './testTree';

/*
 * The build context is streamed, never held whole: hashing or packing a
 * 300 MB file must not grow the process by anything like 300 MB.
 */

const MB = 1024 * 1024;
const FILE_MB = 300;
// Holding the file would add ≥ 300 MB. The budget leaves room for garbage
// the collector has not reclaimed yet when other test workers load the
// machine; `yarn bench:runner` measures the real peak (target ~50 MB).
const BUDGET_MB = 120;

/** Runs `work` while sampling RSS every few ms; returns the growth over the starting RSS. */
async function peakRssGrowth(work: () => Promise<unknown>): Promise<number> {
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  return (peak - start) / MB;
}

describe('streaming a large build context', () => {
  jest.setTimeout(120_000);
  let dir: string;

  beforeAll(async () => {
    dir = makeTree({ Dockerfile: 'FROM scratch\nCOPY big.bin /\n' });
    // Generated with a write stream from one reused 1 MB block, so building
    // the fixture does not itself inflate the heap.
    const block = randomBytes(MB);
    const out = fs.createWriteStream(path.join(dir, 'big.bin'));
    for (let i = 0; i < FILE_MB; i++) {
      if (!out.write(block)) {
        await new Promise(resolve => out.once('drain', resolve));
      }
    }
    await new Promise<void>((resolve, reject) =>
      out.end((err?: Error | null) => (err ? reject(err) : resolve())),
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it(`hashes a ${FILE_MB} MB file with less than ${BUDGET_MB} MB of RSS growth`, async () => {
    let key = '';
    const growth = await peakRssGrowth(async () => {
      key = await computeCacheKey(
        { contextDir: dir, dockerfile: 'Dockerfile', buildArgs: {} },
        (FILE_MB + 1) * MB,
      );
    });
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(growth).toBeLessThan(BUDGET_MB);
  });

  it(`packs a ${FILE_MB} MB file with less than ${BUDGET_MB} MB of RSS growth`, async () => {
    let bytes = 0;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length;
        // A consumer slower than the disk, as the Docker engine is: the
        // tar must wait for it rather than buffer ahead.
        setImmediate(callback);
      },
    });
    const growth = await peakRssGrowth(() => pipeline(packContext(dir), sink));
    expect(bytes).toBeGreaterThan(FILE_MB * MB);
    expect(growth).toBeLessThan(BUDGET_MB);
  });
});
