import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';

// Screenshots for people to look at: tests/e2e/artifacts/ (gitignored).
const artifacts = join(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts');
mkdirSync(artifacts, { recursive: true });

test('home screen: event, languages, dates, gate station', async ({ page }) => {
  // A fresh browser profile: no language saved yet, so French is the default.
  await page.goto('/');

  const name = page.getByTestId('event-name');
  await expect(name).toHaveText("BAMEX'25");
  await expect(page.getByRole('heading', { level: 1 })).toHaveText("BAMEX'25");
  await expect(page.getByText('Gatehouse', { exact: true })).toBeVisible();

  // French by default.
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByTestId('lang-fr')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('lang-en')).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('role-desk')).toContainText('Accueil / enregistrement');
  await expect(page.getByTestId('role-gate')).toContainText('Ouvrir le contrôle');
  await expect(page.getByTestId('role-admin')).toContainText('Organisateur');
  await expect(page.getByText("Contrôle d'accès", { exact: true })).toBeVisible();

  // The dates and the venue show; French month names, a year.
  const dates = page.getByTestId('event-dates');
  await expect(dates).toHaveText(/\d{1,2}.*\d{4}/);
  await expect(dates).toHaveText(
    /(janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)/,
  );
  await expect(page.getByTestId('event-venue')).toContainText('Bamako');
  await expect(page.getByTestId('gate-zone').locator('option[value="HALL"]')).toHaveText("Hall d'exposition");
  await page.screenshot({ path: join(artifacts, 'home-fr.png'), fullPage: true });

  // Switch to English: visible strings, <html lang> and the dates change.
  await page.getByTestId('lang-en').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByTestId('lang-en')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('role-desk')).toContainText('Registration desk');
  await expect(page.getByTestId('role-admin')).toContainText('Organiser');
  await expect(dates).toHaveText(
    /(January|February|March|April|May|June|July|August|September|October|November|December)/,
  );
  await expect(page.getByTestId('gate-zone').locator('option[value="HALL"]')).toHaveText('Exhibition hall');
  await expect(name).toHaveText("BAMEX'25");
  await page.screenshot({ path: join(artifacts, 'home-en.png'), fullPage: true });

  // The choice survives a reload (localStorage)…
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByTestId('role-desk')).toContainText('Registration desk');

  // …and back to French.
  await page.getByTestId('lang-fr').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByTestId('role-desk')).toContainText('Accueil / enregistrement');

  // Gate station for the exhibition hall.
  await page.getByTestId('gate-zone').selectOption('HALL');
  await page.getByTestId('role-gate').click();
  await expect(page).toHaveURL(/#\/gate\/HALL$/);
  const title = page.getByTestId('station-title');
  await expect(title).toContainText("Contrôle d'accès");
  await expect(title).toContainText("Hall d'exposition");
  await expect(page.getByTestId('station-back')).toHaveText(/Changer de poste/);
  await page.screenshot({ path: join(artifacts, 'gate-placeholder.png'), fullPage: true });

  // Back to the role chooser.
  await page.getByTestId('station-back').click();
  await expect(page.getByTestId('role-gate')).toBeVisible();
  await expect(page).toHaveURL(/#\/$/);
});

test('desk and organiser stations open and go back', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('role-desk').click();
  await expect(page).toHaveURL(/#\/desk$/);
  // Each station asks who is signing in first (then their PIN), under the station's own name.
  await expect(page.getByTestId('station-title')).toContainText('Accueil');
  await expect(page.getByTestId('signin-search')).toBeVisible();
  await page.getByTestId('station-back').click();

  await page.getByTestId('role-admin').click();
  await expect(page).toHaveURL(/#\/admin$/);
  await expect(page.getByTestId('station-title')).toContainText(/organisat/i);
  await expect(page.getByTestId('signin-search')).toBeVisible();
  await page.getByTestId('station-back').click();
  await expect(page.getByTestId('event-name')).toHaveText("BAMEX'25");
});
