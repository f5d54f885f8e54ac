/*
 * A secret key per installation, for keyed hashes (HMAC-SHA256) of what may
 * hold secrets and leaves the process: the config hash on container labels
 * and in the API. A plain sha256 of a config with a weak secret could be
 * guessed offline by anyone who can read container labels; without the key
 * it cannot. Filled on first use (src/database/installation.ts); nullable so
 * existing rows can be upgraded in place.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('runner_installation', table => {
    table
      .string('hash_key', 64)
      .nullable()
      .comment('32 random bytes, hex: the HMAC key of this installation');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('runner_installation', table => {
    table.dropColumn('hash_key');
  });
};
