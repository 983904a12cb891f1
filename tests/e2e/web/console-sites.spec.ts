import { expect, test, type Page } from '@playwright/test';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { REAL_PINS, setRealPins, signInAs } from './signin';
import { e2ePort } from './ports';

// Sites on the central hub's console (issue 18, docs/SCALE.md "Sites"): the organiser makes a
// pairing code for a site's hub on the Stations tab; a site hub paired with it (and serving a gate
// of its own) relays to the central hub, and the Sites panel shows its link up, the station it
// relays and its backlog both ways, in French and English. The test starts its own central hub,
// site hub and console (port 18108), so it also runs with GATEHOUSE_EXTERNAL_SERVER=1.
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const artifacts = join(here, '..', 'artifacts');
const cli = process.env.GATEHOUSE_BIN ?? join(root, 'target/debug/gatehouse');
const port = e2ePort(18108);
const console_ = `http://127.0.0.1:${port}`;

test.describe.configure({ mode: 'serial' });

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-e2e-sites-'));
const centralDb = join(dir, 'central.db');
const siteDb = join(dir, 'site.db');
const gateDb = join(dir, 'gate.db');
const processes: ChildProcess[] = [];

function on(db: string, ...args: string[]): string {
  return execFileSync(cli, ['--db', db, ...args], { encoding: 'utf8' });
}

async function hub(db: string): Promise<string> {
  const p = spawn(cli, ['--db', db, '--json', 'hub', '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'ignore'] });
  processes.push(p);
  const stdout = p.stdout;
  if (stdout === null) throw new Error('hub stdout');
  const first = await new Promise<string>((done) => createInterface({ input: stdout }).once('line', done));
  return (JSON.parse(first) as { url: string }).url;
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
  on(centralDb, 'demo', '--attendees', '6', '--starting', 'today');
  setRealPins(cli, centralDb);
  const centralUrl = await hub(centralDb);
  const code = (JSON.parse(on(centralDb, '--json', 'pair', '--role', 'site', '--name', 'Site Lyon')) as { code: string }).code;
  on(siteDb, 'join', centralUrl, '--code', code);
  on(siteDb, 'sync');
  const siteUrl = await hub(siteDb);
  const gateCode = (JSON.parse(on(siteDb, '--json', 'pair', '--role', 'gate', '--name', 'Porte Lyon')) as { code: string }).code;
  on(gateDb, 'join', siteUrl, '--code', gateCode);
  on(gateDb, 'sync');
  processes.push(spawn(cli, ['--db', centralDb, 'serve', '--listen', `127.0.0.1:${port}`, '--role', 'admin'], { stdio: 'ignore' }));
  await up(console_);
});

test.afterAll(() => {
  for (const p of processes) p.kill();
  rmSync(dir, { recursive: true, force: true });
});

test('the central hub shows each site, its link and its backlog', async ({ page }) => {
  await signIn(page);
  await page.getByTestId('admin-tab-stations').click();
  const row = page.getByTestId('site-row').filter({ hasText: 'Site Lyon' });
  // The site hub's relay loop declares its gate: one station relayed, link up.
  await expect(async () => {
    await page.getByTestId('admin-tab-stations').click();
    await expect(row.getByTestId('site-relays')).toHaveText('1', { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await expect(row.getByTestId('site-link')).toHaveText('en service');
  await expect(row.getByTestId('site-unsent')).toHaveText('0');
  await expect(page.getByTestId('station-row').filter({ hasText: 'Site Lyon' })).toContainText('hub de site');
  mkdirSync(artifacts, { recursive: true });
  await page.getByTestId('sites').screenshot({ path: join(artifacts, 'console-sites-fr.png') });
  await page.getByTestId('lang-en').click();
  await expect(row.getByTestId('site-link')).toHaveText('up');
  await expect(page.getByTestId('sites')).toContainText('Not relayed up yet');
  await page.getByTestId('sites').screenshot({ path: join(artifacts, 'console-sites-en.png') });
  await page.getByTestId('lang-fr').click();
});

test('the organiser makes a pairing code for a site hub', async ({ page }) => {
  await signIn(page);
  await page.getByTestId('admin-tab-stations').click();
  await page.getByTestId('pair-role').selectOption('site');
  await page.getByTestId('pair-name').fill('Site Marseille');
  await page.getByTestId('pair-create').click();
  await expect(page.getByTestId('pair-code')).toContainText('hub de site · Site Marseille');
  const open = page.getByTestId('open-codes');
  await expect(open).toContainText('Site Marseille');
  await expect(open).toContainText('hub de site');
  // The CLI sees the same code as a site's.
  const codes = JSON.parse(on(centralDb, '--json', 'pair', '--list')) as { role: string; name: string | null }[];
  expect(codes.some((c) => c.role === 'site' && c.name === 'Site Marseille')).toBe(true);
});
