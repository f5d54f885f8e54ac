import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { readSourcesConfig } from './sourcesConfig';

describe('readSourcesConfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.realpathSync(
      fs.mkdtempSync(path.join(os.tmpdir(), 'runner-roots-')),
    );
    fs.mkdirSync(path.join(dir, 'examples'));
    fs.symlinkSync(path.join(dir, 'examples'), path.join(dir, 'link'));
    fs.writeFileSync(path.join(dir, 'file.txt'), 'x');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const read = (allowedLocalRoots: unknown) =>
    readSourcesConfig(new ConfigReader({ allowedLocalRoots } as any), dir);

  it('allows no local directory by default', () => {
    expect(readSourcesConfig(undefined, dir)).toEqual({
      allowedLocalRoots: [],
    });
  });

  it('resolves relative roots against the working directory and realpaths them', () => {
    expect(read(['examples', './link', path.join(dir, 'examples')])).toEqual({
      allowedLocalRoots: [
        path.join(dir, 'examples'),
        path.join(dir, 'examples'),
        path.join(dir, 'examples'),
      ],
    });
  });

  it.each([
    [
      ['missing'],
      "'runner.sources.allowedLocalRoots[0]': 'missing' (resolved to",
    ],
    [
      ['examples', 'file.txt'],
      "'runner.sources.allowedLocalRoots[1]': 'file.txt'",
    ],
    [
      ['/'],
      "'runner.sources.allowedLocalRoots[0]': '/' is the filesystem root",
    ],
    [[''], "'runner.sources.allowedLocalRoots[0]': expected a directory path"],
    ['examples', "'runner.sources.allowedLocalRoots': expected a list"],
  ])('rejects %j', (roots, message) => {
    expect(() => read(roots)).toThrow(message);
  });
});
