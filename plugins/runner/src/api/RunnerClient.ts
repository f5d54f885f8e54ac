import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { parseEntityRef } from '@backstage/catalog-model';
import type {
  InstanceEvent,
  RunnerHealthReport,
  RunnerInstance,
} from '@internal/plugin-runner-common';
import type { RunnerApi } from './RunnerApi';
import type {
  EffectiveConfig,
  FollowLogsOptions,
  GetLogsOptions,
  LogTail,
} from './types';
import { createLineSplitter } from './lineSplitter';

function isAbort(error: unknown, signal?: AbortSignal): boolean {
  return (
    Boolean(signal?.aborted) ||
    (error instanceof Error && error.name === 'AbortError')
  );
}

/**
 * {@link RunnerApi} over HTTP against the `runner` backend plugin.
 *
 * @public
 */
export class RunnerClient implements RunnerApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getHealth(): Promise<RunnerHealthReport> {
    return this.json<RunnerHealthReport>('/health');
  }

  async listInstances(entityRef: string): Promise<RunnerInstance[]> {
    const body = await this.json<{ items: RunnerInstance[] }>(
      `${entityPath(entityRef)}/instances`,
    );
    return body.items;
  }

  async startInstance(entityRef: string): Promise<RunnerInstance> {
    return this.json<RunnerInstance>(`${entityPath(entityRef)}/instances`, {
      method: 'POST',
    });
  }

  async stopInstance(id: string): Promise<RunnerInstance> {
    return this.json<RunnerInstance>(`${instancePath(id)}/stop`, {
      method: 'POST',
    });
  }

  async restartInstance(id: string): Promise<RunnerInstance> {
    return this.json<RunnerInstance>(`${instancePath(id)}/restart`, {
      method: 'POST',
    });
  }

  async removeInstance(id: string): Promise<void> {
    await this.request(instancePath(id), { method: 'DELETE' });
  }

  async getInstanceEvents(id: string): Promise<InstanceEvent[]> {
    const body = await this.json<{ items: InstanceEvent[] }>(
      `${instancePath(id)}/events`,
    );
    return body.items;
  }

  async getEffectiveConfig(entityRef: string): Promise<EffectiveConfig> {
    return this.json<EffectiveConfig>(
      `${entityPath(entityRef)}/effective-config`,
    );
  }

  async getLogs(id: string, options: GetLogsOptions): Promise<string> {
    const response = await this.request(
      logsPath(id, options.stream, options.tail),
    );
    return response.text();
  }

  async followLogs(id: string, options: FollowLogsOptions): Promise<void> {
    const { signal, onLine } = options;
    const splitter = createLineSplitter(onLine);
    let response: Response;
    try {
      response = await this.request(
        logsPath(id, options.stream, options.tail, true),
        { signal },
      );
    } catch (error) {
      if (isAbort(error, signal)) return;
      throw error;
    }

    // Some fetch implementations have no streaming body; the whole text is
    // still better than nothing.
    if (!response.body) {
      splitter.push(await response.text());
      splitter.flush();
      return;
    }

    const reader = response.body.getReader();
    // Not every fetch stops reading the body when the request is aborted;
    // cancelling the reader makes sure the stream (and the socket) ends.
    const cancel = () => {
      reader.cancel().catch(() => undefined);
    };
    signal?.addEventListener('abort', cancel);
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done || signal?.aborted) break;
        splitter.push(decoder.decode(value, { stream: true }));
      }
      if (!signal?.aborted) {
        splitter.push(decoder.decode());
        splitter.flush();
      }
    } catch (error) {
      if (!isAbort(error, signal)) throw error;
    } finally {
      signal?.removeEventListener('abort', cancel);
      reader.releaseLock();
    }
  }

  private async json<T>(path: string, init?: RequestInit): Promise<T> {
    const response = await this.request(path, init);
    return (await response.json()) as T;
  }

  private async request(path: string, init?: RequestInit): Promise<Response> {
    // Resolved per call: discovery may move the backend between requests.
    const baseUrl = await this.discoveryApi.getBaseUrl('runner');
    // fetchApi, not global fetch, so that the user's Backstage token is sent.
    const url = `${baseUrl}${path}`;
    // A plain GET passes no init at all, so that fetch mocks and middleware
    // see exactly what a bare fetch(url) would.
    const response = init
      ? await this.fetchApi.fetch(url, init)
      : await this.fetchApi.fetch(url);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }
}

function entityPath(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/entities/${[kind.toLocaleLowerCase('en-US'), namespace, name]
    .map(encodeURIComponent)
    .join('/')}`;
}

function instancePath(id: string): string {
  return `/instances/${encodeURIComponent(id)}`;
}

function logsPath(
  id: string,
  stream: string,
  tail?: LogTail,
  follow?: boolean,
): string {
  const query = new URLSearchParams({ stream });
  if (tail !== undefined) query.set('tail', String(tail));
  if (follow) query.set('follow', 'true');
  return `${instancePath(id)}/logs?${query}`;
}
