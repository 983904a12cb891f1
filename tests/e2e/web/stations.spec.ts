import { expect, test, type Page } from '@playwright/test';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { REAL_PINS, setRealPins, signInAs } from './signin';
import { e2ePort } from './ports';

// The console's stations tab on `gatehouse serve --role admin` (port 18087): the test runs
// `gatehouse hub` on the server's own database, pairs a gate with a code made on the
// screen (its QR shown), and checks what the organiser sees: the station, its role and
// backlog, a revocation's reach before and after the gate syncs, and un-pairing.
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const artifacts = join(here, '..', 'artifacts');
const cli = process.env.GATEHOUSE_BIN ?? join(root, 'target/debug/gatehouse');
const port = e2ePort(18087);
const station = `http://127.0.0.1:${port}`;

test.skip(process.env.GATEHOUSE_EXTERNAL_SERVER === '1', 'needs the server of the config and its database');
test.describe.configure({ mode: 'serial' });

function hubDb(): string {
  return readFileSync(join(process.env.TMPDIR ?? tmpdir(), `gatehouse-e2e-${port}.db-path`), 'utf8').trim();
}

let hub: ChildProcess | null = null;
let hubUrl = '';
const gateDir = mkdtempSync(join(tmpdir(), 'gatehouse-e2e-gate-'));
const gateDb = join(gateDir, 'gate.db');

function onGate(...args: string[]): string {
  return execFileSync(cli, ['--db', gateDb, ...args], { encoding: 'utf8' });
}

async function signIn(page: Page): Promise<void> {
  await page.goto(`${station}/`);
  await signInAs(page, 'Admin démo', REAL_PINS.admin);
  await expect(page.getByTestId('station-title')).toBeVisible();
}

test.beforeAll(async () => {
  // No hub with the demo's published PINs: the organiser gives each account a real one.
  setRealPins(cli, hubDb());
  hub = spawn(cli, ['--db', hubDb(), '--json', 'hub', '--listen', '127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const stdout = hub.stdout;
  if (stdout === null) throw new Error('hub stdout');
  const first = await new Promise<string>((done) => createInterface({ input: stdout }).once('line', done));
  hubUrl = (JSON.parse(first) as { url: string }).url;
});

test.afterAll(() => {
  hub?.kill();
  rmSync(gateDir, { recursive: true, force: true });
});

test('the hub pairs a gate from the screen and lists it with its backlog', async ({ page }) => {
  await signIn(page);
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-mode', 'hub');
  await page.getByTestId('admin-tab-stations').click();
  await expect(page.getByTestId('stations-empty')).toBeVisible();

  await page.getByTestId('pair-role').selectOption('gate');
  await page.getByTestId('pair-name').fill('Porte Hall');
  await page.getByTestId('pair-create').click();
  await expect(page.getByTestId('pair-qr')).toBeVisible();
  const qr = await page.getByTestId('pair-qr').evaluate((img: HTMLImageElement) => img.naturalWidth);
  expect(qr).toBeGreaterThan(100);
  const code = (await page.getByTestId('pair-code-text').textContent())?.trim() ?? '';
  expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\.[0-9a-f]{64}$/);
  const short = (await page.getByTestId('pair-secret').textContent())?.trim() ?? '';
  expect(code.startsWith(`${short}.`)).toBe(true);
  await expect(page.getByTestId('pair-command')).toContainText(`gatehouse join ${hubUrl} ${short}`);
  await page.screenshot({ path: join(artifacts, 'stations-code-fr.png'), fullPage: true });

  const joined = JSON.parse(onGate('--json', 'join', hubUrl, '--code', code)) as { role: string };
  expect(joined.role).toBe('gate');
  onGate('sync');

  const row = page.getByTestId('station-row');
  await expect(row).toHaveCount(1, { timeout: 10_000 });
  await expect(row).toContainText('Porte Hall');
  await expect(row).toContainText('contrôle');
  await expect(row.getByTestId('station-backlog')).toHaveText('0');
  // The code it spent is no longer open.
  await expect(page.getByTestId('pair-spent')).toHaveText('Ce code n’est plus ouvert : il a servi ou a été annulé.');
  await expect(page.getByTestId('open-codes-none')).toBeVisible();
  await page.screenshot({ path: join(artifacts, 'stations-list-fr.png'), fullPage: true });

  // The live dashboard shows the stations' freshness too.
  await page.getByTestId('admin-tab-dashboard').click();
  const fresh = page.getByTestId('dash-station');
  await expect(fresh).toHaveCount(1);
  await expect(fresh).toContainText('Porte Hall');
  await expect(fresh).toHaveAttribute('data-online', 'true');
  await page.getByTestId('dash-stations').screenshot({ path: join(artifacts, 'stations-dashboard-fr.png') });
});

test('a revocation shows which stations have received it', async ({ page }) => {
  execFileSync(cli, ['--db', hubDb(), 'revoke', 'BMX-000003', '--reason', 'perdu'], { encoding: 'utf8' });
  await page.waitForTimeout(600); // the running hub logs it
  await signIn(page);
  await page.getByTestId('admin-tab-revocations').click();
  const cell = page.locator('[data-testid="rev-row"][data-serial="BMX-000003"] [data-testid="rev-reach"]');
  await expect(cell).toContainText('0/1');
  await cell.locator('summary').click();
  await expect(cell).toContainText('Porte Hall');
  onGate('sync');
  await expect(cell).toContainText('1/1', { timeout: 10_000 });
  await page.screenshot({ path: join(artifacts, 'stations-reach-fr.png'), fullPage: true });

  await page.getByTestId('admin-tab-stations').click();
  await expect(page.getByTestId('station-row').getByTestId('station-backlog')).toHaveText('0');
});

test('un-pairing a station stops its credential', async ({ page }) => {
  await signIn(page);
  await page.getByTestId('admin-tab-stations').click();
  await page.getByTestId('station-unpair').click();
  await page.getByTestId('station-unpair-yes').click();
  await expect(page.getByTestId('stations-status')).toContainText('Porte Hall');
  await expect(page.getByTestId('station-row')).toContainText('désappairé');
  // Said again in the language chosen afterwards.
  await page.getByTestId('lang-en').click();
  await expect(page.getByTestId('stations-status')).toHaveText('"Porte Hall" is unpaired.');
  await page.getByTestId('lang-fr').click();
  await expect(page.getByTestId('stations-status')).toHaveText('« Porte Hall » est désappairé.');
  const r = spawnSync(cli, ['--db', gateDb, 'sync'], { encoding: 'utf8' });
  expect(r.status).toBe(1);
  expect(r.stderr).toContain("l'accréditation de ce poste est inconnue ou a été révoquée");
});
