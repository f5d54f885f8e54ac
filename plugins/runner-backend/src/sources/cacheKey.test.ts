import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '@backstage/errors';
import { computeCacheKey } from './cacheKey';
import { makeTree } from './testTree';

const MB = 1024 * 1024;

describe('computeCacheKey', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTree({
      Dockerfile: 'FROM busybox\nCOPY . /app\n',
      'app/index.html': '<h1>hi</h1>',
      'app/run.sh': '#!/bin/sh\necho run\n',
      'node_modules/big/index.js': 'module.exports = 1',
      'notes.md': 'ignored',
      '.dockerignore': 'node_modules\n*.md\n',
    });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const key = (
    overrides: Partial<Parameters<typeof computeCacheKey>[0]> = {},
  ) =>
    computeCacheKey(
      {
        contextDir: dir,
        dockerfile: 'Dockerfile',
        buildArgs: { A: '1', B: '2' },
        target: 'runtime',
        ...overrides,
      },
      10 * MB,
    );

  it('is a sha256, stable across runs, arg order and modification times', async () => {
    const first = await key();
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(await key()).toBe(first);
    expect(await key({ buildArgs: { B: '2', A: '1' } })).toBe(first);
    const old = new Date('2001-01-01');
    fs.utimesSync(path.join(dir, 'app/index.html'), old, old);
    expect(await key()).toBe(first);
  });

  it('is the same for an identical copy in another directory', async () => {
    const copy = makeTree({});
    try {
      fs.cpSync(dir, copy, { recursive: true });
      expect(await key({ contextDir: copy })).toBe(await key());
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  it.each([
    [
      'file content',
      () => fs.appendFileSync(path.join(dir, 'app/index.html'), '!'),
    ],
    ['file mode', () => fs.chmodSync(path.join(dir, 'app/run.sh'), 0o755)],
    ['a new file', () => fs.writeFileSync(path.join(dir, 'app/new.txt'), '')],
    ['a new empty directory', () => fs.mkdirSync(path.join(dir, 'app/empty'))],
    [
      'a renamed file',
      () =>
        fs.renameSync(
          path.join(dir, 'app/run.sh'),
          path.join(dir, 'app/go.sh'),
        ),
    ],
    [
      'a symlink target',
      () => fs.symlinkSync('index.html', path.join(dir, 'app/link')),
    ],
    [
      'the .dockerignore',
      () => fs.writeFileSync(path.join(dir, '.dockerignore'), 'node_modules\n'),
    ],
  ])('changes with %s', async (_what, change) => {
    const before = await key();
    change();
    expect(await key()).not.toBe(before);
  });

  it.each([
    ['a build arg value', { buildArgs: { A: '1', B: '3' } }],
    ['a build arg name', { buildArgs: { A: '1', C: '2' } }],
    ['the target', { target: 'debug' }],
    ['no target', { target: undefined }],
  ])('changes with %s', async (_what, overrides) => {
    expect(await key(overrides)).not.toBe(await key());
  });

  it('changes with the Dockerfile path', async () => {
    fs.copyFileSync(
      path.join(dir, 'Dockerfile'),
      path.join(dir, 'Dockerfile.prod'),
    );
    expect(await key({ dockerfile: 'Dockerfile.prod' })).not.toBe(await key());
  });

  it('ignores what .dockerignore excludes', async () => {
    const before = await key();
    fs.appendFileSync(
      path.join(dir, 'node_modules/big/index.js'),
      '// changed',
    );
    fs.writeFileSync(path.join(dir, 'node_modules/new.js'), 'x');
    fs.writeFileSync(path.join(dir, 'README.md'), 'x');
    expect(await key()).toBe(before);
  });

  it('still hashes a Dockerfile that .dockerignore excludes (Docker always sends it)', async () => {
    fs.writeFileSync(
      path.join(dir, '.dockerignore'),
      'Dockerfile\n.dockerignore\n',
    );
    const before = await key();
    fs.appendFileSync(path.join(dir, 'Dockerfile'), 'RUN true\n');
    expect(await key()).not.toBe(before);
  });

  it('fails with an InputError when the Dockerfile is missing', async () => {
    await expect(key({ dockerfile: 'docker/Dockerfile' })).rejects.toThrow(
      "No Dockerfile at 'docker/Dockerfile' in the build context",
    );
  });

  it('fails before reading any content when the context exceeds maxContextSize', async () => {
    fs.writeFileSync(path.join(dir, 'big.bin'), Buffer.alloc(3 * MB));
    const reads = jest.spyOn(fs, 'createReadStream');
    try {
      const error = await computeCacheKey(
        { contextDir: dir, dockerfile: 'Dockerfile', buildArgs: {} },
        2 * MB,
      ).catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toContain(
        'more than runner.docker.maxContextSize (2 MiB (2097152 bytes))',
      );
      expect(error.message).toMatch(/is 3\.0 MiB \(\d+ bytes\)/);
      expect(error.message).toContain('the largest file is big.bin');
      expect(reads).not.toHaveBeenCalled();
      // The spy does see reads: under the limit, files are read.
      await computeCacheKey(
        { contextDir: dir, dockerfile: 'Dockerfile', buildArgs: {} },
        4 * MB,
      );
      expect(reads).toHaveBeenCalled();
    } finally {
      reads.mockRestore();
    }
  });

  it('does not count ignored files towards maxContextSize', async () => {
    fs.writeFileSync(
      path.join(dir, 'node_modules/huge.bin'),
      Buffer.alloc(3 * MB),
    );
    await expect(
      computeCacheKey(
        { contextDir: dir, dockerfile: 'Dockerfile', buildArgs: {} },
        2 * MB,
      ),
    ).resolves.toMatch(/^[0-9a-f]{64}$/);
  });
});
