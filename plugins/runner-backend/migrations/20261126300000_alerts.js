/*
 * Alerts raised by the alert rules (docs/alerts.md).
 *
 * One row per breach: a row opens when a condition has held for its rule's
 * duration (or an event happens) and is resolved, never deleted, when the
 * condition clears. Rows outlive their instance on purpose (no foreign key):
 * the history stays readable after the instance is removed.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('alerts', table => {
    table.comment('Runner alerts, open and resolved');
    table.string('id', 36).primary().notNullable().comment('UUID');
    table
      .string('entity_ref')
      .notNullable()
      .comment(
        'Entity whose owners are told, e.g. component:default/hello-http',
      );
    table
      .string('instance_id', 36)
      .nullable()
      .comment('Runner instance, for instance rules');
    table
      .string('resource_ref', 512)
      .nullable()
      .comment('Gateway resource, for gateway-not-accepted');
    table
      .string('rule', 32)
      .notNullable()
      .comment(
        'cpu | memory | restarts | unhealthy | oom | build-failure | gateway-not-accepted',
      );
    table
      .string('severity', 16)
      .notNullable()
      .comment('critical | high | medium | low');
    table.string('state', 16).notNullable().comment('open | resolved');
    // Set while open, NULL once resolved. Unique, and NULLs never collide, so
    // the database (not an in-process lock) keeps one open alert per rule and
    // subject even with several evaluators; a partial unique index would do
    // the same but is not portable to every database Backstage supports.
    table
      .string('open_key', 64)
      .nullable()
      .unique({ indexName: 'alerts_open_key_uq' })
      .comment('sha256 of rule + entity + instance + resource while open');
    table.string('acknowledged_by').nullable();
    table
      .timestamp('acknowledged_at', { useTz: true, precision: 3 })
      .nullable();
    table
      .integer('count')
      .notNullable()
      .defaultTo(1)
      .comment('Occurrences folded into this alert');
    table
      .timestamp('first_seen', { useTz: true, precision: 3 })
      .notNullable()
      .comment('When the condition started breaching');
    table.timestamp('last_seen', { useTz: true, precision: 3 }).notNullable();
    table.timestamp('opened_at', { useTz: true, precision: 3 }).notNullable();
    table.timestamp('resolved_at', { useTz: true, precision: 3 }).nullable();
    table.text('message').notNullable();
    table
      .text('details')
      .nullable()
      .comment('JSON: measured value, threshold, error code, remediation');
    table.index(
      ['entity_ref', 'state', 'opened_at'],
      'alerts_entity_state_idx',
    );
    table.index(['instance_id', 'state'], 'alerts_instance_state_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('alerts');
};
