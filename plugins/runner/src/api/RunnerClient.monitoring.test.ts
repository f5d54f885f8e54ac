import { ResponseError } from '@backstage/errors';
import {
  BASE_URL,
  errorResponse,
  jsonResponse,
  setupClient,
} from '../testing/client';
import {
  ALERT_ID,
  alert,
  errorEvent,
  instanceHealth,
  instanceMetrics,
  INSTANCE_ID,
} from '../testing/monitoring';

type FetchMock = { mock: { calls: unknown[][] } };

/** The query of the n-th fetch, as a plain object. */
function queryOf(fetch: FetchMock, call = 0): Record<string, string> {
  const url = new URL(String(fetch.mock.calls[call][0]));
  return Object.fromEntries(url.searchParams);
}

function pathOf(fetch: FetchMock, call = 0): string {
  return new URL(String(fetch.mock.calls[call][0])).pathname;
}

describe('RunnerClient monitoring', () => {
  it('reads metrics over a range, sending Dates as ISO 8601 in UTC', async () => {
    const metrics = instanceMetrics();
    const { client, fetchApi } = setupClient(jsonResponse(metrics));
    await expect(
      client.getInstanceMetrics(INSTANCE_ID, {
        from: new Date('2025-01-01T09:00:00Z'),
        to: new Date('2025-01-01T10:00:00Z'),
        step: '30s',
      }),
    ).resolves.toEqual(metrics);
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      `${BASE_URL}/instances/${INSTANCE_ID}/metrics?from=2025-01-01T09%3A00%3A00.000Z&to=2025-01-01T10%3A00%3A00.000Z&step=30s`,
    );
  });

  it('leaves out a step that was not given, and passes strings as they are', async () => {
    const { client, fetchApi } = setupClient(jsonResponse(instanceMetrics()));
    await client.getInstanceMetrics(INSTANCE_ID, {
      from: '2025-01-01T09:00:00+01:00',
      to: '1735725600000',
    });
    expect(queryOf(fetchApi.fetch)).toEqual({
      from: '2025-01-01T09:00:00+01:00',
      to: '1735725600000',
    });
  });

  it('surfaces a 400 naming the bad parameter', async () => {
    const { client } = setupClient(
      errorResponse(400, 'InputError', 'Invalid query: from must be before to'),
    );
    const error = await client
      .getInstanceMetrics(INSTANCE_ID, { from: 'b', to: 'a' })
      .catch(e => e);
    expect(ResponseError.is(error)).toBe(true);
    expect(error.statusCode).toBe(400);
    expect(error.cause.message).toContain('from');
  });

  it('reads the health of an instance', async () => {
    const health = instanceHealth();
    const { client, fetchApi } = setupClient(jsonResponse(health));
    await expect(client.getInstanceHealth(INSTANCE_ID)).resolves.toEqual(
      health,
    );
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      `${BASE_URL}/instances/${INSTANCE_ID}/health`,
    );
  });

  it('lists errors of an entity with filters and cursor, with a canonical ref', async () => {
    const page = { items: [errorEvent()], nextCursor: '41' };
    const { client, fetchApi } = setupClient(jsonResponse(page));
    await expect(
      client.listErrors({
        entityRef: 'Component:hello',
        category: 'build',
        severity: 'high',
        code: 'BUILD_STEP_FAILED',
        from: new Date('2025-01-01T00:00:00Z'),
        limit: 20,
        cursor: '57',
      }),
    ).resolves.toEqual(page);
    expect(pathOf(fetchApi.fetch)).toBe('/api/runner/errors');
    expect(queryOf(fetchApi.fetch)).toEqual({
      entityRef: 'component:default/hello',
      category: 'build',
      severity: 'high',
      code: 'BUILD_STEP_FAILED',
      from: '2025-01-01T00:00:00.000Z',
      limit: '20',
      cursor: '57',
    });
  });

  it('lists errors without any filter as a bare /errors', async () => {
    const { client, fetchApi } = setupClient(jsonResponse({ items: [] }));
    await client.listErrors({});
    expect(fetchApi.fetch).toHaveBeenCalledWith(`${BASE_URL}/errors`);
  });

  it('lists the errors of one instance', async () => {
    const { client, fetchApi } = setupClient(
      jsonResponse({ items: [] }),
      jsonResponse({ items: [] }),
    );
    await expect(client.listInstanceErrors(INSTANCE_ID)).resolves.toEqual({
      items: [],
    });
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      `${BASE_URL}/instances/${INSTANCE_ID}/errors`,
    );
    await client.listInstanceErrors(INSTANCE_ID, {
      severity: 'critical',
      cursor: '9',
    });
    expect(queryOf(fetchApi.fetch, 1)).toEqual({
      severity: 'critical',
      cursor: '9',
    });
  });
});

describe('RunnerClient alerts', () => {
  it('lists the alerts of an entity in a state', async () => {
    const items = [alert()];
    const { client, fetchApi } = setupClient(jsonResponse({ items }));
    await expect(
      client.listAlerts({ entityRef: 'component:hello', state: 'all' }),
    ).resolves.toEqual(items);
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      `${BASE_URL}/alerts?entityRef=component%3Adefault%2Fhello&state=all`,
    );
  });

  it('acknowledges an alert with a POST and returns it', async () => {
    const acknowledged = alert({
      acknowledgedBy: 'user:default/alice',
      acknowledgedAt: '2025-01-01T10:07:00.000Z',
    });
    const { client, fetchApi } = setupClient(jsonResponse(acknowledged));
    await expect(client.acknowledgeAlert(ALERT_ID)).resolves.toEqual(
      acknowledged,
    );
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      `${BASE_URL}/alerts/${ALERT_ID}/acknowledge`,
      { method: 'POST' },
    );
  });

  it('raises the 409 of a resolved alert as a ResponseError', async () => {
    const { client } = setupClient(
      errorResponse(409, 'ConflictError', 'Alert is already resolved'),
    );
    const error = await client.acknowledgeAlert(ALERT_ID).catch(e => e);
    expect(ResponseError.is(error)).toBe(true);
    expect(error.statusCode).toBe(409);
  });
});
