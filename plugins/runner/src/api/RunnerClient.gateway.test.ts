import type { FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  BASE_URL,
  errorResponse,
  jsonResponse,
  setupClient,
} from '../testing/client';
import { findingsOf } from '../lib/gatewayErrors';

const ENTITY = 'component:default/llm-gateway';
const GW = `${BASE_URL}/entities/component/default/llm-gateway/gateway`;
const finding = {
  path: 'credentials.apiKey',
  message: 'Invalid value: expected string',
  severity: 'error',
  source: 'schema',
};

function yamlResponse(text: string, status = 200) {
  return new Response(text, {
    status,
    headers: { 'Content-Type': 'application/yaml; charset=utf-8' },
  });
}

function sent(fetchApi: jest.Mocked<FetchApi>, call = 0) {
  const [url, init] = fetchApi.fetch.mock.calls[call] as [string, any];
  return {
    url,
    method: init?.method ?? 'GET',
    type: init?.headers?.['Content-Type'],
    body:
      typeof init?.body === 'string' &&
      init.headers?.['Content-Type'] === 'application/json'
        ? JSON.parse(init.body)
        : init?.body,
  };
}

describe('RunnerClient gateway', () => {
  it('reads clusters, templates and one template schema', async () => {
    const { client, fetchApi } = setupClient(
      jsonResponse({ configured: false, clusters: [], checkedAt: 'x' }),
      jsonResponse({
        items: [{ id: 'openai', title: 'OpenAI', description: '' }],
      }),
      jsonResponse({
        id: 'openai',
        title: 'OpenAI',
        description: '',
        inputSchema: { type: 'object' },
      }),
    );
    expect((await client.getGatewayClusters()).configured).toBe(false);
    expect(await client.listGatewayTemplates()).toEqual([
      { id: 'openai', title: 'OpenAI', description: '' },
    ]);
    expect(
      (await client.getGatewayTemplate('aws-bedrock')).inputSchema,
    ).toEqual({
      type: 'object',
    });
    expect(fetchApi.fetch.mock.calls.map(c => c[0])).toEqual([
      `${BASE_URL}/gateway/clusters`,
      `${BASE_URL}/gateway/templates`,
      `${BASE_URL}/gateway/templates/aws-bedrock`,
    ]);
  });

  it('lists and reads routes and providers of the entity', async () => {
    const { client, fetchApi } = setupClient(
      jsonResponse({ configured: true, items: [] }),
      jsonResponse({ configured: true, items: [] }),
      jsonResponse({ name: 'web' }),
    );
    await client.listGatewayBundles(ENTITY, 'route');
    await client.listGatewayBundles(ENTITY, 'provider');
    await client.getGatewayBundle(ENTITY, 'route', 'web');
    expect(fetchApi.fetch.mock.calls.map(c => c[0])).toEqual([
      `${GW}/routes`,
      `${GW}/providers`,
      `${GW}/routes/web`,
    ]);
  });

  it('creates, updates with resourceVersions, and deletes', async () => {
    const { client, fetchApi } = setupClient(
      jsonResponse(
        { bundle: { name: 'openai' }, revision: 1, warnings: [] },
        201,
      ),
      jsonResponse({ bundle: { name: 'openai' }, revision: 2, warnings: [] }),
      new Response(null, { status: 204 }),
    );
    const input = { name: 'openai', credentials: { type: 'apiKey' } };
    expect(
      (await client.createGatewayBundle(ENTITY, 'provider', input)).revision,
    ).toBe(1);
    await client.updateGatewayBundle(ENTITY, 'provider', 'openai', {
      input,
      resourceVersions: { 'Secret/openai-credentials': '3' },
    });
    await client.deleteGatewayBundle(ENTITY, 'provider', 'openai');
    expect(sent(fetchApi, 0)).toEqual({
      url: `${GW}/providers`,
      method: 'POST',
      type: 'application/json',
      body: input,
    });
    expect(sent(fetchApi, 1)).toEqual({
      url: `${GW}/providers/openai`,
      method: 'PUT',
      type: 'application/json',
      body: { input, resourceVersions: { 'Secret/openai-credentials': '3' } },
    });
    expect(sent(fetchApi, 2)).toMatchObject({
      url: `${GW}/providers/openai`,
      method: 'DELETE',
    });
  });

  it('keeps the findings of a 422 and the message of a 409', async () => {
    const { client } = setupClient(
      jsonResponse(
        {
          error: {
            name: 'GatewayValidationError',
            message: 'invalid',
            findings: [finding],
          },
          request: { method: 'POST', url: '/x' },
          response: { statusCode: 422 },
        },
        422,
      ),
      errorResponse(409, 'ConflictError', "'web' changed since you read it"),
    );
    const invalid = await client
      .createGatewayBundle(ENTITY, 'route', {})
      .catch(e => e);
    expect(findingsOf(invalid)).toEqual([finding]);
    const stale = await client
      .updateGatewayBundle(ENTITY, 'route', 'web', {
        input: {},
        resourceVersions: {},
      })
      .catch(e => e);
    expect(ResponseError.is(stale) && stale.statusCode).toBe(409);
    expect(stale.body.error.message).toBe("'web' changed since you read it");
  });

  it('validates, diffs and exports proposals as JSON', async () => {
    const { client, fetchApi } = setupClient(
      jsonResponse({ valid: false, findings: [finding], layers: {} }),
      jsonResponse({ againstLive: false, objects: [], findings: [] }),
      yamlResponse('kind: AIGatewayRoute\n'),
      yamlResponse('# nothing\n'),
    );
    const proposal = { template: 'openai', input: { name: 'openai' } };
    expect(
      (await client.validateGatewayProposal(ENTITY, proposal)).findings,
    ).toEqual([finding]);
    expect(
      (await client.diffGatewayProposal(ENTITY, proposal)).againstLive,
    ).toBe(false);
    expect(await client.exportGatewayProposal(ENTITY, proposal)).toBe(
      'kind: AIGatewayRoute\n',
    );
    expect(await client.exportGatewayYaml(ENTITY, 'web')).toBe('# nothing\n');
    expect(sent(fetchApi, 0)).toEqual({
      url: `${GW}/validate`,
      method: 'POST',
      type: 'application/json',
      body: proposal,
    });
    expect(sent(fetchApi, 1).url).toBe(`${GW}/diff`);
    expect(sent(fetchApi, 2)).toMatchObject({
      url: `${GW}/export`,
      method: 'POST',
    });
    expect(sent(fetchApi, 3)).toMatchObject({
      url: `${GW}/export?bundle=web`,
      method: 'GET',
    });
  });

  it("moves POST export's top-level findings into the error", async () => {
    const { client } = setupClient(
      jsonResponse(
        {
          error: {
            name: 'GatewayValidationError',
            message: 'The proposal is invalid; nothing to export',
          },
          findings: [finding],
        },
        422,
      ),
    );
    const error = await client
      .exportGatewayProposal(ENTITY, { template: 'openai', input: {} })
      .catch(e => e);
    expect(ResponseError.is(error) && error.statusCode).toBe(422);
    expect(error.body.error.message).toBe(
      'The proposal is invalid; nothing to export',
    );
    expect(findingsOf(error)).toEqual([finding]);
  });

  it('imports YAML as application/yaml, lists revisions and rolls back', async () => {
    const { client, fetchApi } = setupClient(
      jsonResponse({ items: [{ revision: 3 }] }),
      jsonResponse({ items: [{ revision: 2 }, { revision: 1 }] }),
      jsonResponse({ bundle: { name: 'web' }, revision: 4, warnings: [] }),
    );
    const yaml = 'apiVersion: v1\nkind: Secret\n';
    expect(await client.importGatewayYaml(ENTITY, yaml, 'web')).toEqual([
      { revision: 3 },
    ]);
    expect(await client.listGatewayRevisions(ENTITY, 'web')).toHaveLength(2);
    expect(
      (await client.rollbackGatewayBundle(ENTITY, 'route', 'web')).revision,
    ).toBe(4);
    expect(sent(fetchApi, 0)).toEqual({
      url: `${GW}/import?bundle=web`,
      method: 'POST',
      type: 'application/yaml',
      body: yaml,
    });
    expect(sent(fetchApi, 1).url).toBe(`${GW}/revisions?bundle=web`);
    expect(sent(fetchApi, 2)).toEqual({
      url: `${GW}/rollback`,
      method: 'POST',
      type: 'application/json',
      body: { type: 'route', name: 'web' },
    });
  });
});
