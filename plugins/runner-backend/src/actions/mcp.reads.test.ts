import {
  OUTSIDER,
  OWNER,
  mcpClient,
  startExampleMcpBackend,
} from './__testUtils__/mcpBackend';

/*
 * The runner's tools through the MCP endpoint when the input is bad (refused
 * by the tool's schema, naming the field and the fix, before the runner sees
 * it) and the read-only tools that need no container: alerts, and gateway
 * YAML validated and diffed without a cluster.
 */

jest.setTimeout(60_000);

const NAME = `mcp-reads-${Date.now().toString(36)}`;
const REF = `component:default/${NAME}`;

const routeYaml = (hostname: string) => `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web
  namespace: runner-examples
spec:
  parentRefs:
    - name: eg
      namespace: envoy-gateway-system
  hostnames: ['${hostname}']
  rules:
    - backendRefs:
        - name: web
          port: 8080
`;

describe('runner tools through the MCP endpoint: input and reads', () => {
  let backend: Awaited<ReturnType<typeof startExampleMcpBackend>>;
  beforeAll(async () => {
    backend = await startExampleMcpBackend(NAME);
  });

  const auditsOf = (eventId: string) => backend.auditsOf(eventId);
  const runnerEventsSince = (from: number) => backend.runnerEventsSince(from);

  it('answers bad input with the field and the fix, before anything runs', async () => {
    const client = mcpClient(backend.server, OWNER);
    await client.initialize();
    const audited = backend.audits.length;
    const cases: Array<[string, object, RegExp]> = [
      [
        'runner.start-instance',
        { entityRef: 'hello http' },
        /entityRef must be a catalog entity ref such as component:default\/hello-http/,
      ],
      ['runner.start-instance', {}, /entityRef is required/],
      [
        'runner.start-instance',
        { entityRef: REF, replicas: 3 },
        /Unrecognized key\(s\) in object: 'replicas'/,
      ],
      [
        'runner.stop-instance',
        { instanceId: '42' },
        /instanceId must be an instance id \(a UUID from list-instances\)/,
      ],
      [
        'runner.get-instance-logs',
        { instanceId: '00000000-0000-4000-8000-000000000000', tail: 5000 },
        /tail must be a whole number from 1 to 1000/,
      ],
      [
        'runner.get-instance-logs',
        {
          instanceId: '00000000-0000-4000-8000-000000000000',
          stream: 'stderr',
        },
        /stream must be run or build/,
      ],
      [
        'runner.list-alerts',
        { entityRef: REF, state: 'closed' },
        /state must be open, resolved or all/,
      ],
      [
        'runner.validate-gateway-yaml',
        { entityRef: REF, yaml: '' },
        /yaml must not be empty/,
      ],
    ];
    for (const [tool, args, message] of cases) {
      const result = await client.callTool(tool, args);
      expect(result.isError).toBe(true);
      const text = result.content[0].text;
      expect(text).toMatch(/^InputError: Invalid input to action "runner:/);
      expect(text).toMatch(message);
      expect(text).not.toMatch(/\n\s+at /); // no stack trace
    }
    const unknown = await client.callTool('runner.get-instance-health', {
      instanceId: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknown.content[0].text).toMatch(/^NotFoundError: /);

    // Refused input never reached the runner: its only event is the unknown instance's read.
    const runnerEvents = runnerEventsSince(audited);
    expect(runnerEvents.map(a => [a.eventId, a.outcome])).toEqual([
      ['instance-read', 'fail'],
    ]);
  });

  it('lists alerts, validates and diffs gateway YAML, as reads', async () => {
    const outsider = mcpClient(backend.server, OUTSIDER);
    await outsider.initialize();

    const alerts = await outsider.callTool('runner.list-alerts', {
      entityRef: REF,
      state: 'all',
    });
    expect(alerts.isError).toBeFalsy();
    expect(alerts.structuredContent).toEqual({ items: [] });
    expect(auditsOf('alert-read').at(-1)).toMatchObject({
      meta: { entityRef: REF, queryType: 'all', actor: OUTSIDER },
      outcome: 'success',
    });

    const invalid = await outsider.callTool('runner.validate-gateway-yaml', {
      entityRef: REF,
      yaml: routeYaml('Bad_Host'),
      bundle: 'web',
    });
    expect(invalid.isError).toBeFalsy();
    expect(invalid.structuredContent.valid).toBe(false);
    expect(invalid.structuredContent.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: expect.stringContaining('hostnames[0]'),
        }),
      ]),
    );
    expect(invalid.structuredContent.layers.dryRun).toBe(
      'skipped: no cluster is configured',
    );

    const valid = await outsider.callTool('runner.validate-gateway-yaml', {
      entityRef: REF,
      yaml: routeYaml('hello.example.com'),
      bundle: 'web',
    });
    expect(
      valid.structuredContent.findings.filter(
        (f: any) => f.severity === 'error',
      ),
    ).toEqual([]);

    const diff = await outsider.callTool('runner.diff-gateway-yaml', {
      entityRef: REF,
      yaml: routeYaml('hello.example.com'),
      bundle: 'web',
    });
    expect(diff.isError).toBeFalsy();
    expect(diff.structuredContent).toMatchObject({
      againstLive: false,
      objects: [
        { action: 'create', object: { kind: 'HTTPRoute', name: 'web' } },
      ],
    });
    expect(diff.structuredContent.message).toContain(
      'no cluster is configured',
    );
    expect(
      auditsOf('gateway-read')
        .slice(-3)
        .map(a => a.meta),
    ).toEqual([
      { entityRef: REF, queryType: 'validate', actor: OUTSIDER },
      { entityRef: REF, queryType: 'validate', actor: OUTSIDER },
      { entityRef: REF, queryType: 'diff', actor: OUTSIDER },
    ]);
  });
});
