import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

/*
 * `POST …?dryRun=All` to the real API server, with the body exactly as
 * given. Not through client-node: its typed models would reshape a mutated
 * object (drop or convert fields of the wrong type) before it is sent, and
 * the point is to ask the API server about these very bytes.
 */

export interface DryRunAnswer {
  status: number;
  accepted: boolean;
  /** Status.reason on refusal (Invalid, BadRequest, …). */
  reason?: string;
  message: string;
  /** `Warning` headers, e.g. unknown fields the server pruned. */
  warnings: string[];
}

export interface ResourcePath {
  apiVersion: string;
  plural: string;
}

export class DryRunClient {
  readonly #agent: https.Agent;
  readonly #server: URL;
  readonly #headers: Record<string, string>;

  private constructor(
    server: URL,
    agent: https.Agent,
    headers: Record<string, string>,
  ) {
    this.#server = server;
    this.#agent = agent;
    this.#headers = headers;
  }

  static async fromKubeConfig(
    kubeConfig: KubeConfig,
    maxSockets = 4,
  ): Promise<DryRunClient> {
    const cluster = kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster');
    const options: https.RequestOptions = {};
    await kubeConfig.applyToHTTPSOptions(options);
    const agent = new https.Agent({
      keepAlive: true,
      maxSockets,
      ca: options.ca,
      cert: options.cert,
      key: options.key,
    });
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      if (typeof value === 'string') headers[name] = value;
    }
    return new DryRunClient(new URL(cluster.server), agent, headers);
  }

  /** Dry-run create of `body` in `namespace`; never throws for an API server answer. */
  create(
    resource: ResourcePath,
    namespace: string,
    body: unknown,
  ): Promise<DryRunAnswer> {
    const prefix = resource.apiVersion.includes('/')
      ? `/apis/${resource.apiVersion}`
      : `/api/${resource.apiVersion}`;
    const url = new URL(
      `${prefix}/namespaces/${namespace}/${resource.plural}?dryRun=All`,
      this.#server,
    );
    const payload = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const request = https.request(
        url,
        {
          method: 'POST',
          agent: this.#agent,
          headers: {
            ...this.#headers,
            'Content-Type': 'application/json',
            Accept: 'application/json',
            'Content-Length': Buffer.byteLength(payload),
          },
          timeout: 30_000,
        },
        response => {
          const chunks: Buffer[] = [];
          response.on('data', chunk => chunks.push(chunk));
          response.on('end', () => {
            const status = response.statusCode ?? 0;
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: { reason?: string; message?: string } = {};
            try {
              parsed = JSON.parse(text);
            } catch {
              parsed = { message: text };
            }
            const warning = response.headers.warning;
            resolve({
              status,
              accepted: status >= 200 && status < 300,
              reason: status >= 300 ? parsed.reason : undefined,
              message: status >= 300 ? parsed.message ?? text : '',
              warnings: [warning ?? []]
                .flat()
                .map(w => w.replace(/^299 - "?|"$/g, '').replace(/\\"/g, '"')),
            });
          });
          response.on('error', reject);
        },
      );
      request.on('timeout', () =>
        request.destroy(new Error(`dry-run to ${url.pathname} timed out`)),
      );
      request.on('error', reject);
      request.end(payload);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}
