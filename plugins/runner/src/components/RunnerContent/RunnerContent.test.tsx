import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { runnerApiRef, type RunnerApi } from '../../api';
import {
  healthReport,
  mockRunnerApi,
  runnableEntity,
} from '../../testing/fixtures';
import { backendError } from '../../testing/errors';
import { RunnerContent } from './RunnerContent';
import { dockerUnreachableMessage } from './DockerEngineCard';

function renderTab(api: RunnerApi, entity = runnableEntity) {
  return renderInTestApp(
    <EntityProvider entity={entity}>
      <RunnerContent />
    </EntityProvider>,
    { apis: [[runnerApiRef, api]] },
  );
}

describe('RunnerContent', () => {
  it('shows a reachable Docker engine, the runner annotations and no instances', async () => {
    const api = mockRunnerApi();
    renderTab(api);

    const tab = screen.getByTestId('runner-tab');
    expect(
      within(tab).getByRole('heading', { level: 2, name: 'Runner' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('Reachable, Docker 27.3.1'),
    ).toBeInTheDocument();
    expect(screen.getByText('unix:///var/run/docker.sock')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();

    const annotations = screen.getByRole('table', {
      name: 'Runner annotations',
    });
    const dockerfileRow = within(annotations)
      .getByText('Dockerfile', { selector: 'p' })
      .closest('tr')!;
    expect(dockerfileRow).toHaveTextContent('docker/Dockerfile');
    expect(annotations).toHaveTextContent('8080/tcp');
    expect(annotations).toHaveTextContent('/healthz');
    // The build context is not annotated: the documented default is shown.
    expect(annotations).toHaveTextContent('. (default)');

    expect(screen.getByText('No instances yet')).toBeInTheDocument();
    expect(api.getHealth).toHaveBeenCalledTimes(1);
  });

  it('says where Docker was looked for and why it did not answer', async () => {
    const docker = {
      reachable: false,
      endpoint: 'unix:///var/run/docker.sock',
      reason: 'connect ENOENT /var/run/docker.sock.',
    };
    renderTab(
      mockRunnerApi(async () => healthReport({ status: 'degraded', docker })),
    );

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      'No Docker engine answers at unix:///var/run/docker.sock: connect ENOENT /var/run/docker.sock. Start Docker (or set DOCKER_HOST) to run this component.',
    );
    expect(screen.getByText('Not reachable')).toBeInTheDocument();
  });

  it('shows an error panel when the runner backend fails, and retries on request', async () => {
    const error = await backendError(503, 'runner backend is starting');
    const api = mockRunnerApi();
    api.getHealth.mockRejectedValueOnce(error);
    renderTab(api);

    expect(
      await screen.findByText(/runner backend is starting/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Could not get the runner's health report/),
    ).toBeInTheDocument();

    fireEvent.click(
      screen.getByRole('button', { name: "Check the runner's health again" }),
    );
    expect(
      await screen.findByText('Reachable, Docker 27.3.1'),
    ).toBeInTheDocument();
    await waitFor(() => expect(api.getHealth).toHaveBeenCalledTimes(2));
  });
});

describe('dockerUnreachableMessage', () => {
  it('leaves out the colon when the backend gives no reason', () => {
    expect(
      dockerUnreachableMessage({
        reachable: false,
        endpoint: 'tcp://127.0.0.1:2375',
      }),
    ).toBe(
      'No Docker engine answers at tcp://127.0.0.1:2375. Start Docker (or set DOCKER_HOST) to run this component.',
    );
  });
});
