import { runtimeError } from '@internal/plugin-runner-node';

/*
 * The parts of the registry HTTP API (distribution v2) the runtime needs
 * before a push: does the repository's tag already hold this image (its
 * manifest names the image's config digest, which is Docker's image id), and
 * what USER the image runs as (from the config blob). Basic and bearer-token
 * auth, as registries answer a 401.
 */

/** `runner.kubernetes.clusters[].registry`: where images go, and where nodes get them. */
export interface RegistryConfig {
  /** `host[:port]` the backend pushes to, e.g. `127.0.0.1:5001` or `registry.example.com`. */
  host: string;
  /** `host[:port]` the nodes pull from, when they see the registry under another name. Default `host`. */
  pullHost?: string;
  /** Repository prefix; an image is `<prefix>/<entity name>`. Default `backstage-runner`. */
  repositoryPrefix?: string;
  /** Plain HTTP. Default: true for loopback hosts only. */
  insecure?: boolean;
  credentials?: { username: string; password: string };
  /** A dockerconfigjson Secret in each namespace the nodes pull with. */
  pullSecret?: string;
}

const MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
].join(', ');

export interface RemoteManifest {
  /** The manifest's digest: what a pod pins the image by. */
  digest: string;
  /** The config blob's digest: the image id Docker gave it. */
  configDigest: string;
}

function isLoopback(host: string): boolean {
  return /^(127\.|localhost(:|$)|\[::1\])/.test(host);
}

export class RegistryClient {
  readonly #base: string;
  readonly #tokens = new Map<string, string>();

  constructor(
    readonly config: RegistryConfig,
    private readonly context: { cluster: string; timeoutMs: number },
  ) {
    const insecure = config.insecure ?? isLoopback(config.host);
    this.#base = `${insecure ? 'http' : 'https'}://${config.host}`;
  }

  /** The tag's manifest, or undefined when the registry has no such tag. */
  async manifest(
    repository: string,
    tag: string,
  ): Promise<RemoteManifest | undefined> {
    const response = await this.#get(
      `/v2/${repository}/manifests/${tag}`,
      MANIFEST_TYPES,
      repository,
    );
    if (response.status === 404) return undefined;
    const body = await response.json();
    const digest = response.headers.get('docker-content-digest');
    if (!digest || typeof body?.config?.digest !== 'string') {
      // A manifest list or an old schema: not what a push of ours writes.
      return undefined;
    }
    return { digest, configDigest: body.config.digest };
  }

  /** The USER of an image, from its config blob (`` when none is set). */
  async imageUser(repository: string, configDigest: string): Promise<string> {
    const response = await this.#get(
      `/v2/${repository}/blobs/${configDigest}`,
      '*/*',
      repository,
    );
    if (response.status === 404) return '';
    const config = await response.json();
    return config?.config?.User ?? '';
  }

  async #get(
    path: string,
    accept: string,
    repository: string,
  ): Promise<Response> {
    const scope = `repository:${repository}:pull`;
    let response = await this.#fetch(path, accept, this.#tokens.get(scope));
    if (response.status === 401) {
      const token = await this.#authorize(
        response.headers.get('www-authenticate') ?? '',
        scope,
      );
      response = await this.#fetch(path, accept, token);
    }
    if (response.status === 401 || response.status === 403) {
      throw this.#authFailed(`GET ${path}: HTTP ${response.status}`);
    }
    if (
      response.status >= 500 ||
      (response.status >= 300 && response.status !== 404)
    ) {
      throw runtimeError(
        'REGISTRY_UNREACHABLE',
        `GET ${this.#base}${path}: HTTP ${response.status} ${await response
          .text()
          .catch(() => '')}`.trim(),
        { values: this.#values() },
      );
    }
    return response;
  }

  async #fetch(
    path: string,
    accept: string,
    authorization?: string,
  ): Promise<Response> {
    try {
      return await fetch(`${this.#base}${path}`, {
        headers: {
          Accept: accept,
          ...(authorization ? { Authorization: authorization } : {}),
        },
        signal: AbortSignal.timeout(this.context.timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } })
        .cause;
      throw runtimeError(
        'REGISTRY_UNREACHABLE',
        `GET ${this.#base}${path}: ${cause?.code ?? ''} ${
          cause?.message ?? (error as Error).message
        }`.trim(),
        { values: this.#values() },
        { cause: error },
      );
    }
  }

  /** The Authorization header a 401's challenge asks for: Basic, or a bearer token from the realm. */
  async #authorize(challenge: string, scope: string): Promise<string> {
    const credentials = this.config.credentials;
    const basic = credentials
      ? `Basic ${Buffer.from(
          `${credentials.username}:${credentials.password}`,
        ).toString('base64')}`
      : undefined;
    if (!/^Bearer /i.test(challenge)) {
      if (!basic)
        throw this.#authFailed(
          'the registry asks for credentials and none are configured',
        );
      return basic;
    }
    const params = Object.fromEntries(
      [...challenge.matchAll(/(\w+)="([^"]*)"/g)].map(m => [m[1], m[2]]),
    );
    const url = new URL(params.realm);
    if (params.service) url.searchParams.set('service', params.service);
    url.searchParams.set('scope', params.scope ?? scope);
    const response = await fetch(url, {
      headers: basic ? { Authorization: basic } : {},
      signal: AbortSignal.timeout(this.context.timeoutMs),
    }).catch(error => {
      throw runtimeError(
        'REGISTRY_UNREACHABLE',
        `token from ${url.origin}: ${error}`,
        {
          values: this.#values(),
        },
      );
    });
    if (!response.ok)
      throw this.#authFailed(
        `token from ${url.origin}: HTTP ${response.status}`,
      );
    const body = await response.json();
    const token = `Bearer ${body.token ?? body.access_token}`;
    this.#tokens.set(scope, token);
    return token;
  }

  #authFailed(detail: string) {
    return runtimeError(
      'REGISTRY_AUTH_FAILED',
      `${this.config.host}: ${detail}`,
      {
        userMessage: `The registry ${this.config.host} of cluster ${this.context.cluster} refused the runner's credentials.`,
        remediation: `Set \`runner.kubernetes.clusters[].registry.credentials\` of cluster \`${
          this.context.cluster
        }\` to an account that may push and pull under \`${
          this.config.repositoryPrefix ?? 'backstage-runner'
        }/\` on ${this.config.host}.`,
      },
    );
  }

  #values() {
    return { registry: this.config.host, cluster: this.context.cluster };
  }
}
