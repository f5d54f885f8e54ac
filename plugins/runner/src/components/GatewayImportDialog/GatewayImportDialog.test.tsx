import { fireEvent, screen, within } from '@testing-library/react';
import { ResponseError } from '@backstage/errors';
import { mockRunnerApi } from '../../testing/fixtures';
import { renderEntityTab } from '../../testing/__testUtils__/render';
import { GatewayImportDialog } from './GatewayImportDialog';

describe('GatewayImportDialog', () => {
  it('sends the YAML and shows parse errors next to their line numbers', async () => {
    const api = mockRunnerApi();
    api.importGatewayYaml.mockRejectedValue(
      await ResponseError.fromResponse(
        new Response(
          JSON.stringify({
            error: {
              name: 'GatewayImportError',
              message:
                'The YAML cannot be imported: 1 problem(s); nothing was changed',
              findings: [
                {
                  path: '',
                  message:
                    'Nested mappings are not allowed in compact mappings',
                  severity: 'error',
                  source: 'yaml',
                  document: 0,
                  line: 3,
                  column: 7,
                },
              ],
            },
            response: { statusCode: 400 },
          }),
          { status: 400, headers: { 'Content-Type': 'application/json' } },
        ),
      ),
    );
    renderEntityTab(
      <GatewayImportDialog
        open
        entityRef="component:default/hello"
        onClose={() => undefined}
        onImported={() => undefined}
      />,
      api,
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Import gateway YAML',
    });
    const yaml = 'kind: HTTPRoute\nmetadata:\n  name: a: b\n';
    fireEvent.change(within(dialog).getByLabelText('YAML to import'), {
      target: { value: yaml },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Import' }));
    const alert = await within(dialog).findByRole('alert');
    expect(api.importGatewayYaml).toHaveBeenCalledWith(
      'component:default/hello',
      yaml,
    );
    expect(alert).toHaveTextContent('Nothing was imported');
    const finding = within(alert).getByTestId('finding');
    expect(finding).toHaveTextContent('Nested mappings are not allowed');
    expect(finding).toHaveTextContent('line 3, column 7');
    expect(finding).toHaveTextContent('document 1');
  });

  it('validates without importing: valid, not verified (which kinds, why) or invalid', async () => {
    const api = mockRunnerApi();
    renderEntityTab(
      <GatewayImportDialog
        open
        entityRef="component:default/hello"
        disabledReason="Cannot import: no Kubernetes cluster is configured"
        onClose={() => undefined}
        onImported={() => undefined}
      />,
      api,
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Import gateway YAML',
    });
    const yaml =
      'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: web}\n';
    fireEvent.change(within(dialog).getByLabelText('YAML to import'), {
      target: { value: yaml },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Validate' }));
    expect(
      await within(dialog).findByTestId('gateway-verdict'),
    ).toHaveTextContent('Valid');
    expect(api.validateGatewayProposal).toHaveBeenCalledWith(
      'component:default/hello',
      { yaml },
    );
    expect(api.importGatewayYaml).not.toHaveBeenCalled();

    api.validateGatewayProposal.mockResolvedValueOnce({
      status: 'unverified',
      valid: false,
      unverifiedKinds: [
        {
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind: 'HTTPRoute',
          reason: 'no CRD for HTTPRoute gateway.networking.k8s.io/v1 is loaded',
        },
      ],
      findings: [
        {
          path: '',
          message:
            'no CRD for HTTPRoute gateway.networking.k8s.io/v1 is loaded; its schema and CEL rules were not checked',
          severity: 'warning',
          source: 'schema',
          object: {
            apiVersion: 'gateway.networking.k8s.io/v1',
            kind: 'HTTPRoute',
            name: 'web',
          },
        },
      ],
      layers: { rules: 'ran', schema: 'ran with none', dryRun: 'skipped' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Validate' }));
    const verdict = await within(dialog).findByText('Not verified');
    expect(
      verdict.closest('[data-testid="gateway-verdict"]'),
    ).toHaveTextContent(
      'HTTPRoute (gateway.networking.k8s.io/v1): no CRD for HTTPRoute gateway.networking.k8s.io/v1 is loaded',
    );
    expect(
      within(dialog).getByRole('list', { name: 'Validation findings' }),
    ).toHaveTextContent('found by schema');

    api.validateGatewayProposal.mockResolvedValueOnce({
      status: 'invalid',
      valid: false,
      unverifiedKinds: [],
      findings: [
        {
          path: 'spec.hostnames[0]',
          message:
            'Invalid value: "Bad": must be a lowercase RFC 1123 host name',
          severity: 'error',
          source: 'rule',
        },
      ],
      layers: { rules: 'ran', schema: 'ran', dryRun: 'skipped' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Validate' }));
    expect(
      await within(dialog).findByText('1 error found: fix it before applying.'),
    ).toBeInTheDocument();
  });
});
