/*
 * Real messages, verbatim: git 2.39.5 captured against a local HTTP server
 * (and GitHub's own wording where no local server can produce it),
 * Backstage's UrlReaders and config readers as installed, node-fetch 2.7.
 */
import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { ConfigReader } from '@backstage/config';
import { isCategorizedError } from '@internal/plugin-runner-common';
import { readRunnerConfig } from '../config/RunnerConfig';
import { classifyError } from './classifyError';
import { fetchError, type Row } from './__testUtils__/errorShapes';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

const GIT = 'git 2.39.5 against a local HTTP server';

const rows: Row[] = [
  // git clone http://127.0.0.1:18766/nope.git (server answers 404)
  {
    from: `${GIT}: 404`,
    error: new Error(
      "Cloning into '/tmp/cap/g1'...\nfatal: repository 'http://127.0.0.1:18766/nope.git/' not found",
    ),
    op: 'source',
    code: 'SOURCE_NOT_FOUND',
  },
  // git clone /tmp/cap/doesnotexist
  {
    from: 'git 2.39.5: local path',
    error: new Error(
      "fatal: repository '/tmp/cap/doesnotexist' does not exist",
    ),
    op: 'source',
    code: 'SOURCE_NOT_FOUND',
  },
  // GitHub over HTTPS for a missing or hidden repository (GitHub's own wording)
  {
    from: 'GitHub: missing repository',
    error: new Error(
      "remote: Repository not found.\nfatal: repository 'https://github.com/org/missing.git/' not found",
    ),
    op: 'source',
    code: 'SOURCE_NOT_FOUND',
  },
  // git clone http://127.0.0.1:18766/private.git with GIT_TERMINAL_PROMPT=0 (server answers 401)
  {
    from: `${GIT}: 401, no credentials`,
    error: new Error(
      "Cloning into '/tmp/cap/g2'...\nfatal: could not read Username for 'http://127.0.0.1:18766': terminal prompts disabled",
    ),
    op: 'source',
    code: 'SOURCE_AUTH_FAILED',
  },
  // git clone http://runner:<password>@127.0.0.1:18766/private.git (server answers 401)
  {
    from: `${GIT}: 401, wrong credentials`,
    error: new Error(
      "Cloning into '/tmp/cap/g3'...\nfatal: Authentication failed for 'http://127.0.0.1:18766/private.git/'",
    ),
    op: 'source',
    code: 'SOURCE_AUTH_FAILED',
  },
  // git clone http://127.0.0.1:18766/forbidden.git (server answers 403)
  {
    from: `${GIT}: 403`,
    error: new Error(
      "Cloning into '/tmp/cap/g4'...\nfatal: unable to access 'http://127.0.0.1:18766/forbidden.git/': The requested URL returned error: 403",
    ),
    op: 'source',
    code: 'SOURCE_AUTH_FAILED',
  },
  // GitHub over ssh without a usable key (GitHub's own wording)
  {
    from: 'GitHub: ssh key refused',
    error: new Error(
      'git@github.com: Permission denied (publickey).\r\nfatal: Could not read from remote repository.\n\nPlease make sure you have the correct access rights\nand the repository exists.',
    ),
    op: 'source',
    code: 'SOURCE_AUTH_FAILED',
  },
  // git clone https://github.invalid/org/app.git
  {
    from: 'git 2.39.5: DNS',
    error: new Error(
      "Cloning into '/tmp/cap/g5'...\nfatal: unable to access 'https://github.invalid/org/app.git/': Could not resolve host: github.invalid",
    ),
    op: 'source',
    code: 'SOURCE_NETWORK',
  },
  // git clone http://127.0.0.1:1/app.git
  {
    from: 'git 2.39.5: refused',
    error: new Error(
      "Cloning into '/tmp/cap/g6'...\nfatal: unable to access 'http://127.0.0.1:1/app.git/': Failed to connect to 127.0.0.1 port 1 after 0 ms: Couldn't connect to server",
    ),
    op: 'source',
    code: 'SOURCE_NETWORK',
  },
  // git clone ssh://git@127.0.0.1:1/org/app.git: the network, not a missing repository
  {
    from: 'git 2.39.5: ssh refused',
    error: new Error(
      "Cloning into '/tmp/cap/g8'...\nssh: connect to host 127.0.0.1 port 1: Connection refused\nfatal: Could not read from remote repository.\n\nPlease make sure you have the correct access rights\nand the repository exists.",
    ),
    op: 'source',
    code: 'SOURCE_NETWORK',
  },
  // @backstage/backend-defaults 0.19 GithubUrlReader.fetchResponse
  {
    from: 'GithubUrlReader: 404',
    error: new NotFoundError(
      'Request failed for https://api.github.com/repos/org/missing, 404 Not Found',
    ),
    code: 'SOURCE_NOT_FOUND',
  },
  {
    from: 'GithubUrlReader: 401',
    error: new Error(
      'Request failed for https://api.github.com/repos/org/private, 401 Unauthorized',
    ),
    op: 'source',
    code: 'SOURCE_AUTH_FAILED',
  },
  {
    from: 'GithubUrlReader: rate limit',
    error: new Error(
      'Request failed for https://api.github.com/repos/org/app, 403 Forbidden (rate limit exceeded)',
    ),
    op: 'source',
    code: 'SOURCE_NETWORK',
  },
  // @backstage/backend-defaults 0.19 FetchUrlReader.read
  {
    from: 'FetchUrlReader: 404',
    error: new NotFoundError(
      'could not read https://example.com/app/catalog-info.yaml, 404 Not Found',
    ),
    op: 'source',
    code: 'SOURCE_NOT_FOUND',
  },
  // @backstage/backend-defaults 0.19 UrlReaderPredicateMux
  {
    from: 'UrlReaderPredicateMux',
    error: new NotAllowedError(
      "Reading from 'https://example.com/app' is not allowed. You may need to configure an integration for the target host, or add it to the configured list of allowed hosts at 'backend.reading.allow'",
    ),
    op: 'source',
    code: 'SOURCE_NOT_ALLOWED',
  },
  // node-fetch 2.7 fetch('https://github.invalid/org/app')
  {
    from: 'node-fetch: DNS',
    error: fetchError(
      'request to https://github.invalid/org/app failed, reason: getaddrinfo ENOTFOUND github.invalid',
      'ENOTFOUND',
    ),
    op: 'source',
    code: 'SOURCE_NETWORK',
  },
  // RunnerConfig, the runner's own validation
  {
    from: 'readRunnerConfig',
    error: thrown(() =>
      readRunnerConfig(
        new ConfigReader({ runner: { docker: { host: 'localhost:2375' } } }),
      ),
    ),
    code: 'CONFIG_INVALID',
    says: 'runner.docker.host',
  },
  // @backstage/config ConfigReader, wrong type
  {
    from: 'ConfigReader',
    error: thrown(() =>
      new ConfigReader(
        { runner: { docker: { host: 5 } } },
        'app-config.yaml',
      ).getString('runner.docker.host'),
    ),
    code: 'CONFIG_INVALID',
    says: "'runner.docker.host'",
  },

  // @backstage/errors, thrown by routes and services
  {
    from: '@backstage/errors NotAllowedError',
    error: new NotAllowedError(
      'runner.instance.create is not allowed for user:default/guest on component:default/hello-http',
    ),
    op: 'request',
    code: 'PERMISSION_DENIED',
  },
  {
    from: '@backstage/errors AuthenticationError',
    error: new AuthenticationError('Missing credentials'),
    op: 'request',
    code: 'NOT_AUTHENTICATED',
  },
  {
    from: '@backstage/errors InputError',
    error: new InputError(
      "Invalid port '80800' in runner.backstage.io/ports: ports are 1-65535",
    ),
    op: 'request',
    code: 'INVALID_INPUT',
    says: '80800',
  },
  {
    from: '@backstage/errors NotFoundError',
    error: new NotFoundError('No entity component:default/nope'),
    op: 'request',
    code: 'NOT_FOUND',
  },
  {
    from: '@backstage/errors NotFoundError while reading source',
    error: new NotFoundError('dir:./missing does not exist'),
    op: 'source',
    code: 'SOURCE_NOT_FOUND',
  },
  {
    from: '@backstage/errors ConflictError',
    error: new ConflictError(
      'component:default/hello-http already has 1 active instance (runner.components.hello-http.docker.maxInstancesPerEntity)',
    ),
    op: 'request',
    code: 'REQUEST_CONFLICT',
  },
];

describe('classifyError: sources, config and Backstage errors', () => {
  it.each(rows)('$code ← $from', ({ error, op, code, says }) => {
    const result = classifyError(error, { operation: op, cluster: 'dev' });
    expect(result.code).toBe(code);
    expect(isCategorizedError(result)).toBe(true);
    expect(result.userMessage).toContain(says ?? '');
  });
});
