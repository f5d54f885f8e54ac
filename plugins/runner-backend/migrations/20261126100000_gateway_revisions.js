/*
 * Revision history of gateway bundles (a provider's objects, or a route),
 * one row per applied change, for history and one-step rollback.
 *
 * `objects` is the JSON of the objects as applied, with Secrets reduced to
 * their key names: secret values are never stored here.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('gateway_revisions', table => {
    table.comment('Applied revisions of gateway bundles; no secret values');
    table.bigIncrements('id').primary();
    table
      .string('entity_ref')
      .notNullable()
      .comment('Owning catalog entity, e.g. component:default/hello-http');
    table
      .string('bundle_name', 63)
      .notNullable()
      .comment('The bundle (runner.backstage.io/bundle label)');
    table
      .integer('revision')
      .notNullable()
      .comment('1, 2, … per entity and bundle');
    table
      .string('action', 16)
      .notNullable()
      .comment('create | update | import | rollback | delete');
    table
      .string('template', 32)
      .notNullable()
      .comment('Provider id, httproute, or custom (imported)');
    table.string('cluster', 63).notNullable();
    table
      .text('objects')
      .notNullable()
      .comment('JSON: the objects as applied, Secrets with key names only');
    table
      .string('actor')
      .nullable()
      .comment('User entity ref of whoever made the change');
    table
      .timestamp('created_at', { useTz: true, precision: 3 })
      .notNullable()
      .defaultTo(knex.fn.now());
    // Two concurrent writers cannot record the same revision number.
    table.unique(['entity_ref', 'bundle_name', 'revision'], {
      indexName: 'gateway_revisions_bundle_revision_uq',
    });
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('gateway_revisions');
};
