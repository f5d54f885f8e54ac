import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';
import {
  KubernetesApiError,
  toKubernetesApiError,
} from '../../../kubernetes/KubernetesApiError';

/*
 * The runtime's calls to one API server as plain JSON over HTTPS, the way
 * kubectl sends them: objects go out and come back untouched (client-node's
 * typed models would drop or rename fields), merge patches and the pod log
 * and node proxy subresources are one request each. Credentials come from
 * the KubeConfig at every request (tokens may rotate); connections are kept
 * alive. Every failure is a KubernetesApiError.
 */

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Default `application/json`; `application/merge-patch+json` for PATCH. */
  contentType?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export class KubeHttp {
  readonly server: string;
  readonly #kubeConfig: KubeConfig;
  readonly #timeoutMs: number;
  #agent: https.Agent | undefined;

  constructor(kubeConfig: KubeConfig, options: { timeoutMs: number }) {
    const cluster = kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster');
    this.server = cluster.server.replace(/\/$/, '');
    this.#kubeConfig = kubeConfig;
    this.#timeoutMs = options.timeoutMs;
  }

  /** A JSON request; the parsed answer (undefined for an empty body). */
  async json<T = any>(
    method: Method,
    path: string,
    options: RequestOptions = {},
  ): Promise<T> {
    const response = await this.#send(method, path, options);
    const text = await readAll(response);
    if ((response.statusCode ?? 0) >= 300) {
      throw toKubernetesApiError(
        { code: response.statusCode, body: text },
        this.#context(),
      );
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** The object, or undefined on 404. */
  async getOrUndefined<T = any>(path: string): Promise<T | undefined> {
    try {
      return await this.json<T>('GET', path);
    } catch (error) {
      if (error instanceof KubernetesApiError && error.code === 404) {
        return undefined;
      }
      throw error;
    }
  }

  /**
   * A streamed GET (pod logs): resolves with the response once its status
   * is 200; abort `signal` to end it. No overall timeout: a followed log
   * stays open as long as the container runs.
   */
  async stream(
    path: string,
    options: Omit<RequestOptions, 'body' | 'contentType'> = {},
  ): Promise<IncomingMessage> {
    const response = await this.#send('GET', path, {
      ...options,
      timeoutMs: 0,
    });
    if ((response.statusCode ?? 0) >= 300) {
      const text = await readAll(response);
      throw toKubernetesApiError(
        { code: response.statusCode, body: text },
        this.#context(),
      );
    }
    return response;
  }

  #context() {
    return { url: this.server, timeoutMs: this.#timeoutMs };
  }

  async #send(
    method: Method,
    path: string,
    options: RequestOptions,
  ): Promise<IncomingMessage> {
    const url = new URL(this.server + path);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const body =
      options.body === undefined ? undefined : JSON.stringify(options.body);
    const request: https.RequestOptions = {
      method,
      headers: {
        Accept: 'application/json',
        ...(body !== undefined
          ? {
              'Content-Type': options.contentType ?? 'application/json',
              'Content-Length': Buffer.byteLength(body),
            }
          : {}),
      },
    };
    await this.#kubeConfig.applyToHTTPSOptions(request);
    request.agent = this.#keepAliveAgent(request);
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    const signals = [
      options.signal,
      timeoutMs ? AbortSignal.timeout(timeoutMs) : undefined,
    ].filter((s): s is AbortSignal => s !== undefined);
    if (signals.length) request.signal = AbortSignal.any(signals);
    return new Promise((resolve, reject) => {
      const req = https.request(url, request, resolve);
      req.on('error', error =>
        reject(toKubernetesApiError(error, this.#context())),
      );
      req.end(body);
    });
  }

  /** One keep-alive agent with the TLS material applyToHTTPSOptions found (it makes a new agent per call). */
  #keepAliveAgent(request: https.RequestOptions): https.Agent {
    this.#agent ??= new https.Agent({
      keepAlive: true,
      ca: request.ca,
      cert: request.cert,
      key: request.key,
      rejectUnauthorized: request.rejectUnauthorized,
      servername: request.servername,
    });
    return this.#agent;
  }

  close(): void {
    this.#agent?.destroy();
  }
}

async function readAll(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The collection path of a kind in a namespace: `/apis/apps/v1/namespaces/ns/deployments`. */
export function collectionPath(
  apiVersion: string,
  plural: string,
  namespace: string,
): string {
  const base = apiVersion.includes('/')
    ? `/apis/${apiVersion}`
    : `/api/${apiVersion}`;
  return `${base}/namespaces/${encodeURIComponent(namespace)}/${plural}`;
}
