import { expect, test, type Page } from '@playwright/test';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { REAL_PINS, setRealPins, signInAs } from './signin';
import { e2ePort } from './ports';

// Two settings the organiser makes from the hub's console (issue 17): kiosk mode for one paired
// gate (asked on the Stations tab, carried to that gate by sync), and automatic backups into a
// folder every N minutes keeping the last K (the Backup tab: switched on, the last backup shown,
// switched off). The test starts its own hub and console (port 18107), so it also runs with
// GATEHOUSE_EXTERNAL_SERVER=1.
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const artifacts = join(here, '..', 'artifacts');
const cli = process.env.GATEHOUSE_BIN ?? join(root, 'target/debug/gatehouse');
const port = e2ePort(18107);
const console_ = `http://127.0.0.1:${port}`;

test.describe.configure({ mode: 'serial' });

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-e2e-settings-'));
const hubDb = join(dir, 'hub.db');
const gateDb = join(dir, 'gate.db');
const stick = join(dir, 'usb');
const processes: ChildProcess[] = [];

function on(db: string, ...args: string[]): string {
  return execFileSync(cli, ['--db', db, ...args], { encoding: 'utf8' });
}

async function up(url: string): Promise<void> {
  for (let i = 0; i < 150; i++) {
    const ok = await fetch(`${url}/api/event`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not start`);
}

async function signIn(page: Page): Promise<void> {
  await page.goto(`${console_}/`);
  await signInAs(page, 'Admin démo', REAL_PINS.admin);
  await expect(page.getByTestId('station-title')).toBeVisible();
}

test.beforeAll(async () => {
  on(hubDb, 'demo', '--attendees', '6', '--starting', 'today');
  setRealPins(cli, hubDb);
  const hub = spawn(cli, ['--db', hubDb, '--json', 'hub', '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'ignore'] });
  processes.push(hub);
  const stdout = hub.stdout;
  if (stdout === null) throw new Error('hub stdout');
  const first = await new Promise<string>((done) => createInterface({ input: stdout }).once('line', done));
  const hubUrl = (JSON.parse(first) as { url: string }).url;
  const code = (JSON.parse(on(hubDb, '--json', 'pair', '--role', 'gate', '--name', 'Porte Hall')) as { code: string }).code;
  on(gateDb, 'join', hubUrl, '--code', code);
  on(gateDb, 'sync');
  processes.push(spawn(cli, ['--db', hubDb, 'serve', '--listen', `127.0.0.1:${port}`, '--role', 'admin'], { stdio: 'ignore' }));
  await up(console_);
});

test.afterAll(() => {
  for (const p of processes) p.kill();
  rmSync(dir, { recursive: true, force: true });
});

test('the organiser sets kiosk mode for a paired gate, which receives it', async ({ page }) => {
  await signIn(page);
  await page.getByTestId('admin-tab-stations').click();
  const row = page.getByTestId('station-row').filter({ hasText: 'Porte Hall' });
  await expect(row.getByTestId('station-kiosk-asked')).toHaveText('non demandé');
  await row.getByTestId('station-kiosk-toggle').click();
  await expect(page.getByTestId('stations-status')).toContainText('« Porte Hall » passera en mode kiosque');
  await expect(row.getByTestId('station-kiosk-asked')).toHaveText('demandé');
  await expect(row.getByTestId('station-kiosk-applied')).toContainText('en attente du poste');
  await expect(row.getByTestId('station-kiosk-toggle')).toHaveText('Retirer le kiosque');
  await row.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(artifacts, 'console-kiosk-fr.png'), fullPage: true });

  // The gate receives it at its next sync (the hub logs the console's write within 200 ms).
  const gateId = execFileSync('sqlite3', [gateDb, 'SELECT uuid FROM station'], { encoding: 'utf8' }).trim();
  await expect
    .poll(
      () => {
        on(gateDb, 'sync');
        return execFileSync('sqlite3', ['-cmd', '.timeout 5000', gateDb, `SELECT kiosk FROM station_kiosk WHERE station = '${gateId}'`], {
          encoding: 'utf8',
        }).trim();
      },
      { timeout: 20_000 },
    )
    .toBe('1');

  await page.getByTestId('lang-en').click();
  await expect(row.getByTestId('station-kiosk-asked')).toHaveText('asked');
  await expect(page.getByTestId('stations-status')).toContainText('“Porte Hall” goes to kiosk mode at its next sync.');
  await expect(row.getByTestId('station-kiosk-applied')).toContainText('waiting for the station');
  await page.screenshot({ path: join(artifacts, 'console-kiosk-en.png'), fullPage: true });
  await page.getByTestId('lang-fr').click();
});

test('the organiser switches automatic backups on, sees the last one, and switches them off', async ({ page }) => {
  // The first backup is made at once, and a backup is slow by design (scrypt, VACUUM INTO):
  // past half a minute on a loaded machine.
  test.setTimeout(180_000);
  mkdirSync(stick);
  await signIn(page);
  await page.getByTestId('admin-tab-backup').click();
  await expect(page.getByTestId('backup-auto-off')).toHaveText('Sauvegardes automatiques arrêtées.');

  // A folder that is not there is refused, plainly.
  await page.getByTestId('backup-auto-folder').fill(join(dir, 'no-stick'));
  await page.getByTestId('backup-auto-every').fill('15');
  await page.getByTestId('backup-auto-keep').fill('3');
  await page.getByTestId('backup-auto-passphrase').fill('une phrase assez longue');
  await page.getByTestId('backup-auto-passphrase2').fill('une phrase assez longue');
  await page.getByTestId('backup-auto-save').click();
  await expect(page.getByTestId('backup-auto-problem')).toContainText('la clé USB est-elle branchée');

  await page.getByTestId('backup-auto-folder').fill(stick);
  await page.getByTestId('backup-auto-passphrase').fill('une phrase assez longue');
  await page.getByTestId('backup-auto-passphrase2').fill('une phrase assez longue');
  await page.getByTestId('backup-auto-save').click();
  await expect(page.getByTestId('backup-auto-on')).toContainText(`toutes les 15 min dans ${stick}, les 3 dernières gardées`);
  // The first backup is made at once; the screen shows it as it refreshes.
  await expect(page.getByTestId('backup-auto-last')).toContainText(stick, { timeout: 120_000 });
  const made = readdirSync(stick).filter((n) => n.endsWith('.gatehouse.age'));
  expect(made).toHaveLength(1);
  await expect(page.getByTestId('backup-auto-next')).toBeVisible();
  await page.screenshot({ path: join(artifacts, 'console-backup-auto-fr.png'), fullPage: true });
  await page.getByTestId('lang-en').click();
  await expect(page.getByTestId('backup-auto-on')).toContainText('every 15 min into');
  await page.screenshot({ path: join(artifacts, 'console-backup-auto-en.png'), fullPage: true });
  await page.getByTestId('lang-fr').click();

  await page.getByTestId('backup-auto-stop').click();
  await expect(page.getByTestId('backup-auto-off')).toBeVisible();
  // What was made stays; the passphrase was never written next to it.
  expect(existsSync(join(stick, made[0]))).toBe(true);
});
