import Docker from 'dockerode';
import {
  OUTSIDER,
  OWNER,
  mcpClient,
  startExampleMcpBackend,
} from './__testUtils__/mcpBackend';

/*
 * The runner's actions through Backstage's MCP endpoint, as an AI client
 * calls them: JSON-RPC over HTTP (initialize, tools/list, tools/call) into
 * the real MCP actions backend, actions registry and runner plugin, with the
 * real Docker engine (DOCKER_HOST) building and running a copy of the
 * hello-http example. The owner may do everything; the outsider may only
 * read. Bad input and the read-only tools: mcp.reads.test.ts.
 */

jest.setTimeout(180_000);

const docker = new Docker();
const NAME = `mcp-hello-${Date.now().toString(36)}`;
const REF = `component:default/${NAME}`;

const RUNNER_TOOLS = [
  'runner.diff-gateway-yaml',
  'runner.get-instance-health',
  'runner.get-instance-logs',
  'runner.list-alerts',
  'runner.list-instances',
  'runner.start-instance',
  'runner.stop-instance',
  'runner.validate-gateway-yaml',
];

describe('runner actions through the MCP endpoint', () => {
  let backend: Awaited<ReturnType<typeof startExampleMcpBackend>>;
  beforeAll(async () => {
    backend = await startExampleMcpBackend(NAME);
  });

  afterAll(async () => {
    for (const c of await docker.listContainers({
      all: true,
      filters: { label: [`runner.backstage.io/entity-ref=${REF}`] },
    })) {
      await docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined);
    }
  });

  const auditsOf = (eventId: string) => backend.auditsOf(eventId);
  const runnerEventsSince = (from: number) => backend.runnerEventsSince(from);

  it('initializes and lists every runner tool with its hints and input schema', async () => {
    const client = mcpClient(backend.server, OWNER);
    const init = await client.initialize();
    expect(init.capabilities.tools).toBeDefined();
    expect(init.serverInfo.name).toBe('backstage');

    const tools = await client.listTools();
    const runner = tools.filter(t => t.name.startsWith('runner.'));
    expect(runner.map(t => t.name).sort()).toEqual(RUNNER_TOOLS);
    const byName = Object.fromEntries(runner.map(t => [t.name, t]));
    for (const name of RUNNER_TOOLS) {
      const readOnly = !/start|stop/.test(name);
      expect(byName[name].annotations).toMatchObject({
        readOnlyHint: readOnly,
      });
      expect(byName[name].description).toMatch(/Needs runner\.[a-z]+\.[a-z]+/);
    }
    expect(byName['runner.start-instance'].annotations.destructiveHint).toBe(
      false,
    );
    expect(byName['runner.stop-instance'].annotations.destructiveHint).toBe(
      true,
    );
    expect(byName['runner.start-instance'].inputSchema).toMatchObject({
      type: 'object',
      required: ['entityRef'],
      additionalProperties: false,
    });
    expect(
      byName['runner.get-instance-logs'].inputSchema.properties.tail,
    ).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 1000,
      default: 100,
    });
  });

  it('starts a real instance, reads its list, health and logs, and stops it, audited as the routes are', async () => {
    const client = mcpClient(backend.server, OWNER);
    await client.initialize();

    const started = await client.callTool('runner.start-instance', {
      entityRef: `Component:default/${NAME}`,
    });
    expect(started.isError).toBeFalsy();
    const { instance } = started.structuredContent;
    expect(instance).toMatchObject({
      entityRef: REF,
      state: 'pending',
      createdBy: OWNER,
    });
    expect(JSON.parse(started.content[0].text)).toEqual(
      started.structuredContent,
    );
    expect(auditsOf('instance-start').at(-1)).toMatchObject({
      meta: { entityRef: REF, actor: OWNER },
      severityLevel: 'medium',
      withRequest: false,
      outcome: 'success',
    });

    // Poll as a client would, through list-instances.
    let listed: any;
    const deadline = Date.now() + 150_000;
    for (;;) {
      const result = await client.callTool('runner.list-instances', {
        entityRef: REF,
      });
      expect(result.isError).toBeFalsy();
      listed = result.structuredContent.items.find(
        (i: any) => i.id === instance.id,
      );
      if (['running', 'failed'].includes(listed.state)) break;
      if (Date.now() > deadline) throw new Error(`still ${listed.state}`);
      await new Promise(r => setTimeout(r, 500));
    }
    expect(listed.failure).toBeUndefined();
    expect(listed.state).toBe('running');
    const container = await docker.getContainer(listed.containerId).inspect();
    expect(container.State.Running).toBe(true);
    const [port] = listed.ports;
    const served = await fetch(`http://127.0.0.1:${port.hostPort}/healthz`);
    expect((await served.text()).trim()).toBe('ok');

    // The same read through the route and the action: one permission, one audit event.
    const rest = await client.rest(
      'get',
      `/entities/component/default/${NAME}/instances`,
    );
    expect(rest.status).toBe(200);
    const [viaRoute, viaAction] = auditsOf('instance-read')
      .filter(a => (a.meta as any).queryType === 'list')
      .slice(-2)
      .reverse();
    expect(viaRoute).toMatchObject({ withRequest: true, outcome: 'success' });
    expect(viaAction).toMatchObject({ withRequest: false, outcome: 'success' });
    expect(viaAction.meta).toEqual({ ...viaRoute.meta, actor: OWNER });
    expect(viaAction.severityLevel).toBe(viaRoute.severityLevel);

    const health = await client.callTool('runner.get-instance-health', {
      instanceId: instance.id,
    });
    expect(health.isError).toBeFalsy();
    expect(health.structuredContent.health).toMatchObject({
      instanceId: instance.id,
      entityRef: REF,
      instanceState: 'running',
    });
    expect(['healthy', 'starting']).toContain(
      health.structuredContent.health.status,
    );
    expect(auditsOf('instance-read').at(-1)).toMatchObject({
      meta: { instanceId: instance.id, queryType: 'health', actor: OWNER },
      outcome: 'success',
    });

    const logs = await client.callTool('runner.get-instance-logs', {
      instanceId: instance.id,
      tail: 5,
    });
    expect(logs.isError).toBeFalsy();
    expect(logs.structuredContent).toMatchObject({
      instanceId: instance.id,
      stream: 'run',
      truncated: false,
    });
    expect(logs.structuredContent.lines.join('\n')).toContain(
      'hello-http: serving /www on :8080 (GREETING=hello)',
    );
    expect(logs.structuredContent.lines.length).toBeLessThanOrEqual(5);
    const build = await client.callTool('runner.get-instance-logs', {
      instanceId: instance.id,
      stream: 'build',
      tail: 1000,
    });
    expect(build.structuredContent.lines.length).toBeGreaterThan(0);
    expect(auditsOf('instance-read').at(-1)?.meta).toMatchObject({
      queryType: 'logs-build',
    });

    // The outsider may read but not stop.
    const outsider = mcpClient(backend.server, OUTSIDER);
    await outsider.initialize();
    const denied = await outsider.callTool('runner.stop-instance', {
      instanceId: instance.id,
    });
    expect(denied.isError).toBe(true);
    expect(denied.content[0].text).toBe(
      `NotAllowedError: runner.instance.update is not allowed on ${REF}`,
    );
    expect(auditsOf('instance-stop').at(-1)).toMatchObject({
      meta: { instanceId: instance.id, actor: OUTSIDER },
      outcome: 'fail',
      error: `NotAllowedError: runner.instance.update is not allowed on ${REF}`,
    });
    expect(
      (await docker.getContainer(listed.containerId).inspect()).State.Running,
    ).toBe(true);

    const stopped = await client.callTool('runner.stop-instance', {
      instanceId: instance.id,
    });
    expect(stopped.isError).toBeFalsy();
    expect(['stopping', 'stopped']).toContain(
      stopped.structuredContent.instance.state,
    );
    expect(auditsOf('instance-stop').at(-1)).toMatchObject({
      meta: { instanceId: instance.id, actor: OWNER },
      outcome: 'success',
    });
    const after = await docker
      .getContainer(listed.containerId)
      .inspect()
      .catch(() => undefined);
    expect(after?.State.Running ?? false).toBe(false);

    // A second stop is a conflict the client can read, not a crash.
    const again = await client.callTool('runner.stop-instance', {
      instanceId: instance.id,
    });
    expect(again.isError).toBe(true);
    expect(again.content[0].text).toMatch(
      /^ConflictError: Instance .* is already stopped$/,
    );
  });

  it('refuses a denied start with the permission named, audits the failure and creates nothing', async () => {
    const outsider = mcpClient(backend.server, OUTSIDER);
    await outsider.initialize();
    const before = await outsider.callTool('runner.list-instances', {
      entityRef: REF,
    });
    const audited = backend.audits.length;

    const denied = await outsider.callTool('runner.start-instance', {
      entityRef: REF,
    });
    expect(denied).toEqual({
      isError: true,
      content: [
        {
          type: 'text',
          text: `NotAllowedError: runner.instance.create is not allowed on ${REF}`,
        },
      ],
    });
    const runnerEvents = runnerEventsSince(audited);
    expect(runnerEvents).toEqual([
      {
        eventId: 'instance-start',
        severityLevel: 'medium',
        meta: { entityRef: REF, actor: OUTSIDER },
        withRequest: false,
        outcome: 'fail',
        error: `NotAllowedError: runner.instance.create is not allowed on ${REF}`,
      },
    ]);
    const after = await outsider.callTool('runner.list-instances', {
      entityRef: REF,
    });
    expect(after.structuredContent.items).toEqual(
      before.structuredContent.items,
    );
  });
});
