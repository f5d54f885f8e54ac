/*
 * The identity of this runner installation: one row, created on first start.
 * Containers carry it as a label so that backends with separate databases
 * sharing one Docker engine never adopt or reap each other's containers.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('runner_installation', table => {
    table.comment('One row: the id of this runner installation');
    table.string('id', 36).primary().notNullable();
    table.timestamp('created_at', { useTz: true, precision: 3 }).notNullable().defaultTo(knex.fn.now());
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('runner_installation');
};
