import type { GatewayParentRefInput, RouteTimeoutsInput } from './providers';

/** @public */
export interface HttpRouteMatchInput {
  path?: {
    /** Default `PathPrefix`. */
    type?: 'PathPrefix' | 'Exact' | 'RegularExpression';
    value: string;
  };
  method?:
    | 'GET'
    | 'HEAD'
    | 'POST'
    | 'PUT'
    | 'DELETE'
    | 'CONNECT'
    | 'OPTIONS'
    | 'TRACE'
    | 'PATCH';
  headers?: Array<{
    name: string;
    value: string;
    type?: 'Exact' | 'RegularExpression';
  }>;
}

/**
 * A Kubernetes Service that receives a share of a rule's traffic.
 *
 * @public
 */
export interface HttpRouteBackendInput {
  serviceName: string;
  port: number;
  /** Defaults to the route's namespace. */
  namespace?: string;
  /** Share of the rule's traffic (default 1). */
  weight?: number;
}

/** @public */
export interface HttpRouteRuleInput {
  name?: string;
  /** Default: every request (`PathPrefix /`). */
  matches?: HttpRouteMatchInput[];
  backends: HttpRouteBackendInput[];
  timeouts?: RouteTimeoutsInput;
}

/**
 * Input of the HTTPRoute template: exposes an entity's service through a Gateway.
 *
 * @public
 */
export interface HttpRouteInput {
  name: string;
  namespace: string;
  entityRef: string;
  parentGateway: GatewayParentRefInput;
  /** RFC 1123 host names; a leading `*.` wildcard label is allowed. */
  hostnames?: string[];
  rules: HttpRouteRuleInput[];
}
