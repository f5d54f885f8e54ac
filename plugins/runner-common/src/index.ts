/**
 * Shared types, catalog annotations and permissions of the Backstage Runner plugins.
 *
 * @packageDocumentation
 */

export * from './annotations';
export * from './permissions';
export * from './health';
export * from './gateway';
export * from './instances';
export * from './errors';
export * from './monitoring';
export * from './alerts';
