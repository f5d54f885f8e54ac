import type { CategorizedError } from '../errors/types';
import type { GatewayObjectRef } from './findings';

/**
 * A Kubernetes condition as a controller reports it.
 *
 * @public
 */
export interface GatewayCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  observedGeneration?: number;
  lastTransitionTime?: string;
}

/**
 * `True` when the controller accepted the object, `False` when it did not,
 * `Unknown` while no controller has said anything (or said something stale).
 *
 * @public
 */
export type GatewayTriState = 'True' | 'False' | 'Unknown';

/**
 * The status of a route for one of its parent Gateways (`status.parents[]`).
 *
 * @public
 */
export interface GatewayRouteParentStatus {
  parentRef: { name: string; namespace?: string; sectionName?: string };
  controllerName?: string;
  accepted: GatewayTriState;
  resolvedRefs: GatewayTriState;
  conditions: GatewayCondition[];
}

/**
 * One object's status, summarized from `status.conditions`,
 * `status.parents[].conditions` (routes) and `status.ancestors[].conditions`
 * (policies).
 *
 * @public
 */
export interface GatewayObjectStatus {
  object: GatewayObjectRef;
  accepted: GatewayTriState;
  resolvedRefs: GatewayTriState;
  /** True when the controller has not yet looked at the latest generation. */
  stale: boolean;
  /** Conditions that are not about a particular parent or ancestor. */
  conditions: GatewayCondition[];
  /** HTTPRoute and AIGatewayRoute: per parent Gateway. */
  parents?: GatewayRouteParentStatus[];
  /** AIGatewayRoute: the parents of the HTTPRoute the AI Gateway generated from it. */
  generatedRouteParents?: GatewayRouteParentStatus[];
  /** AIGatewayRoute: why the generated HTTPRoute could not be read (so its parents are unknown). */
  generatedRouteError?: CategorizedError;
  /** Why it is not accepted, in the controller's words. */
  reason?: string;
}

/**
 * What a page or an alert needs to know about an entity's gateway objects.
 *
 * @public
 */
export interface GatewayEntityStatusSummary {
  entityRef: string;
  cluster: string;
  /** `True` when every object is accepted, `False` when any is not. */
  accepted: GatewayTriState;
  objects: GatewayObjectStatus[];
  /** The objects whose controller said NotAccepted, for alerts. */
  notAccepted: GatewayObjectRef[];
}
