import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Entity } from '@backstage/catalog-model';
import { mockServices } from '@backstage/backend-test-utils';
import { InputError, NotFoundError } from '@backstage/errors';
import { RunnerComponentSources } from './RunnerComponentSources';

function write(file: string, content = 'x') {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

function entity(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'hello-http', annotations },
    spec: {},
  };
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('RunnerComponentSources.fetch', () => {
  let base: string;
  let root: string; // the allowed root: <base>/examples
  let outside: string; // <base>/secret, not allowed
  let catalogFile: string;

  beforeEach(() => {
    base = fs.realpathSync(
      fs.mkdtempSync(path.join(os.tmpdir(), 'runner-sources-')),
    );
    root = path.join(base, 'examples');
    outside = path.join(base, 'secret');
    catalogFile = path.join(root, 'entities.yaml');
    write(catalogFile, 'kind: Component');
    write(path.join(root, 'sources/hello-http/Dockerfile'), 'FROM busybox');
    write(path.join(root, 'sources/hello-http/app/index.html'), 'hi');
    write(path.join(outside, 'passwd'), 'root:x');
  });
  afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

  const sources = (allowedLocalRoots = [root]) =>
    new RunnerComponentSources({
      urlReader: mockServices.urlReader.mock(),
      allowedLocalRoots,
    });

  const local = (target: string, location = `file:${catalogFile}`) =>
    entity({
      'backstage.io/source-location': `dir:${target}`,
      'backstage.io/managed-by-location': location,
    });

  it('resolves dir: relative to the directory of the catalog file', async () => {
    const tree = await sources().fetch(local('./sources/hello-http/'), '.');
    expect(tree.contextDir).toBe(path.join(root, 'sources/hello-http'));
    await tree.cleanup();
    // The developer's directory is never deleted.
    expect(fs.existsSync(path.join(tree.contextDir, 'Dockerfile'))).toBe(true);
  });

  it('falls back to managed-by-origin-location and accepts absolute dir: paths', async () => {
    const viaOrigin = entity({
      'backstage.io/source-location': 'dir:sources/hello-http',
      'backstage.io/managed-by-location':
        'url:https://example.com/catalog.yaml',
      'backstage.io/managed-by-origin-location': `file:${catalogFile}`,
    });
    expect((await sources().fetch(viaOrigin, 'app')).contextDir).toBe(
      path.join(root, 'sources/hello-http/app'),
    );
    const absolute = entity({
      'backstage.io/source-location': `dir:${path.join(
        root,
        'sources/hello-http',
      )}`,
    });
    expect((await sources().fetch(absolute, '.')).contextDir).toBe(
      path.join(root, 'sources/hello-http'),
    );
  });

  it('names backstage.io/source-location when it is missing or of another type', async () => {
    const missing = await failure(sources().fetch(entity({}), '.'));
    expect(missing).toBeInstanceOf(InputError);
    expect(missing.message).toContain(
      'component:default/hello-http has no backstage.io/source-location annotation',
    );
    const other = await failure(
      sources().fetch(
        entity({ 'backstage.io/source-location': 'github:org/repo' }),
        '.',
      ),
    );
    expect(other).toBeInstanceOf(InputError);
    expect(other.message).toContain("type 'github'; use url:");
  });

  it.each([
    ['../secret', 'an existing directory beside the root'],
    ['../../etc', 'a climb out of the tree'],
    ['../../../../../../../../etc', 'a climb to the filesystem root'],
    ['ABSOLUTE_OUTSIDE', 'an absolute path outside the roots'],
    [
      '../nowhere',
      'a missing path outside the roots: no hint whether it exists',
    ],
  ])(
    'refuses dir:%s (%s), naming runner.sources.allowedLocalRoots',
    async target => {
      const error = await failure(
        sources().fetch(
          local(target === 'ABSOLUTE_OUTSIDE' ? outside : target),
          '.',
        ),
      );
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toContain(
        'is not inside runner.sources.allowedLocalRoots',
      );
    },
  );

  it('refuses a symlink inside the root that points outside it', async () => {
    fs.symlinkSync(outside, path.join(root, 'sources/escape'));
    const error = await failure(
      sources().fetch(local('./sources/escape'), '.'),
    );
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain('runner.sources.allowedLocalRoots');
  });

  it('refuses every dir: source when no root is allowed', async () => {
    const error = await failure(
      sources([]).fetch(local('./sources/hello-http'), '.'),
    );
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain(
      'Local sources are disabled: backstage.io/source-location',
    );
    expect(error.message).toContain('runner.sources.allowedLocalRoots');
  });

  it('refuses a relative dir: without a file: location', async () => {
    const error = await failure(
      sources().fetch(
        local('./sources/hello-http', 'url:https://x/catalog.yaml'),
        '.',
      ),
    );
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain(
      'needs the entity to come from a file: location',
    );
  });

  it('answers NotFoundError for a missing directory inside a root', async () => {
    const error = await failure(sources().fetch(local('./sources/nope'), '.'));
    expect(error).toBeInstanceOf(NotFoundError);
  });

  it.each([
    ['../x', InputError, 'leaves the source root'],
    ['/etc', InputError, 'leaves the source root'],
    ['app/../../..', InputError, 'leaves the source root'],
    ['missing', NotFoundError, 'does not exist'],
    ['Dockerfile', InputError, 'is not a directory'],
  ])('refuses build context %s', async (context, type, message) => {
    const error = await failure(
      sources().fetch(local('./sources/hello-http'), context),
    );
    expect(error).toBeInstanceOf(type);
    expect(error.message).toContain('runner.backstage.io/build-context');
    expect(error.message).toContain(message);
  });

  it('refuses a build context that is a symlink out of the source root', async () => {
    fs.symlinkSync(
      path.join(root, 'sources'),
      path.join(root, 'sources/hello-http/up'),
    );
    const error = await failure(
      sources().fetch(local('./sources/hello-http'), 'up'),
    );
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain('runner.backstage.io/build-context');
    expect(error.message).toContain('symlink that leaves the source root');
  });

  describe('url: sources', () => {
    // A fake UrlReader tree: dir() writes a small tree, as the real
    // integrations unpack an archive into targetDir.
    const fakeTree = (files: Record<string, string>) => ({
      etag: 'etag-1',
      files: async () => [],
      archive: async () => {
        throw new Error('not used');
      },
      dir: async (options?: { targetDir?: string }) => {
        const targetDir = options!.targetDir!;
        for (const [name, content] of Object.entries(files)) {
          write(path.join(targetDir, name), content);
        }
        return targetDir;
      },
    });

    it('reads the tree into a fresh temporary directory that cleanup removes', async () => {
      const urlReader = mockServices.urlReader.mock({
        readTree: jest.fn(async () =>
          fakeTree({ 'svc/Dockerfile': 'FROM scratch' }),
        ),
      });
      const source = new RunnerComponentSources({
        urlReader,
        allowedLocalRoots: [],
        workingDirectory: base,
      });
      const url = 'https://github.com/acme/hello/tree/main/';
      const tree = await source.fetch(
        entity({ 'backstage.io/source-location': `url:${url}` }),
        'svc',
      );
      expect(urlReader.readTree).toHaveBeenCalledWith(url);
      expect(
        tree.contextDir.startsWith(path.join(base, 'backstage-runner-source-')),
      ).toBe(true);
      expect(
        fs.readFileSync(path.join(tree.contextDir, 'Dockerfile'), 'utf8'),
      ).toBe('FROM scratch');
      await tree.cleanup();
      expect(fs.existsSync(path.dirname(tree.contextDir))).toBe(false);
    });

    it('removes the temporary directory when the tree or the context fails', async () => {
      const notFound = new RunnerComponentSources({
        urlReader: mockServices.urlReader.mock({
          readTree: async () => {
            throw new NotFoundError('no such tree');
          },
        }),
        allowedLocalRoots: [],
        workingDirectory: base,
      });
      const src = entity({ 'backstage.io/source-location': 'url:https://x/y' });
      expect(await failure(notFound.fetch(src, '.'))).toBeInstanceOf(
        NotFoundError,
      );

      const escaping = new RunnerComponentSources({
        urlReader: mockServices.urlReader.mock({
          readTree: async () => fakeTree({ Dockerfile: 'FROM scratch' }) as any,
        }),
        allowedLocalRoots: [],
        workingDirectory: base,
      });
      const error = await failure(escaping.fetch(src, '../x'));
      expect(error.message).toContain('runner.backstage.io/build-context');
      expect(
        fs
          .readdirSync(base)
          .filter(n => n.startsWith('backstage-runner-source-')),
      ).toEqual([]);
    });
  });
});
