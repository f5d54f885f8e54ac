import {
  configure,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import { mockRunnerApi } from '../../testing/fixtures';
import { backendError } from '../../testing/errors';
import { providerView } from '../../testing/gateway';
import { renderEntityTab } from '../../testing/__testUtils__/render';
import { ResponseError } from '@backstage/errors';
import { downloadText } from '../InstanceLogs/download';
import { GatewayWizard, type GatewayWizardProps } from './GatewayWizard';

jest.mock('../InstanceLogs/download', () => ({ downloadText: jest.fn() }));

const OPENAI_YAML = `apiVersion: v1
kind: Secret
metadata:
  name: openai-credentials
stringData:
  apiKey: set
---
apiVersion: aigateway.envoyproxy.io/v1beta1
kind: AIGatewayRoute
metadata:
  name: openai
`;
const NO_CLUSTER =
  'Cannot apply: no Kubernetes cluster is configured for the runner. Validate and download the YAML instead.';

function renderWizard(
  api = mockRunnerApi(),
  props: Partial<GatewayWizardProps> = {},
) {
  const onApplied = jest.fn();
  renderEntityTab(
    <GatewayWizard
      entityRef="component:default/hello"
      entityName="hello"
      kind="provider"
      defaultParent="infra/eg"
      permission={{ allowed: true }}
      onClose={() => undefined}
      onApplied={onApplied}
      {...props}
    />,
    api,
  );
  return { api, onApplied };
}

function next() {
  fireEvent.click(screen.getByRole('button', { name: 'Next' }));
}

async function fillOpenAI() {
  fireEvent.click(await screen.findByRole('radio', { name: /^OpenAI/ }));
  next();
  fireEvent.change(await screen.findByLabelText(/^Name/), {
    target: { value: 'openai' },
  });
  fireEvent.change(screen.getByLabelText(/^Model 1/), {
    target: { value: 'gpt-4o' },
  });
  const apiKey = await screen.findByLabelText(/^API key/);
  expect(apiKey).toHaveAttribute('type', 'password');
  fireEvent.change(apiKey, { target: { value: 'sk-test-secret' } });
}

// Several requests per step: room for a loaded CI machine.
configure({ asyncUtilTimeout: 15_000 });

describe('GatewayWizard', () => {
  it('builds an OpenAI input, previews its YAML and shows findings with their paths', async () => {
    const api = mockRunnerApi();
    api.exportGatewayProposal.mockResolvedValue(OPENAI_YAML);
    api.validateGatewayProposal.mockResolvedValue({
      status: 'invalid',
      valid: false,
      unverifiedKinds: [],
      findings: [
        {
          path: 'spec.rules[0].timeouts',
          message:
            'Invalid value: "object": backendRequest timeout cannot be longer than request timeout',
          severity: 'error',
          source: 'cel',
          object: {
            apiVersion: 'aigateway.envoyproxy.io/v1beta1',
            kind: 'AIGatewayRoute',
            name: 'openai',
          },
        },
        {
          path: 'hostnames[0]',
          message: 'Invalid value: not a host name',
          severity: 'warning',
          source: 'rule',
        },
      ],
      layers: {
        rules: 'passed',
        schema: 'failed',
        dryRun: 'skipped: no cluster is configured',
      },
    });
    renderWizard(api);

    expect(
      await screen.findByRole('radio', { name: /AWS Bedrock/ }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('radio', { name: /HTTPRoute/ }),
    ).not.toBeInTheDocument();
    await fillOpenAI();
    next();

    const yaml = await screen.findByLabelText('YAML preview');
    expect(yaml).toHaveTextContent('kind: AIGatewayRoute');
    expect(yaml).toHaveTextContent('apiKey: set');
    const proposal = {
      template: 'openai',
      input: {
        provider: 'openai',
        name: 'openai',
        models: [{ name: 'gpt-4o' }],
        credentials: { type: 'apiKey', apiKey: 'sk-test-secret' },
      },
    };
    expect(api.exportGatewayProposal).toHaveBeenCalledWith(
      'component:default/hello',
      proposal,
    );
    expect(document.body).not.toHaveTextContent('sk-test-secret');

    next();
    const findings = await screen.findByRole('list', {
      name: 'Validation findings',
    });
    expect(api.validateGatewayProposal).toHaveBeenCalledWith(
      'component:default/hello',
      proposal,
    );
    const [first, second] = within(findings).getAllByTestId('finding');
    expect(within(first).getByTestId('finding-path')).toHaveTextContent(
      'spec.rules[0].timeouts',
    );
    expect(first).toHaveTextContent('AIGatewayRoute openai');
    expect(first).toHaveTextContent('found by cel');
    expect(within(second).getByTestId('finding-path')).toHaveTextContent(
      'hostnames[0]',
    );
    expect(
      screen.getByText('1 error found: fix it before applying.'),
    ).toBeInTheDocument();
    // Errors block applying: Next says why instead of going on.
    expect(screen.getByRole('button', { name: 'Next' })).toHaveAttribute(
      'aria-disabled',
      'true',
    );
    expect(
      screen.getByText('Fix the 1 error first: errors block applying.'),
    ).toBeInTheDocument();
  });

  it('says which kinds were not verified and why, and lets the dry run check them on apply', async () => {
    const api = mockRunnerApi();
    api.exportGatewayProposal.mockResolvedValue(OPENAI_YAML);
    api.validateGatewayProposal.mockResolvedValue({
      status: 'unverified',
      valid: false,
      unverifiedKinds: [
        {
          apiVersion: 'aigateway.envoyproxy.io/v1beta1',
          kind: 'AIGatewayRoute',
          reason:
            'no CRD for AIGatewayRoute aigateway.envoyproxy.io/v1beta1 is loaded (schemas: none: no cluster and no runner.gateway.crdDirectories)',
        },
      ],
      findings: [],
      layers: {
        rules: 'ran',
        schema:
          'ran with none: no cluster and no runner.gateway.crdDirectories',
        dryRun: 'skipped: no cluster is configured',
      },
    });
    renderWizard(api);
    await fillOpenAI();
    next();
    await screen.findByLabelText('YAML preview');
    next();
    const verdict = await screen.findByTestId('gateway-verdict');
    expect(verdict).toHaveTextContent('Not verified');
    expect(verdict).toHaveTextContent(
      'AIGatewayRoute (aigateway.envoyproxy.io/v1beta1): no CRD for AIGatewayRoute aigateway.envoyproxy.io/v1beta1 is loaded',
    );
    expect(verdict).not.toHaveTextContent('Valid');
    // Not verified is no error: Next goes on, and the apply step says it again.
    expect(screen.getByRole('button', { name: 'Next' })).not.toHaveAttribute(
      'aria-disabled',
      'true',
    );
    next();
    expect(await screen.findByTestId('gateway-verdict')).toHaveTextContent(
      "Applying runs the cluster's dry run, which checks them.",
    );
    expect(screen.getByRole('button', { name: 'Apply' })).toBeInTheDocument();
  });

  it('shows the findings of an input the server cannot export yet', async () => {
    const api = mockRunnerApi();
    api.exportGatewayProposal.mockRejectedValue(
      await ResponseError.fromResponse(
        new Response(
          JSON.stringify({
            error: {
              name: 'GatewayValidationError',
              message: 'The proposal is invalid; nothing to export',
              findings: [
                {
                  path: 'credentials.apiKey',
                  message: 'Invalid value: expected string',
                  severity: 'error',
                  source: 'schema',
                },
              ],
            },
            response: { statusCode: 422 },
          }),
          { status: 422, headers: { 'Content-Type': 'application/json' } },
        ),
      ),
    );
    renderWizard(api);
    fireEvent.click(await screen.findByRole('radio', { name: /^OpenAI/ }));
    next();
    await screen.findByLabelText(/^Name/);
    next();
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      'The proposal is invalid; nothing to export',
    );
    expect(within(alert).getByTestId('finding-path')).toHaveTextContent(
      'credentials.apiKey',
    );
    expect(screen.getByRole('button', { name: 'Next' })).toHaveAttribute(
      'aria-disabled',
      'true',
    );
  });

  it('without a cluster, says why nothing can be applied and offers the YAML as a download', async () => {
    const api = mockRunnerApi();
    api.exportGatewayProposal.mockResolvedValue(OPENAI_YAML);
    renderWizard(api, { applyBlocked: NO_CLUSTER });
    await fillOpenAI();
    next();
    await screen.findByLabelText('YAML preview');
    next();
    await screen.findByText('No errors found.');
    next();

    expect(
      await screen.findByText(NO_CLUSTER, { selector: '.MuiAlert-message' }),
    ).toBeInTheDocument();
    const apply = screen.getByRole('button', { name: 'Apply' });
    expect(apply).toHaveAttribute('aria-disabled', 'true');
    expect(apply).toHaveAccessibleDescription(NO_CLUSTER);
    fireEvent.click(apply);
    expect(api.createGatewayBundle).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole('button', { name: 'Download YAML' }));
    expect(downloadText).toHaveBeenCalledWith('openai.yaml', OPENAI_YAML);
  });

  it('applies with a cluster and shows a 409 in words', async () => {
    const api = mockRunnerApi();
    api.exportGatewayProposal.mockResolvedValue(OPENAI_YAML);
    api.createGatewayBundle.mockRejectedValue(
      await backendError(409, "Bundle 'openai' already exists"),
    );
    renderWizard(api);
    await fillOpenAI();
    next();
    await screen.findByLabelText('YAML preview');
    next();
    await screen.findByText('No errors found.');
    next();
    fireEvent.click(await screen.findByRole('button', { name: 'Apply' }));
    expect(
      await screen.findByText("Bundle 'openai' already exists"),
    ).toBeInTheDocument();
    expect(api.createGatewayBundle).toHaveBeenCalledWith(
      'component:default/hello',
      'provider',
      expect.objectContaining({ provider: 'openai', name: 'openai' }),
    );
  });

  it('edits a live provider: prefilled, credentials kept when empty, diff before apply, stale offers reload', async () => {
    const api = mockRunnerApi();
    const live = providerView();
    api.exportGatewayProposal.mockResolvedValue(OPENAI_YAML);
    api.diffGatewayProposal.mockResolvedValue({
      againstLive: true,
      objects: [
        {
          object: {
            apiVersion: 'aigateway.envoyproxy.io/v1beta1',
            kind: 'AIGatewayRoute',
            name: 'openai',
          },
          action: 'update',
          changes: [
            { path: 'spec.hostnames', op: 'add', after: ['ai.example.com'] },
          ],
        },
      ],
      findings: [],
    });
    api.updateGatewayBundle.mockRejectedValue(
      await backendError(
        409,
        "'openai' changed since you read it: AIGatewayRoute/openai (resourceVersion 4 → 9; changed: spec.rules)",
      ),
    );
    api.getGatewayBundle.mockResolvedValue({
      ...live,
      resourceVersions: { 'AIGatewayRoute/openai': '9' },
    });
    renderWizard(api, { editing: live });

    expect(await screen.findByLabelText(/^Name/)).toHaveValue('openai');
    expect(screen.getByLabelText(/^Name/)).toBeDisabled();
    expect(screen.getByLabelText(/^Model 1/)).toHaveValue('gpt-4o');
    expect(screen.getByLabelText(/^Parent Gateway/)).toHaveValue('infra/eg');
    expect(screen.getByLabelText(/^API key/)).toHaveValue('');
    expect(
      screen.getByText(/Leave them empty to keep the ones the cluster has/),
    ).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText(/^Host names/), {
      target: { value: 'ai.example.com' },
    });
    next();
    await screen.findByLabelText('YAML preview');
    next();
    await screen.findByText('No errors found.');
    next();
    const diff = await screen.findByRole('table', {
      name: 'Changes against the live objects',
    });
    expect(diff).toHaveTextContent('AIGatewayRoute openai');
    expect(diff).toHaveTextContent('spec.hostnames');
    fireEvent.click(screen.getByRole('button', { name: 'Apply changes' }));
    const alert = await screen.findByText(/changed since you read it/);
    expect(alert).toHaveTextContent('changed: spec.rules');
    expect(api.updateGatewayBundle).toHaveBeenCalledWith(
      'component:default/hello',
      'provider',
      'openai',
      {
        input: {
          provider: 'openai',
          name: 'openai',
          parentGateway: { namespace: 'infra', name: 'eg' },
          models: [{ name: 'gpt-4o' }],
          hostnames: ['ai.example.com'],
          credentials: { type: 'apiKey' },
        },
        resourceVersions: live.resourceVersions,
      },
    );
    fireEvent.click(screen.getByRole('button', { name: 'Reload' }));
    expect(
      await screen.findByText(/Reloaded: the form now shows the bundle/),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByLabelText(/^Host names/)).toHaveValue(''),
    );
  });
});
