import { expect, type Page } from '@playwright/test';

/** Signs in through the app's guest sign-in page and waits for the catalog link. */
export async function signInAsGuest(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page.getByRole('link', { name: 'Catalog' }).first(),
  ).toBeVisible();
}
