import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { runnerApiRef } from '../../api';
import { mockRunnerApi } from '../../testing/fixtures';
import { backendError } from '../../testing/errors';
import {
  effectiveConfig,
  HELLO_REF,
  SECRET_VALUE,
} from '../../testing/instances';
import { EffectiveConfigCard } from './EffectiveConfigCard';

function renderCard(api = mockRunnerApi()) {
  const result = renderInTestApp(
    <EffectiveConfigCard entityRef={HELLO_REF} />,
    {
      apis: [[runnerApiRef, api]],
    },
  );
  return { api, ...result };
}

describe('EffectiveConfigCard', () => {
  it('shows each section with values and where they came from', async () => {
    const { api } = renderCard();

    const docker = await screen.findByRole('table', { name: 'Docker config' });
    const memory = within(docker)
      .getByText('resourceLimits.memoryBytes')
      .closest('tr')!;
    expect(memory).toHaveTextContent('512 MiB');
    expect(memory).toHaveTextContent('from app-config');

    const build = screen.getByRole('table', { name: 'Build config' });
    const dockerfile = within(build).getByText('dockerfile').closest('tr')!;
    expect(dockerfile).toHaveTextContent('docker/Dockerfile');
    expect(dockerfile).toHaveTextContent('from annotation');
    expect(api.getEffectiveConfig).toHaveBeenCalledWith(HELLO_REF);
  });

  it('shows secrets as "set" and never their value', async () => {
    const api = mockRunnerApi();
    const config = effectiveConfig();
    // Even a backend that forgot to redact must not put it on screen.
    config.run.secretEnv = { API_TOKEN: SECRET_VALUE };
    api.getEffectiveConfig.mockResolvedValue(config);
    const { container } = renderCard(api);

    const run = await screen.findByRole('table', { name: 'Run config' });
    const secret = within(run).getByText('secretEnv.API_TOKEN').closest('tr')!;
    expect(secret).toHaveTextContent('set');
    expect(within(secret).getByLabelText('secret')).toBeInTheDocument();
    expect(container.innerHTML).not.toContain(SECRET_VALUE);
    // Plain env values are shown as they are.
    expect(run).toHaveTextContent('debug');
  });

  it('shows the backend message when the config cannot be computed', async () => {
    const api = mockRunnerApi();
    api.getEffectiveConfig.mockRejectedValue(
      await backendError(
        400,
        "Annotation runner.backstage.io/ports: '80x' is not a port",
      ),
    );
    renderCard(api);

    expect(
      await screen.findByText(/Could not compute the effective config/),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/runner.backstage.io\/ports: '80x' is not a port/)
        .length,
    ).toBeGreaterThan(0);
    expect(screen.getByRole('button', { name: 'Try again' })).toBeEnabled();
  });
});
