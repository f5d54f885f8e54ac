import type { Entity } from '@backstage/catalog-model';
import {
  GATEWAY_ANNOTATIONS,
  RUNNER_ANNOTATIONS,
  isAlertsAvailable,
  isGatewayAvailable,
  isRunnerAvailable,
} from './annotations';

function entity(kind: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name: 'x', annotations },
  };
}

describe('entity filters', () => {
  it('shows the Runner tab for components with a runner annotation only', () => {
    expect(
      isRunnerAvailable(
        entity('Component', { [RUNNER_ANNOTATIONS.ports]: '8080' }),
      ),
    ).toBe(true);
    expect(
      isRunnerAvailable(
        entity('component', { [RUNNER_ANNOTATIONS.dockerfile]: 'Dockerfile' }),
      ),
    ).toBe(true);
    expect(isRunnerAvailable(entity('Component', {}))).toBe(false);
    expect(
      isRunnerAvailable(entity('API', { [RUNNER_ANNOTATIONS.ports]: '8080' })),
    ).toBe(false);
    // An empty value is not an opt-in.
    expect(
      isRunnerAvailable(
        entity('Component', { [RUNNER_ANNOTATIONS.ports]: '' }),
      ),
    ).toBe(false);
  });

  it('shows the Gateway tab when a gateway namespace is named', () => {
    expect(
      isGatewayAvailable(
        entity('Component', { [GATEWAY_ANNOTATIONS.namespace]: 'team-a' }),
      ),
    ).toBe(true);
    expect(
      isGatewayAvailable(
        entity('Component', { [GATEWAY_ANNOTATIONS.parentGateway]: 'eg' }),
      ),
    ).toBe(false);
  });

  it('shows the Alerts tab for anything runnable or gateway-bound', () => {
    expect(
      isAlertsAvailable(
        entity('Component', { [GATEWAY_ANNOTATIONS.namespace]: 'a' }),
      ),
    ).toBe(true);
    expect(
      isAlertsAvailable(
        entity('Component', { [RUNNER_ANNOTATIONS.healthPath]: '/healthz' }),
      ),
    ).toBe(true);
    expect(isAlertsAvailable(entity('Component', {}))).toBe(false);
  });
});
