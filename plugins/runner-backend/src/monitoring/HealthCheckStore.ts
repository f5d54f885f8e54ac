import type { Knex } from 'knex';
import type { HealthCheck } from '@internal/plugin-runner-common';

type Row = Record<string, any>;

function toCheck(row: Row): HealthCheck {
  return {
    at: new Date(row.at).toISOString(),
    status: row.status,
    source: row.source,
    detail: row.detail ?? undefined,
    latencyMs: row.latency_ms ?? undefined,
  };
}

/** The last N health checks of every instance. Owns all SQL on health_checks. */
export class HealthCheckStore {
  constructor(
    private readonly knex: Knex,
    /** Checks kept per instance (`runner.monitoring.health.history`). */
    private readonly historySize: number,
  ) {}

  /** Stores a check and drops that instance's checks beyond the newest `historySize`. */
  async record(instanceId: string, check: HealthCheck): Promise<void> {
    await this.knex('health_checks').insert({
      instance_id: instanceId,
      status: check.status,
      source: check.source,
      detail: check.detail ?? null,
      latency_ms:
        check.latencyMs === undefined ? null : Math.round(check.latencyMs),
      at: new Date(check.at),
    });
    // Two statements rather than DELETE … NOT IN (SELECT … LIMIT n), which
    // not every database the backend may run on accepts.
    const oldestKept = await this.knex('health_checks')
      .where('instance_id', instanceId)
      .orderBy('id', 'desc')
      .offset(this.historySize - 1)
      .first('id');
    if (oldestKept) {
      await this.knex('health_checks')
        .where('instance_id', instanceId)
        .andWhere('id', '<', oldestKept.id)
        .delete();
    }
  }

  /** Newest first. */
  async latest(
    instanceId: string,
    limit = this.historySize,
  ): Promise<HealthCheck[]> {
    const rows = await this.knex('health_checks')
      .where('instance_id', instanceId)
      .orderBy('id', 'desc')
      .limit(limit);
    return rows.map(toCheck);
  }

  /** Checks older than `before` (of long-stopped instances) go; the newest are trimmed on insert. */
  async deleteOlderThan(before: Date): Promise<number> {
    return this.knex('health_checks').where('at', '<', before).delete();
  }
}
