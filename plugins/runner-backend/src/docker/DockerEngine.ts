import Docker from 'dockerode';
import type { DockerHealth } from '@internal/plugin-runner-common';
import type { DockerConnectionConfig } from '../config/RunnerConfig';

const DEFAULT_SOCKET = '/var/run/docker.sock';

/** dockerode options for an endpoint string such as `unix:///run/docker.sock`. */
export function dockerOptionsFor(
  endpoint: string,
  timeoutMs: number,
): Docker.DockerOptions {
  const url = new URL(endpoint);
  switch (url.protocol) {
    case 'unix:':
      return { socketPath: url.pathname, timeout: timeoutMs };
    case 'npipe:':
      return {
        socketPath: endpoint.slice('npipe://'.length),
        timeout: timeoutMs,
      };
    case 'tcp:':
    case 'http:':
      return {
        host: url.hostname,
        port: Number(url.port || 2375),
        protocol: 'http',
        timeout: timeoutMs,
      };
    case 'https:':
      return {
        host: url.hostname,
        port: Number(url.port || 2376),
        protocol: 'https',
        timeout: timeoutMs,
      };
    case 'ssh:':
      return {
        host: url.hostname,
        port: Number(url.port || 22),
        username: url.username || undefined,
        protocol: 'ssh',
        timeout: timeoutMs,
      };
    default:
      throw new Error(`Unsupported Docker endpoint '${endpoint}'`);
  }
}

/** Words a user can act on for the ways a Docker connection fails. */
export function describeDockerConnectionError(
  error: unknown,
  endpoint: string,
  timeoutMs: number,
): string {
  const err = error as NodeJS.ErrnoException & { statusCode?: number };
  switch (err?.code) {
    case 'ENOENT':
      return `no Docker socket at ${endpoint}; start the Docker engine or set runner.docker.host / DOCKER_HOST`;
    case 'ECONNREFUSED':
      return `connection refused at ${endpoint}; the Docker engine is not running there`;
    case 'EACCES':
      return `permission denied on ${endpoint}; the backend's user may not use this Docker socket`;
    case 'ETIMEDOUT':
    case 'ESOCKETTIMEDOUT':
      return `the Docker engine at ${endpoint} did not answer within ${timeoutMs} ms`;
    default:
      break;
  }
  if (/timeout/i.test(err?.message ?? '')) {
    return `the Docker engine at ${endpoint} did not answer within ${timeoutMs} ms`;
  }
  if (err?.statusCode) {
    return `the Docker engine at ${endpoint} answered HTTP ${err.statusCode}: ${err.message}`;
  }
  return `cannot reach the Docker engine at ${endpoint}: ${
    err?.message ?? String(error)
  }`;
}

/**
 * The single way the plugin talks to a Docker engine. Nothing outside
 * `docker/` imports dockerode.
 */
export class DockerEngine {
  readonly endpoint: string;
  private readonly docker: Docker;
  private readonly timeoutMs: number;

  constructor(
    config: DockerConnectionConfig,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.endpoint =
      config.host ?? env.DOCKER_HOST ?? `unix://${DEFAULT_SOCKET}`;
    this.timeoutMs = config.connectionTimeoutMs;
    this.docker = new Docker(dockerOptionsFor(this.endpoint, this.timeoutMs));
  }

  /** Whether the engine answers, its version, or why it does not answer. */
  async health(): Promise<DockerHealth> {
    try {
      const version = await this.docker.version();
      return {
        reachable: true,
        version: version.Version,
        endpoint: this.endpoint,
      };
    } catch (error) {
      return {
        reachable: false,
        endpoint: this.endpoint,
        reason: describeDockerConnectionError(
          error,
          this.endpoint,
          this.timeoutMs,
        ),
      };
    }
  }
}
