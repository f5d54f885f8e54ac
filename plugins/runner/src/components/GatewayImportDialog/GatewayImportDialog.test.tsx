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
});
