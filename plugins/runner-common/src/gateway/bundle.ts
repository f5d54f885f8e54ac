import type { GatewayObjectRef } from './findings';

/**
 * What a bundle preview shows of a Secret: which keys hold a value, never
 * the values.
 *
 * @public
 */
export interface GatewaySecretSummary {
  name: string;
  namespace?: string;
  keys: Record<string, 'set' | 'not set'>;
}

/**
 * A template's output at a glance: the objects it will apply, in apply order,
 * and the Secrets' keys.
 *
 * @public
 */
export interface GatewayBundleSummary {
  template: string;
  entityRef: string;
  namespace: string;
  objects: GatewayObjectRef[];
  secrets: GatewaySecretSummary[];
}
