import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  type AuthorizePermissionRequest,
} from '@backstage/plugin-permission-common';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import { runnerPlugin } from '../../plugin';
import {
  exampleEntities,
  examplesDir,
} from '../../__testUtils__/exampleEntities';
import type { Server } from 'node:http';

/*
 * The whole runner plugin behind Backstage's MCP actions backend, on a real
 * test backend: the actions registry and actions service are the real ones
 * (tool calls go MCP endpoint → actions service → HTTP to the runner
 * plugin's /.backstage/actions). The catalog is the in-memory mock holding
 * the given entities; permissions follow `allow`; the auditor keeps every
 * event it is given.
 */

export const MCP_PATH = '/api/mcp-actions/v1';

export interface CapturedAudit {
  eventId: string;
  severityLevel?: string;
  meta?: Record<string, unknown>;
  /** Whether the event came with an HTTP request (routes) or not (actions). */
  withRequest: boolean;
  outcome?: 'success' | 'fail';
  error?: string;
}

export interface McpBackendOptions {
  entities: Entity[];
  config?: Record<string, unknown>;
  /** The decision for a permission name, the entity ref and the calling user. */
  allow(permission: string, entityRef: string, user: string): boolean;
}

function capturingAuditor(audits: CapturedAudit[]) {
  return mockServices.auditor.mock({
    createEvent: async (opts: any) => {
      const entry: CapturedAudit = {
        eventId: opts.eventId,
        severityLevel: opts.severityLevel,
        meta: opts.meta,
        withRequest: opts.request !== undefined,
      };
      audits.push(entry);
      return {
        success: async () => {
          entry.outcome = 'success';
        },
        fail: async ({ error }: { error: Error }) => {
          entry.outcome = 'fail';
          entry.error = `${error.name}: ${error.message}`;
        },
      };
    },
  });
}

/** The backend's HTTP server and what its auditor was given. */
export interface McpBackend {
  server: Server;
  audits: CapturedAudit[];
}

export async function startMcpBackend(
  options: McpBackendOptions,
): Promise<McpBackend> {
  const audits: CapturedAudit[] = [];
  const permissions = mockServices.permissions.mock({
    authorize: async (
      requests: AuthorizePermissionRequest[],
      { credentials }: { credentials: BackstageCredentials },
    ) => {
      const user =
        (credentials.principal as { userEntityRef?: string }).userEntityRef ??
        '';
      return requests.map(r => ({
        result: options.allow(
          r.permission.name,
          (r as { resourceRef?: string }).resourceRef ?? '',
          user,
        )
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      }));
    },
  });
  const { server } = await startTestBackend({
    features: [
      mcpActionsPlugin,
      runnerPlugin,
      mockServices.rootConfig.factory({
        data: {
          backend: { actions: { pluginSources: ['runner'] } },
          ...options.config,
        },
      }),
      catalogServiceMock.factory({ entities: options.entities }),
      permissions.factory,
      capturingAuditor(audits).factory,
    ],
  });
  return { server, audits };
}

export const OWNER = 'user:default/owner';
export const OUTSIDER = 'user:default/outsider';
const MCP_EVENTS = ['connection', 'tool-discovery', 'tool-execution'];

/**
 * The backend the MCP tests share: one copy of the hello-http example under
 * `name` (a name of its own, so no other suite's cleanup takes its
 * containers), its `dir:` source allowed; OWNER may do everything, anyone
 * else only read.
 */
export interface ExampleMcpBackend extends McpBackend {
  auditsOf(eventId: string): CapturedAudit[];
  runnerEventsSince(from: number): CapturedAudit[];
}

export async function startExampleMcpBackend(
  name: string,
): Promise<ExampleMcpBackend> {
  const hello = exampleEntities().find(e => e.metadata.name === 'hello-http')!;
  const backend = await startMcpBackend({
    entities: [{ ...hello, metadata: { ...hello.metadata, name } }],
    config: {
      runner: {
        docker: { imageCleanupPolicy: 'never' },
        sources: { allowedLocalRoots: [examplesDir()] },
      },
    },
    allow: (permission, _entityRef, user) =>
      user === OWNER || permission.endsWith('.read'),
  });
  return {
    ...backend,
    auditsOf: (eventId: string) =>
      backend.audits.filter(a => a.eventId === eventId),
    /** The runner's events after the first `from`, without the MCP backend's own. */
    runnerEventsSince: (from: number) =>
      backend.audits.slice(from).filter(a => !MCP_EVENTS.includes(a.eventId)),
  };
}

export interface ToolResult {
  isError?: boolean;
  content: Array<{ type: string; text: string }>;
  structuredContent?: any;
}

/**
 * An MCP client over Streamable HTTP as clients speak it: JSON-RPC POSTs that
 * accept JSON or an event stream, `initialize` first, the protocol version
 * header after. The server is stateless, so there is no session id.
 */
export function mcpClient(server: any, user = 'user:default/mock') {
  let nextId = 1;
  let protocolVersion: string | undefined;
  const token = mockCredentials.user.token(user);

  async function post(body: object) {
    const req = request(server)
      .post(MCP_PATH)
      .set('Authorization', `Bearer ${token}`)
      .set('Accept', 'application/json, text/event-stream')
      .set('Content-Type', 'application/json');
    if (protocolVersion) req.set('mcp-protocol-version', protocolVersion);
    return req.send(body);
  }

  async function rpc(method: string, params: object = {}): Promise<any> {
    const id = nextId++;
    const res = await post({ jsonrpc: '2.0', id, method, params });
    if (res.status !== 200) {
      throw new Error(`${method}: HTTP ${res.status} ${res.text}`);
    }
    // An event stream of JSON-RPC messages, or one JSON body.
    const messages = res.type.includes('event-stream')
      ? res.text
          .split('\n')
          .filter(line => line.startsWith('data:'))
          .map(line => JSON.parse(line.slice(5)))
      : [res.body];
    const reply = messages.find(m => m.id === id);
    if (!reply) throw new Error(`${method}: no reply in ${res.text}`);
    return reply;
  }

  return {
    rpc,
    async initialize() {
      const reply = await rpc('initialize', {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'runner-test', version: '1.0.0' },
      });
      protocolVersion = reply.result.protocolVersion;
      const initialized = await post({
        jsonrpc: '2.0',
        method: 'notifications/initialized',
      });
      if (initialized.status !== 202) {
        throw new Error(
          `notifications/initialized: HTTP ${initialized.status}`,
        );
      }
      return reply.result;
    },
    async listTools(): Promise<any[]> {
      const reply = await rpc('tools/list');
      if (reply.error) throw new Error(JSON.stringify(reply.error));
      return reply.result.tools;
    },
    async callTool(name: string, args: object): Promise<ToolResult> {
      const reply = await rpc('tools/call', { name, arguments: args });
      if (reply.error) throw new Error(JSON.stringify(reply.error));
      return reply.result;
    },
    /** A REST request as the same user, to compare a route with its action. */
    rest: (method: 'get' | 'post', path: string) =>
      request(server)
        [method](`/api/runner${path}`)
        .set('Authorization', `Bearer ${token}`),
  };
}
