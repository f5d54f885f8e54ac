import { ResponseError } from '@backstage/errors';
import {
  BASE_URL,
  errorResponse,
  setupClient,
  streamedResponse,
} from '../testing/client';

const ID = '3f2a1b2c-0000-4000-8000-000000000001';

describe('RunnerClient logs', () => {
  it('reads a log as text, with the stream and tail in the query', async () => {
    const { client, fetchApi } = setupClient(
      new Response('Step 1/3 : FROM node:22\nStep 2/3 : COPY . .\n'),
    );

    await expect(
      client.getLogs(ID, { stream: 'build', tail: 200 }),
    ).resolves.toBe('Step 1/3 : FROM node:22\nStep 2/3 : COPY . .\n');
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      `${BASE_URL}/instances/${ID}/logs?stream=build&tail=200`,
    );
  });

  it('asks for the whole log with tail=all', async () => {
    const { client, fetchApi } = setupClient(new Response(''));
    await client.getLogs(ID, { stream: 'run', tail: 'all' });
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      `${BASE_URL}/instances/${ID}/logs?stream=run&tail=all`,
    );
  });

  it('follows a log line by line across chunk boundaries', async () => {
    const { response } = streamedResponse([
      'first li',
      'ne\r',
      '\nsecond line\nthi',
      'rd line without a break',
    ]);
    const { client, fetchApi } = setupClient(response);
    const lines: string[] = [];

    await client.followLogs(ID, {
      stream: 'run',
      tail: 100,
      onLine: line => lines.push(line),
      // The stream is open before its first line.
      onOpen: () => lines.push('(open)'),
    });

    expect(lines).toEqual([
      '(open)',
      'first line',
      'second line',
      'third line without a break',
    ]);
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      `${BASE_URL}/instances/${ID}/logs?stream=run&tail=100&follow=true`,
      { signal: undefined },
    );
  });

  it('decodes a multi-byte character split between chunks', async () => {
    const bytes = new TextEncoder().encode('größe ✓\n');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        // Cut inside the three bytes of the check mark.
        controller.enqueue(bytes.slice(0, 9));
        controller.enqueue(bytes.slice(9));
        controller.close();
      },
    });
    const { client } = setupClient(new Response(body));
    const lines: string[] = [];
    await client.followLogs(ID, {
      stream: 'build',
      onLine: l => lines.push(l),
    });
    expect(lines).toEqual(['größe ✓']);
  });

  it('stops reading and cancels the stream when aborted', async () => {
    const { response, cancelled } = streamedResponse(['one\n', 'two\n'], {
      hold: true,
    });
    const { client, fetchApi } = setupClient(response);
    const controller = new AbortController();
    const lines: string[] = [];

    const following = client.followLogs(ID, {
      stream: 'build',
      signal: controller.signal,
      onLine: line => {
        lines.push(line);
        if (lines.length === 2) controller.abort();
      },
    });

    // Aborting is what the caller asked for: the promise resolves.
    await expect(following).resolves.toBeUndefined();
    expect(lines).toEqual(['one', 'two']);
    expect(cancelled()).toBe(true);
    expect(fetchApi.fetch.mock.calls[0][1]).toEqual({
      signal: controller.signal,
    });
  });

  it('resolves quietly when aborted before the response arrives', async () => {
    const { client, fetchApi } = setupClient();
    const controller = new AbortController();
    fetchApi.fetch.mockImplementationOnce(async () => {
      controller.abort();
      throw new DOMException('The operation was aborted.', 'AbortError');
    });
    await expect(
      client.followLogs(ID, {
        stream: 'run',
        signal: controller.signal,
        onLine: jest.fn(),
      }),
    ).resolves.toBeUndefined();
  });

  it('throws a ResponseError when the log cannot be read', async () => {
    const { client } = setupClient(
      errorResponse(403, 'NotAllowedError', 'Not allowed'),
    );
    const error = await client
      .followLogs(ID, { stream: 'run', onLine: jest.fn() })
      .catch(e => e);
    expect(ResponseError.is(error)).toBe(true);
    expect(error.statusCode).toBe(403);
  });
});
