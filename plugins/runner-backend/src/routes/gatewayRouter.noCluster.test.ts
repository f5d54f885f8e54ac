import request from 'supertest';
import {
  gatewayEntity,
  startGatewayBackend,
  type GatewayBackend,
} from '../gateway/__testUtils__/gatewayBackend';
import {
  SECRETS,
  httpRouteInput,
  openAIInput,
} from '../gateway/__testUtils__/templateInputs';

/*
 * The gateway REST API with no cluster configured (the default): templates,
 * validation with rules and schemas from runner.gateway.crdDirectories, a
 * diff against nothing and export work; lists are empty and every change is
 * refused with a plain message.
 */

jest.setTimeout(60_000);

const HELLO = '/api/runner/entities/component/default/hello-http/gateway';
const routeBody = {
  name: 'web',
  parentGateway: httpRouteInput.parentGateway,
  hostnames: ['web.example.com'],
  rules: httpRouteInput.rules,
};
const providerBody = {
  ...openAIInput,
  namespace: undefined,
  entityRef: undefined,
};

describe('without a cluster (the default)', () => {
  let backend: GatewayBackend;
  beforeAll(async () => {
    backend = await startGatewayBackend({
      clusters: [],
      entities: [gatewayEntity('hello-http', 'team-a')],
    });
  });

  it('serves templates, validates with rules and schemas, diffs against nothing and exports', async () => {
    const { server } = backend;
    const templates = await request(server).get(
      '/api/runner/gateway/templates',
    );
    expect(templates.body.items.map((t: any) => t.id)).toEqual([
      'openai',
      'aws-bedrock',
      'gcp-vertex-ai',
      'azure-openai',
      'httproute',
    ]);
    const schema = await request(server).get(
      '/api/runner/gateway/templates/aws-bedrock',
    );
    expect(schema.body.inputSchema.properties.credentials).toBeDefined();
    expect(
      (await request(server).get('/api/runner/gateway/templates/nope')).status,
    ).toBe(404);

    const clusters = await request(server).get('/api/runner/gateway/clusters');
    expect(clusters.body).toMatchObject({ configured: false, clusters: [] });
    expect(clusters.body.message).toContain(
      'No Kubernetes cluster is configured',
    );

    const valid = await request(server)
      .post(`${HELLO}/validate`)
      .send({ template: 'openai', input: providerBody });
    expect(valid.body).toMatchObject({
      valid: true,
      layers: { rules: 'ran', dryRun: 'skipped: no cluster is configured' },
    });
    expect(valid.body.layers.schema).toContain('runner.gateway.crdDirectories');

    const bad = {
      ...routeBody,
      hostnames: ['Bad_Host'],
      rules: [
        {
          ...routeBody.rules[0],
          timeouts: { request: '1s', backendRequest: '5s' },
        },
      ],
    };
    const invalid = await request(server)
      .post(`${HELLO}/validate`)
      .send({ template: 'httproute', input: bad });
    expect(invalid.body.valid).toBe(false);
    expect(invalid.body.findings.map((f: any) => f.path)).toEqual(
      expect.arrayContaining(['hostnames[0]']),
    );

    const cel = await request(server)
      .post(`${HELLO}/validate`)
      .send({
        template: 'httproute',
        input: { ...routeBody, rules: bad.rules },
      });
    expect(cel.body.findings).toEqual([
      expect.objectContaining({
        source: 'cel',
        path: 'spec.rules[0].timeouts',
        object: expect.objectContaining({ kind: 'HTTPRoute' }),
      }),
    ]);

    const diff = await request(server)
      .post(`${HELLO}/diff`)
      .send({ template: 'httproute', input: routeBody });
    expect(diff.body).toMatchObject({
      againstLive: false,
      objects: [
        { action: 'create', object: { kind: 'HTTPRoute', name: 'web' } },
      ],
    });
    expect(diff.body.message).toContain('no cluster is configured');

    const exported = await request(server).get(`${HELLO}/export`);
    expect(exported.status).toBe(200);
    expect(exported.text).toContain('No Kubernetes cluster is configured');
    const proposal = await request(server)
      .post(`${HELLO}/export`)
      .send({ template: 'openai', input: providerBody });
    expect(proposal.status).toBe(200);
    expect(proposal.text).toContain('kind: AIGatewayRoute');
    expect(proposal.text).toContain('--from-literal=apiKey=');
    expect(proposal.text).not.toMatch(/apiKey: set$/m);
    expect(proposal.text).not.toContain(SECRETS.openaiKey);
  });

  it('lists nothing and refuses changes with a plain message', async () => {
    const { server } = backend;
    const list = await request(server).get(`${HELLO}/routes`);
    expect(list.body).toMatchObject({ configured: false, items: [] });
    for (const [method, path, body] of [
      ['post', '/routes', routeBody],
      ['post', '/providers', providerBody],
      ['put', '/routes/web', { input: routeBody, resourceVersions: {} }],
      ['delete', '/routes/web', undefined],
      ['post', '/rollback', { type: 'route', name: 'web' }],
    ] as const) {
      const res = await (request(server) as any)
        [method](`${HELLO}${path}`)
        .send(body);
      expect(res.status).toBe(409);
      expect(res.body.error.message).toContain(
        'No Kubernetes cluster is configured',
      );
    }
  });
});
