import { expect, test } from '@playwright/test';
import { signInAsGuest } from './signIn';

/*
 * The Gateway tab against the real app and backend, which run without a
 * Kubernetes cluster: build an OpenAI provider bundle for llm-gateway, see
 * the server's validation findings with their paths, fix them, and export
 * the YAML (Secrets redacted). Nothing can be applied, and the page says so.
 */

const SECRET = 'sk-e2e-do-not-show-0123456789';

test('gateway: build an OpenAI provider bundle without a cluster, fix its findings and export the YAML', async ({
  page,
}) => {
  await signInAsGuest(page);
  await page.goto('/catalog/default/component/llm-gateway/gateway');
  const tab = page.getByTestId('gateway-tab');
  await expect(
    tab.getByRole('heading', { level: 2, name: 'Gateway', exact: true }),
  ).toBeVisible();
  await expect(
    tab.getByText(/No Kubernetes cluster is configured/),
  ).toBeVisible();

  await tab.getByRole('button', { name: 'Add provider' }).click();
  const wizard = tab.getByTestId('gateway-wizard');
  await wizard.getByRole('radio', { name: /^OpenAI/ }).check();
  await wizard.getByRole('button', { name: 'Next' }).click();

  // First attempt: an invalid host name and no API key.
  await wizard.getByLabel(/^Name/).fill('openai');
  await wizard.getByLabel(/^Model 1/).fill('gpt-4o-mini');
  await wizard.getByLabel(/^Host names/).fill('Bad_Host');
  await expect(wizard.getByLabel(/^API key/)).toHaveAttribute(
    'type',
    'password',
  );
  await wizard.getByRole('button', { name: 'Next' }).click();

  const problems = wizard.getByRole('alert');
  await expect(problems).toContainText('nothing to export');
  const paths = problems.getByTestId('finding-path');
  await expect(paths.filter({ hasText: 'hostnames[0]' })).toHaveCount(1);
  await expect(paths.filter({ hasText: 'credentials.apiKey' })).toHaveCount(1);
  await expect(wizard.getByRole('button', { name: 'Next' })).toHaveAttribute(
    'aria-disabled',
    'true',
  );

  // Fix them.
  await wizard.getByRole('button', { name: 'Back' }).click();
  await wizard.getByLabel(/^Host names/).fill('ai.example.com');
  await wizard.getByLabel(/^API key/).fill(SECRET);
  await wizard.getByRole('button', { name: 'Next' }).click();

  const preview = wizard.getByLabel('YAML preview');
  await expect(preview).toContainText('kind: AIGatewayRoute');
  await expect(preview).toContainText('ai.example.com');
  await expect(preview).not.toContainText(SECRET);
  await expect(page.getByText(SECRET)).toHaveCount(0);

  await wizard.getByRole('button', { name: 'Next' }).click();
  await expect(wizard.getByText('No errors found.')).toBeVisible();
  await expect(
    wizard.getByTestId('finding').filter({ hasText: 'Error' }),
  ).toHaveCount(0);

  await wizard.getByRole('button', { name: 'Next' }).click();
  await expect(
    wizard
      .getByText(/Cannot apply: no Kubernetes cluster is configured/)
      .first(),
  ).toBeVisible();
  await expect(wizard.getByRole('button', { name: 'Apply' })).toHaveAttribute(
    'aria-disabled',
    'true',
  );

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    wizard.getByRole('button', { name: 'Download YAML' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('openai.yaml');
  // Read through Playwright's stream: frontend packages may not import fs.
  let yaml = '';
  for await (const chunk of await download.createReadStream()) {
    yaml += chunk.toString();
  }
  expect(yaml).toContain('kind: AIGatewayRoute');
  expect(yaml).toContain('kind: Secret');
  expect(yaml).not.toContain(SECRET);

  // The YAML preview on screen for the screenshot.
  await wizard.getByRole('button', { name: 'Back' }).click();
  await wizard.getByRole('button', { name: 'Back' }).click();
  await expect(preview).toContainText('kind: AIGatewayRoute');
  await page.screenshot({
    path: 'artifacts/screenshots/gateway-tab.png',
    fullPage: true,
  });
});
