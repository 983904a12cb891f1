import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signInAs } from './signin';
import { e2ePort } from './ports';

// The watchlist section of the organiser console (issue 16) on `gatehouse serve --role admin`,
// port 18086 (the template editor's server: this spec touches only the person it imports).
// An attendee is pre-registered through the CLI; the organiser imports the services' list in
// the console and sees the hit explained: the list's line, the score, the reasons in words,
// "held for review", in French and in English. A file with a bad line imports nothing.
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const artifacts = join(here, '..', 'artifacts');
const cli = process.env.GATEHOUSE_BIN ?? join(root, 'target/debug/gatehouse');
const port = e2ePort(18086);
const station = `http://127.0.0.1:${port}`;

test.skip(process.env.GATEHOUSE_EXTERNAL_SERVER === '1', 'needs the admin server of the config and its database');
test.describe.configure({ mode: 'serial' });

function db(): string {
  return readFileSync(join(process.env.TMPDIR ?? tmpdir(), `gatehouse-e2e-${port}.db-path`), 'utf8').trim();
}

function gh(...args: string[]): string {
  return execFileSync(cli, ['--db', db(), ...args], { encoding: 'utf8' });
}

const LIST = [
  'Référence;Nom;Alias;Date de naissance;Nationalité;N° document;Note',
  'UN-QDi.777;Mohammed Ould Abdallahi-Zeine;Abou Fatima;12/03/1975;Mauritanie;P7654321;Financement du groupe',
  'UN-QDi.778;Ousmane Koudougou;;1969-05-04;ML;;',
].join('\n');

const BAD_LIST = ['Référence;Nom;Date de naissance', 'R1;Ali Traoré;1970-01-01', 'R2;Issa Koné;31/02/1970'].join('\n');

function file(name: string, text: string): { name: string; mimeType: string; buffer: Buffer } {
  return { name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') };
}

async function openWatchlist(page: Page): Promise<void> {
  await page.goto(`${station}/`);
  await expect(page).toHaveURL(/#\/admin$/);
  await signInAs(page, 'Admin démo', '1111');
  await page.getByTestId('admin-tab-watchlist').click();
  await expect(page.getByTestId('wl-count')).toBeVisible();
}

let serial = '';

test('a watchlist hit explained', async ({ page }) => {
  const dir = mkdtempSync(join(process.env.TMPDIR ?? tmpdir(), 'wl-'));
  const people = join(dir, 'inscrits.csv');
  // The listed person pre-registered under another spelling, names swapped.
  writeFileSync(people, 'Prénom;Nom;Catégorie;Pays;Date de naissance\nAbdallahi Zeine;Muhammad Ould;EXH;MR;12/03/1975\n');
  gh('import', people);
  const found = JSON.parse(gh('--json', 'search', 'Zeine')) as { serial: string }[];
  serial = found[0].serial;

  await openWatchlist(page);
  await page.getByTestId('wl-file').setInputFiles(file('liste-services.csv', LIST));
  await page.getByTestId('wl-import').click();
  await expect(page.getByTestId('wl-status')).toContainText('2 entrée(s) importée(s)');
  await expect(page.getByTestId('wl-count')).toContainText('2 entrée(s) sur la liste');

  const person = page.locator(`[data-testid="wl-person"][data-serial="${serial}"]`);
  await expect(person).toBeVisible();
  await expect(person.getByTestId('wl-held')).toHaveText("En attente d'examen");
  const hit = person.getByTestId('wl-hit').first();
  await expect(hit).toContainText('UN-QDi.777');
  await expect(hit).toContainText('Mohammed Ould Abdallahi-Zeine | Abou Fatima');
  await expect(hit.getByTestId('wl-score')).toHaveText(/Score (9\d|100)\/100/);
  const reasons = hit.getByTestId('wl-reasons');
  await expect(reasons).toContainText('même date de naissance');
  await expect(reasons).toContainText('même nationalité');
  await expect(reasons).toContainText('prénoms et nom inversés');
  await expect(reasons).toContainText('autre graphie');
  await page.screenshot({ path: join(artifacts, 'watchlist-hit-fr.png'), fullPage: true });

  await page.getByTestId('lang-en').click();
  await expect(person.getByTestId('wl-held')).toHaveText('Held for review');
  await expect(reasons).toContainText('same date of birth');
  await expect(reasons).toContainText('given and family names swapped');
  await page.screenshot({ path: join(artifacts, 'watchlist-hit-en.png'), fullPage: true });
});

test('a list with a bad line imports nothing and names the line', async ({ page }) => {
  await openWatchlist(page);
  await page.getByTestId('wl-file').setInputFiles(file('mauvaise-liste.csv', BAD_LIST));
  await page.getByTestId('wl-import').click();
  await expect(page.getByTestId('wl-status')).toContainText('Rien n\'est importé, la liste en place reste : 1 ligne(s) refusée(s).');
  const line = page.locator('[data-testid="wl-error"][data-line="3"]');
  await expect(line).toContainText('Date de naissance');
  await expect(line).toContainText('31/02/1970');
  // The list in place still holds the person.
  await expect(page.getByTestId('wl-count')).toContainText('2 entrée(s) sur la liste');
  await expect(page.locator(`[data-testid="wl-person"][data-serial="${serial}"]`)).toBeVisible();
  await page.screenshot({ path: join(artifacts, 'watchlist-refused-fr.png'), fullPage: true });
});
