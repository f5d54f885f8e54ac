import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

/*
 * Starts the real backend, as `yarn start` does, with the repository's
 * app-config.yaml and the examples, and fails on any plugin start-up error.
 * (A backend left on mixed Backstage release lines fails exactly here, e.g.
 * "httpRouter.addWebSocketHandler is not a function".)
 */

const backstageCli = require.resolve('@backstage/cli/bin/backstage-cli');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitFor(url: string, deadline: number, exited: () => boolean) {
  while (Date.now() < deadline && !exited()) {
    try {
      const res = await fetch(url);
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise(r => setTimeout(r, 1000));
  }
  return false;
}

const ERROR_LINE = /\berror\b|startup failed|failed to start/i;

describe('backend start-up', () => {
  it('starts every plugin with the example config and no start-up error', async () => {
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, [backstageCli, 'package', 'start'], {
      cwd: path.resolve(__dirname, '..'),
      env: {
        ...process.env,
        FORCE_COLOR: '0',
        NODE_ENV: 'development',
        APP_CONFIG_backend_listen_port: String(port),
        APP_CONFIG_backend_baseUrl: baseUrl,
      },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let exitCode: number | null = null;
    child.stdout.on('data', d => (output += d));
    child.stderr.on('data', d => (output += d));
    child.on('exit', code => (exitCode = code));

    try {
      const ready = await waitFor(
        `${baseUrl}/.backstage/health/v1/readiness`,
        Date.now() + 180_000,
        // In development mode a failed start-up logs and keeps watching, so
        // stop waiting at the first error line rather than at the deadline.
        () => exitCode !== null || ERROR_LINE.test(output),
      );
      expect({
        ready,
        exitCode,
        tail: ready ? '' : output.slice(-4000),
      }).toEqual({
        ready: true,
        exitCode: null,
        tail: '',
      });

      const health = await (await fetch(`${baseUrl}/api/runner/health`)).json();
      expect(health.docker.reachable).toBe(true);

      // Let the catalog process the examples so their errors would show too.
      await new Promise(r => setTimeout(r, 3000));
      const errorLines = output
        .split('\n')
        .filter(line => ERROR_LINE.test(line));
      expect(errorLines).toEqual([]);
      expect(output).toContain('Docker engine');
    } finally {
      if (exitCode === null && child.pid) {
        process.kill(-child.pid, 'SIGTERM');
        await new Promise(r => child.once('exit', r));
      }
    }
  }, 240_000);
});
