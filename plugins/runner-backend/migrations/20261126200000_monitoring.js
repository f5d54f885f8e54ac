/*
 * Monitoring history: raw metric samples, their 5-minute downsampled rows,
 * health checks, and the categorized error history.
 *
 * Metric times are epoch milliseconds in BIGINT columns, not timestamps: the
 * metrics query groups rows into time buckets with plain integer arithmetic
 * (`at / step`), which SQLite and PostgreSQL evaluate alike, where date
 * functions differ per engine. Metrics and health checks go with their
 * instance (ON DELETE CASCADE); error events stay after the instance is
 * removed, as part of the entity's history.
 */

/** min/avg/max columns of one metric in metric_rollups. */
function rollupColumns(table, name, type) {
  table[type](`${name}_min`).nullable();
  table.double(`${name}_avg`).nullable();
  table[type](`${name}_max`).nullable();
}

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('metric_samples', table => {
    table.comment(
      'Raw container metrics, one row per instance per sampling round; kept runner.monitoring.retention.raw',
    );
    table
      .string('instance_id', 36)
      .notNullable()
      .references('id')
      .inTable('instances')
      .onDelete('CASCADE');
    table.bigInteger('at').notNullable().comment('Epoch milliseconds');
    table
      .double('cpu')
      .nullable()
      .comment('Ratio of one core; null on the first sample of a container');
    table.bigInteger('memory').notNullable().comment('Working set, bytes');
    table.bigInteger('memory_limit').notNullable().comment('Bytes');
    table.bigInteger('net_rx').notNullable().comment('Bytes since start');
    table.bigInteger('net_tx').notNullable().comment('Bytes since start');
    table.bigInteger('blk_read').notNullable().comment('Bytes since start');
    table.bigInteger('blk_write').notNullable().comment('Bytes since start');
    table.integer('pids').notNullable();
    // The key is also the index of every range query and of the clean-up.
    table.primary(['instance_id', 'at']);
    table.index(['at'], 'metric_samples_at_idx');
  });

  await knex.schema.createTable('metric_rollups', table => {
    table.comment(
      'Metrics downsampled to 5-minute buckets (min/avg/max); kept runner.monitoring.retention.downsampled',
    );
    table
      .string('instance_id', 36)
      .notNullable()
      .references('id')
      .inTable('instances')
      .onDelete('CASCADE');
    table
      .bigInteger('bucket_start')
      .notNullable()
      .comment('Epoch milliseconds, a multiple of bucket_ms');
    table.integer('bucket_ms').notNullable();
    table.integer('samples').notNullable().comment('Raw rows aggregated');
    table
      .integer('cpu_samples')
      .notNullable()
      .comment('Raw rows with a CPU value (avg weights)');
    rollupColumns(table, 'cpu', 'double');
    for (const name of [
      'memory',
      'memory_limit',
      'net_rx',
      'net_tx',
      'blk_read',
      'blk_write',
    ]) {
      rollupColumns(table, name, 'bigInteger');
    }
    rollupColumns(table, 'pids', 'integer');
    table.primary(['instance_id', 'bucket_start']);
    table.index(['bucket_start'], 'metric_rollups_bucket_idx');
  });

  await knex.schema.createTable('health_checks', table => {
    table.comment('The latest health checks of each instance');
    table.bigIncrements('id').primary();
    table
      .string('instance_id', 36)
      .notNullable()
      .references('id')
      .inTable('instances')
      .onDelete('CASCADE');
    table
      .string('status', 16)
      .notNullable()
      .comment('healthy | unhealthy | starting | stopped | unknown');
    table.string('source', 8).notNullable().comment('docker | http | state');
    table.text('detail').nullable();
    table.integer('latency_ms').nullable();
    table
      .timestamp('at', { useTz: true, precision: 3 })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.index(['instance_id', 'id'], 'health_checks_instance_idx');
  });

  await knex.schema.createTable('error_events', table => {
    table.comment(
      'Categorized failures of instances and other runner resources',
    );
    table.bigIncrements('id').primary();
    table.string('entity_ref').notNullable();
    table
      .string('instance_id', 36)
      .nullable()
      .comment('No foreign key: the history outlives removed instances');
    table
      .string('resource_ref')
      .nullable()
      .comment('A failing resource that is not an instance');
    table.string('operation', 32).nullable();
    table.string('category', 32).notNullable();
    table.string('code', 64).notNullable();
    table.string('severity', 16).notNullable();
    table.boolean('recoverable').notNullable();
    table.string('origin', 16).notNullable();
    table.text('user_message').notNullable();
    table.text('remediation').notNullable();
    table.text('detail').notNullable().comment('Secrets redacted');
    table
      .timestamp('at', { useTz: true, precision: 3 })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.index(['entity_ref', 'id'], 'error_events_entity_idx');
    table.index(['instance_id', 'id'], 'error_events_instance_idx');
    table.index(['at'], 'error_events_at_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('error_events');
  await knex.schema.dropTable('health_checks');
  await knex.schema.dropTable('metric_rollups');
  await knex.schema.dropTable('metric_samples');
};
