import type { Server } from 'node:http';
import request from 'supertest';
import {
  eventually,
  startInstance,
  startRunnerBackend,
  waitForState,
} from '../__testUtils__/instanceApi';

/*
 * The two example components that fail on purpose, on the real engine,
 * through the REST API: each failure leads with what the component itself
 * printed, its advice fits the cause, the Health card's route says
 * `failed`, and what the error history holds the Alerts tab holds too.
 */

jest.setTimeout(180_000);

describe('failures that explain themselves (real Docker engine)', () => {
  let server: Server;
  const ids: string[] = [];

  beforeAll(async () => {
    server = await startRunnerBackend();
  });

  afterAll(async () => {
    for (const id of ids) {
      await request(server).delete(`/api/runner/instances/${id}`);
    }
  });

  /** Starts an example, waits for it to fail, returns it with its history. */
  async function failureOf(name: string) {
    const started = await startInstance(server, name);
    expect(started.status).toBe(202);
    ids.push(started.body.id);
    const failed = await waitForState(server, started.body.id, [
      'failed',
      'stopped',
    ]);
    expect(failed.state).toBe('failed');
    const entityRef = `component:default/${name}`;
    const errors = (
      await request(server).get(`/api/runner/instances/${failed.id}/errors`)
    ).body.items;
    // The alert is raised off the failure's path: wait for it, not a sleep.
    const alerts = await eventually(
      async () => {
        const res = await request(server)
          .get('/api/runner/alerts')
          .query({ entityRef });
        return res.body.items.length > 0 ? res.body.items : undefined;
      },
      () => `no alert for ${entityRef}; errors: ${JSON.stringify(errors)}`,
      10_000,
    );
    const events = (
      await request(server).get(`/api/runner/instances/${failed.id}/events`)
    ).body.items;
    const health = (
      await request(server).get(`/api/runner/instances/${failed.id}/health`)
    ).body;
    return { failed, errors, alerts, events, health };
  }

  /** Every error of the instance's history has its open alert, with the same words. */
  function agree(errors: any[], alerts: any[], rule: string) {
    expect(errors.length).toBeGreaterThan(0);
    expect(alerts.map(a => [a.rule, a.state, a.count])).toEqual([
      [rule, 'open', errors.length],
    ]);
    expect(alerts[0].message).toBe(errors[0].userMessage);
    expect(alerts[0].details.code).toBe(errors[0].code);
  }

  it('broken-build: its stderr line first, the RUN command once, advice for the missing file, a build-failure alert', async () => {
    const { failed, errors, alerts, events, health } = await failureOf(
      'broken-build',
    );
    const { userMessage, remediation } = failed.failure;
    expect(failed.failure.code).toBe('BUILD_STEP_FAILED');
    expect(userMessage).toMatch(
      /^error: missing file app\.conf \(expected at \/app\/app\.conf; .*\) — Step 3\/\d+ \(`RUN echo "compiling broken-build\.\.\." && if .*…`\) failed with exit code 1\.$/,
    );
    expect(userMessage.split('compiling broken-build').length).toBe(2);
    expect(remediation).toMatch(/needs `app\.conf`/);
    expect(remediation).not.toMatch(/137/);
    expect(events.at(-1)).toMatchObject({
      toState: 'failed',
      message: userMessage,
    });
    expect(health).toMatchObject({ instanceState: 'failed', status: 'failed' });
    agree(errors, alerts, 'build-failure');
  });

  it('exits-early: its last log line in the message, a crash alert, health failed', async () => {
    const { failed, errors, alerts, health } = await failureOf('exits-early');
    expect(failed).toMatchObject({ exitCode: 3, oomKilled: false });
    expect(failed.failure.userMessage).toBe(
      "exits-early: fatal: lost connection to the (imaginary) database, exiting with code 3 — The container's process exited with code 3.",
    );
    expect(failed.failure.remediation).toMatch(
      /^The application ended itself with code 3 after printing the lines quoted/,
    );
    expect(health).toMatchObject({
      instanceState: 'failed',
      status: 'failed',
      exitCode: 3,
    });
    agree(errors, alerts, 'crash');
  });
});
