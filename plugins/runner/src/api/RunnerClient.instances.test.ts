import { ResponseError } from '@backstage/errors';
import {
  BASE_URL,
  errorResponse,
  jsonResponse,
  setupClient,
} from '../testing/client';
import {
  effectiveConfig,
  instanceEvents,
  runnerInstance,
} from '../testing/instances';

const ID = '3f2a1b2c-0000-4000-8000-000000000001';

describe('RunnerClient instances', () => {
  it('lists the instances of an entity by its path', async () => {
    const items = [runnerInstance()];
    const { client, fetchApi } = setupClient(jsonResponse({ items }));

    await expect(
      client.listInstances('Component:default/hello'),
    ).resolves.toEqual(items);
    // The kind is lower-cased, as the backend's own refs are.
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      `${BASE_URL}/entities/component/default/hello/instances`,
    );
  });

  it('encodes entity path segments', async () => {
    const { client, fetchApi } = setupClient(jsonResponse({ items: [] }));
    await client.listInstances('component:team a/hello');
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      `${BASE_URL}/entities/component/team%20a/hello/instances`,
    );
  });

  it('starts an instance with a POST and returns it', async () => {
    const pending = runnerInstance({ state: 'pending', ports: [] });
    const { client, fetchApi } = setupClient(jsonResponse(pending, 202));

    await expect(
      client.startInstance('component:default/hello'),
    ).resolves.toEqual(pending);
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      `${BASE_URL}/entities/component/default/hello/instances`,
      { method: 'POST' },
    );
  });

  it('throws a ResponseError with the backend message when the maximum is reached', async () => {
    const { client } = setupClient(
      errorResponse(
        409,
        'ConflictError',
        'component:default/hello already has 1 active instance (runner.docker.maxInstancesPerEntity)',
      ),
    );

    const error = await client
      .startInstance('component:default/hello')
      .catch(e => e);
    expect(ResponseError.is(error)).toBe(true);
    expect(error.statusCode).toBe(409);
    expect(error.body.error.message).toMatch(/maxInstancesPerEntity/);
  });

  it.each([
    ['stopInstance', 'stop', 200],
    ['restartInstance', 'restart', 202],
  ] as const)(
    '%s POSTs to /instances/:id/%s',
    async (method, action, status) => {
      const instance = runnerInstance();
      const { client, fetchApi } = setupClient(jsonResponse(instance, status));

      await expect(client[method](ID)).resolves.toEqual(instance);
      expect(fetchApi.fetch).toHaveBeenCalledWith(
        `${BASE_URL}/instances/${ID}/${action}`,
        { method: 'POST' },
      );
    },
  );

  it('removes an instance with DELETE and accepts an empty 204', async () => {
    const { client, fetchApi } = setupClient(
      new Response(null, { status: 204 }),
    );
    await expect(client.removeInstance(ID)).resolves.toBeUndefined();
    expect(fetchApi.fetch).toHaveBeenCalledWith(`${BASE_URL}/instances/${ID}`, {
      method: 'DELETE',
    });
  });

  it('reads the state transitions of an instance', async () => {
    const items = instanceEvents(ID);
    const { client, fetchApi } = setupClient(jsonResponse({ items }));
    await expect(client.getInstanceEvents(ID)).resolves.toEqual(items);
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      `${BASE_URL}/instances/${ID}/events`,
    );
  });

  it('reads the effective config of an entity', async () => {
    const config = effectiveConfig();
    const { client, fetchApi } = setupClient(jsonResponse(config));
    await expect(
      client.getEffectiveConfig('component:default/hello'),
    ).resolves.toEqual(config);
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      `${BASE_URL}/entities/component/default/hello/effective-config`,
    );
  });

  it('surfaces a 400 naming the bad annotation', async () => {
    const { client } = setupClient(
      errorResponse(
        400,
        'InputError',
        "Annotation runner.backstage.io/ports: '80x' is not a port",
      ),
    );
    const error = await client
      .getEffectiveConfig('component:default/hello')
      .catch(e => e);
    expect(ResponseError.is(error)).toBe(true);
    expect(error.statusCode).toBe(400);
    expect(error.cause.message).toContain('runner.backstage.io/ports');
  });

  it('raises a 404 on an unknown instance as a ResponseError', async () => {
    const { client } = setupClient(
      errorResponse(404, 'NotFoundError', `No runner instance with id '${ID}'`),
    );
    const error = await client.stopInstance(ID).catch(e => e);
    expect(ResponseError.is(error)).toBe(true);
    expect(error.cause.name).toBe('NotFoundError');
  });
});
