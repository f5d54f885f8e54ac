/*
 * Runner instances and their state transitions.
 *
 * An instance is one run of a catalog component: pending → building →
 * starting → running → stopping → stopped | failed. Timestamps are UTC;
 * `ports` and `failure` are JSON documents.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('instances', table => {
    table.comment('One run of a catalog component as a container');
    table.string('id', 36).primary().notNullable().comment('UUID');
    table
      .string('entity_ref')
      .notNullable()
      .comment('Owning catalog entity, e.g. component:default/hello-http');
    table
      .string('state', 16)
      .notNullable()
      .comment(
        'pending | building | starting | running | stopping | stopped | failed',
      );
    table
      .string('config_hash', 64)
      .nullable()
      .comment('Hash of the effective config the instance was started with');
    table
      .string('cache_key', 64)
      .nullable()
      .comment('Content-addressed build key of the image');
    table.string('image_id').nullable();
    table.string('container_id', 64).nullable();
    table
      .text('ports')
      .nullable()
      .comment('JSON: [{containerPort, protocol, hostIp, hostPort}]');
    table.integer('exit_code').nullable();
    table.boolean('oom_killed').notNullable().defaultTo(false);
    table
      .text('failure')
      .nullable()
      .comment('JSON: the categorized error that failed the instance');
    table
      .string('created_by')
      .nullable()
      .comment('User entity ref of whoever started it');
    table
      .timestamp('created_at', { useTz: true, precision: 3 })
      .notNullable()
      .defaultTo(knex.fn.now());
    table
      .timestamp('updated_at', { useTz: true, precision: 3 })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.timestamp('started_at', { useTz: true, precision: 3 }).nullable();
    table.timestamp('stopped_at', { useTz: true, precision: 3 }).nullable();
    table
      .timestamp('run_deadline', { useTz: true, precision: 3 })
      .nullable()
      .comment(
        'When the backend stops the container (runTimeout); survives backend restarts',
      );
    table.index(['entity_ref', 'state'], 'instances_entity_ref_state_idx');
  });

  // One row per active instance. The primary key makes the database, not an
  // in-process lock, enforce maxInstancesPerEntity: concurrent starts (even
  // on several backend replicas) cannot take the same slot.
  await knex.schema.createTable('instance_slots', table => {
    table.comment(
      'Slots held by active instances, at most maxInstancesPerEntity per entity',
    );
    table.string('entity_ref').notNullable();
    table.integer('slot').notNullable();
    table
      .string('instance_id', 36)
      .notNullable()
      .unique()
      .references('id')
      .inTable('instances')
      .onDelete('CASCADE');
    table.primary(['entity_ref', 'slot']);
  });

  await knex.schema.createTable('instance_logs', table => {
    table.comment(
      'Build output, and the last run output of removed containers',
    );
    table.bigIncrements('id').primary();
    table
      .string('instance_id', 36)
      .notNullable()
      .references('id')
      .inTable('instances')
      .onDelete('CASCADE');
    table.string('stream', 8).notNullable().comment('build | run');
    table.text('line').notNullable();
    table
      .timestamp('at', { useTz: true, precision: 3 })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.index(['instance_id', 'stream', 'id'], 'instance_logs_instance_idx');
  });

  await knex.schema.createTable('instance_events', table => {
    table.comment('State transitions of instances, oldest first');
    table.bigIncrements('id').primary();
    table
      .string('instance_id', 36)
      .notNullable()
      .references('id')
      .inTable('instances')
      .onDelete('CASCADE');
    table.string('from_state', 16).nullable();
    table.string('to_state', 16).notNullable();
    table.text('message').nullable();
    table
      .timestamp('at', { useTz: true, precision: 3 })
      .notNullable()
      .defaultTo(knex.fn.now());
    table.index(['instance_id', 'id'], 'instance_events_instance_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('instance_logs');
  await knex.schema.dropTable('instance_slots');
  await knex.schema.dropTable('instance_events');
  await knex.schema.dropTable('instances');
};
