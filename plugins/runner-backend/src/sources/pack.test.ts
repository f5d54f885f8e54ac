import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import tarFs from 'tar-fs';
import { listContextEntries } from './contextEntries';
import { packContext } from './pack';
import { makeTree } from './testTree';

/** Every path under dir, relative, sorted (directories included). */
function listTree(dir: string, prefix = ''): string[] {
  return fs
    .readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .flatMap(d => {
      const rel = prefix ? `${prefix}/${d.name}` : d.name;
      return d.isDirectory() ? [rel, ...listTree(dir, rel)] : [rel];
    })
    .sort();
}

describe('packContext', () => {
  let dir: string;
  let out: string;
  beforeEach(() => {
    dir = makeTree({
      'docker/Dockerfile': 'FROM busybox\n',
      'src/main.sh': 'echo hi\n',
      'src/debug.log': 'noise',
      'build/out.o': 'binary',
      'build/keep.txt': 'kept by an exception',
      'node_modules/x/index.js': 'x',
      'secrets/.env': 'TOKEN=1',
      '.dockerignore': [
        '# comment',
        'node_modules',
        '**/*.log',
        'build',
        '!build/keep.txt',
        'secrets/',
        'docker',
        '.dockerignore',
      ].join('\n'),
    });
    // Group-writable: the backend's umask (usually 022) must not strip it.
    fs.chmodSync(path.join(dir, 'src/main.sh'), 0o775);
    fs.symlinkSync('main.sh', path.join(dir, 'src/link.sh'));
    out = makeTree({});
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(out, { recursive: true, force: true });
  });

  async function extract(stream: NodeJS.ReadableStream): Promise<string[]> {
    // umask 0: show the modes as the tar carries them.
    await pipeline(
      stream,
      tarFs.extract(out, { umask: 0 } as tarFs.ExtractOptions),
    );
    return listTree(out);
  }

  it('sends what Docker would: .dockerignore honoured, Dockerfile and .dockerignore always', async () => {
    const paths = await extract(packContext(dir, 'docker/Dockerfile'));
    expect(paths).toEqual([
      '.dockerignore',
      'build',
      'build/keep.txt',
      'docker',
      'docker/Dockerfile',
      'src',
      'src/link.sh',
      'src/main.sh',
    ]);
    expect(fs.readFileSync(path.join(out, 'build/keep.txt'), 'utf8')).toBe(
      'kept by an exception',
    );
    expect(fs.statSync(path.join(out, 'src/main.sh')).mode & 0o777).toBe(0o775);
    expect(fs.readlinkSync(path.join(out, 'src/link.sh'))).toBe('main.sh');
  });

  it('packs exactly the entries the cache key hashes', async () => {
    const hashed = await listContextEntries(dir, {
      dockerfile: 'docker/Dockerfile',
    });
    const packed = await extract(packContext(dir, 'docker/Dockerfile'));
    // Ignored directories entered for an exception (`build`, `docker`) are
    // not entries of their own, as in Docker, but appear on extraction as
    // parents of what they hold.
    expect(packed.filter(p => p !== 'build' && p !== 'docker')).toEqual(
      hashed.map(e => e.path),
    );
  });

  it('sends everything without a .dockerignore', async () => {
    fs.rmSync(path.join(dir, '.dockerignore'));
    const paths = await extract(packContext(dir, 'docker/Dockerfile'));
    expect(paths).toContain('node_modules/x/index.js');
    expect(paths).toContain('secrets/.env');
  });

  it('is lazy: nothing is read until the stream is consumed', async () => {
    const missing = path.join(dir, 'not-yet');
    const stream = packContext(missing);
    fs.mkdirSync(missing);
    fs.writeFileSync(path.join(missing, 'Dockerfile'), 'FROM scratch');
    expect(await extract(stream)).toEqual(['Dockerfile']);
  });

  it('reports a context that cannot be read as a stream error', async () => {
    await expect(extract(packContext(path.join(dir, 'nope')))).rejects.toThrow(
      'ENOENT',
    );
  });
});
