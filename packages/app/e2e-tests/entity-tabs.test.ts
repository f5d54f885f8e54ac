import { expect, test } from '@playwright/test';
import { signInAsGuest } from './signIn';

/*
 * Against the real app started by playwright.config.ts (frontend dev server,
 * backend with the examples on SQLite, the local dockerd): open an example
 * component and see the runner's three tabs. (Entity page tabs are links in 1.57.) Screenshots go to artifacts/.
 */

test('an example component shows the Runner, Gateway and Alerts tabs', async ({
  page,
}) => {
  await signInAsGuest(page);

  await page.goto('/catalog/default/component/hello-http');
  await expect(
    page.getByRole('heading', { name: 'Hello HTTP' }).first(),
  ).toBeVisible();

  await page.getByRole('link', { name: 'Runner', exact: true }).click();
  const runner = page.getByTestId('runner-tab');
  await expect(
    runner.getByRole('heading', { level: 2, name: 'Runner', exact: true }),
  ).toBeVisible();
  // The backend found the Docker engine that the test script started.
  await expect(runner.getByText(/Docker engine/).first()).toBeVisible();
  await expect(runner.getByText(/reachable|version/i).first()).toBeVisible();
  await page.screenshot({
    path: 'artifacts/screenshots/runner-tab.png',
    fullPage: true,
  });

  await page.getByRole('link', { name: 'Gateway', exact: true }).click();
  const gateway = page.getByTestId('gateway-tab');
  await expect(
    gateway.getByRole('heading', { level: 2, name: 'Gateway', exact: true }),
  ).toBeVisible();
  await expect(
    gateway.getByText(/No Kubernetes cluster is configured/),
  ).toBeVisible();
  await page.screenshot({
    path: 'artifacts/screenshots/gateway-tab.png',
    fullPage: true,
  });

  await page.getByRole('link', { name: 'Alerts', exact: true }).click();
  const alerts = page.getByTestId('alerts-tab');
  await expect(
    alerts.getByRole('heading', { level: 2, name: 'Alerts', exact: true }),
  ).toBeVisible();
  await page.screenshot({
    path: 'artifacts/screenshots/alerts-tab.png',
    fullPage: true,
  });
});

test('a component without runner annotations has no runner tabs', async ({
  page,
}) => {
  await signInAsGuest(page);
  // llm-gateway carries only gateway annotations: Gateway and Alerts, no Runner.
  await page.goto('/catalog/default/component/llm-gateway');
  await expect(
    page.getByRole('heading', { name: 'LLM gateway' }).first(),
  ).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'Gateway', exact: true }),
  ).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'Runner', exact: true }),
  ).toHaveCount(0);
});

test('start hello-http from the Runner tab, see it running, and stop it', async ({
  page,
}) => {
  await signInAsGuest(page);
  await page.goto('/catalog/default/component/hello-http/runner');
  const runner = page.getByTestId('runner-tab');

  await runner
    .getByRole('button', { name: 'Start an instance of hello-http' })
    .first()
    .click();
  // Built from examples/sources/hello-http by the real dockerd, then run.
  await expect(
    runner.getByText('running', { exact: true }).first(),
  ).toBeVisible({ timeout: 120_000 });
  const portLink = runner
    .getByRole('link', { name: /127\.0\.0\.1:\d+/ })
    .first();
  await expect(portLink).toBeVisible();
  const url = await portLink.getAttribute('href');
  const health = await page.request.get(`${url!.replace(/\/$/, '')}/healthz`);
  expect((await health.text()).trim()).toBe('ok');
  // The sampler runs every 10 s: the charts appear with the first samples.
  await expect(runner.getByRole('figure', { name: 'Memory' })).toBeVisible({
    timeout: 60_000,
  });
  await expect(runner.getByRole('figure', { name: 'CPU' })).toBeVisible();
  await page.screenshot({
    path: 'artifacts/screenshots/runner-tab-running.png',
    fullPage: true,
  });

  await runner
    .getByRole('button', { name: /^Stop instance/ })
    .first()
    .click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('hello-http');
  await dialog.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(
    runner.getByText('stopped', { exact: true }).first(),
  ).toBeVisible({ timeout: 60_000 });
  await page.screenshot({
    path: 'artifacts/screenshots/runner-tab-stopped.png',
    fullPage: true,
  });
});

test("the failing example's build error shows up categorized in the Alerts tab", async ({
  page,
}) => {
  await signInAsGuest(page);
  await page.goto('/catalog/default/component/broken-build/runner');
  const runner = page.getByTestId('runner-tab');
  await runner
    .getByRole('button', { name: 'Start an instance of broken-build' })
    .first()
    .click();
  await expect(runner.getByText('failed', { exact: true }).first()).toBeVisible(
    { timeout: 120_000 },
  );

  await page.getByRole('link', { name: 'Alerts', exact: true }).click();
  const alerts = page.getByTestId('alerts-tab');
  // The build-failure alert, and the error history with category, code and remediation.
  await expect(alerts.getByText('BUILD_STEP_FAILED').first()).toBeVisible({
    timeout: 30_000,
  });
  await expect(
    alerts.getByText(/missing file app\.conf|build step failed/i).first(),
  ).toBeVisible();
  await page.screenshot({
    path: 'artifacts/screenshots/alerts-tab.png',
    fullPage: true,
  });
});
