import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import type { GatewayBundleView } from '@internal/plugin-runner-common';
import { GatewayBundlesTable } from './GatewayBundlesTable';

/*
 * A provider whose generated HTTPRoute could not be read shows why, in the
 * taxonomy's words, instead of looking as if nothing were attached.
 */

const allowed = { allowed: true };

const bundle: GatewayBundleView = {
  name: 'openai',
  type: 'provider',
  template: 'openai',
  cluster: 'one',
  namespace: 'team-a',
  objects: [],
  resourceVersions: {},
  secrets: [],
  accepted: 'True',
  status: [
    {
      object: {
        apiVersion: 'aigateway.envoyproxy.io/v1beta1',
        kind: 'AIGatewayRoute',
        name: 'openai',
      },
      accepted: 'True',
      resolvedRefs: 'Unknown',
      stale: false,
      conditions: [],
      generatedRouteError: {
        category: 'kubernetes',
        code: 'K8S_FORBIDDEN',
        severity: 'high',
        recoverable: false,
        origin: 'user',
        userMessage:
          "The cluster's RBAC does not allow the runner's identity to do this.",
        remediation: 'Grant the verb and resource the detail names.',
        detail: 'cannot get resource "httproutes"',
      },
    },
  ],
};

describe('GatewayBundlesTable', () => {
  it('shows why the generated HTTPRoute of a provider is unknown', async () => {
    await renderInTestApp(
      <GatewayBundlesTable
        label="Providers"
        bundles={[bundle]}
        permissions={{
          create: allowed,
          update: allowed,
          delete: allowed,
          import: allowed,
        }}
        onEdit={jest.fn()}
        onDelete={jest.fn()}
        onExport={jest.fn()}
        onHistory={jest.fn()}
      />,
    );
    const line = await screen.findByTestId('generated-route-error');
    expect(line).toHaveTextContent(
      "The generated HTTPRoute could not be read (K8S_FORBIDDEN): The cluster's RBAC does not allow",
    );
    expect(line).toHaveTextContent('Grant the verb and resource');
  });
});
