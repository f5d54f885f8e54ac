/**
 * The Backstage Runner backend plugin.
 *
 * @packageDocumentation
 */

export { runnerPlugin as default } from './plugin';
