import {
  renderGatewayFinding,
  type GatewayFinding,
  type GatewayObjectRef,
} from '@internal/plugin-runner-common';

/**
 * Renders an object's errors as the API server's 422 Invalid status message:
 * `AIGatewayRoute.aigateway.envoyproxy.io "name" is invalid: spec.rules: …`,
 * several errors in brackets separated by ", ".
 */
export function renderApiServerError(
  ref: GatewayObjectRef,
  findings: GatewayFinding[],
): string {
  const errors = findings
    .filter(f => f.severity === 'error')
    .map(renderGatewayFinding);
  const group = ref.apiVersion.includes('/')
    ? ref.apiVersion.split('/')[0]
    : '';
  const qualifiedKind = group ? `${ref.kind}.${group}` : ref.kind;
  const body = errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
  return `${qualifiedKind} "${ref.name ?? ''}" is invalid: ${body}`;
}
