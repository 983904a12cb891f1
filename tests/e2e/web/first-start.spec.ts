import { expect, test, type Page } from '@playwright/test';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { setRealPins, signInAs } from './signin';

// The first start of an installed station: `gatehouse serve` on a database with no event, no
// account and no hub shows a short choice rather than the demo. Each test serves a fresh
// database of its own on a free port (no fixed port of the config).
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const artifacts = join(here, '..', 'artifacts');
const cli = process.env.GATEHOUSE_BIN ?? join(root, 'target/debug/gatehouse');

test.skip(process.env.GATEHOUSE_EXTERNAL_SERVER === '1', 'serves databases of its own');

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-e2e-first-'));
const running: ChildProcess[] = [];

/** Starts `gatehouse … ARGS` and resolves with its first stdout line. */
async function started(args: string[]): Promise<string> {
  const child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  running.push(child);
  const stdout = child.stdout;
  if (stdout === null) throw new Error('no stdout');
  return new Promise<string>((done, fail) => {
    createInterface({ input: stdout }).once('line', done);
    child.once('exit', () => fail(new Error(`gatehouse ${args.join(' ')} stopped`)));
  });
}

/** A fresh station served on a free port: its address. */
async function freshStation(name: string): Promise<string> {
  const line = await started(['--db', join(dir, `${name}.db`), 'serve', '--listen', '127.0.0.1:0']);
  expect(line).toContain('premier démarrage');
  return /http:\/\/[^/\s]+/.exec(line)?.[0] ?? '';
}

test.afterAll(() => {
  for (const child of running) child.kill();
  rmSync(dir, { recursive: true, force: true });
});

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, name), fullPage: true });
}

async function toEnglish(page: Page): Promise<void> {
  await page.getByTestId('lang-en').click();
}

test('an empty station offers three choices, in French and in English, and each first screen', async ({ page }) => {
  const base = await freshStation('choices');
  await page.goto(`${base}/`);
  const first = page.getByTestId('first-start');
  await expect(first).toContainText('Bienvenue : ce poste est neuf');
  await expect(page.getByTestId('first-demo')).toContainText('Essayer la démo');
  await expect(page.getByTestId('first-create')).toContainText('Créer un événement');
  await expect(page.getByTestId('first-join')).toContainText('Rejoindre un hub');
  // Not the demo: no event name, no demo-PIN banner.
  await expect(page.getByTestId('event-name')).toHaveCount(0);
  await expect(page.getByTestId('demo-pins-banner')).toHaveCount(0);
  await shot(page, 'first-start-fr.png');

  await page.getByTestId('first-demo').click();
  await expect(page.getByTestId('first-demo-screen')).toContainText('codes PIN de démonstration sont publics');
  await page.getByTestId('first-back').click();
  await page.getByTestId('first-create').click();
  await expect(page.getByTestId('first-create-screen')).toContainText('Nom de l’événement');
  await expect(page.getByTestId('first-pin')).toBeVisible();
  await page.getByTestId('first-back').click();
  await page.getByTestId('first-join').click();
  await expect(page.getByTestId('join-text')).toBeFocused();
  await expect(page.getByTestId('first-join-screen')).toContainText('Code d’appairage');
  // Nothing of this station is set aside: it is empty.
  await expect(page.getByTestId('join-warning')).toHaveCount(0);
  await page.getByTestId('first-back').click();

  await toEnglish(page);
  await expect(first).toContainText('Welcome: this station is new');
  await expect(page.getByTestId('first-demo')).toContainText('Try the demo');
  await expect(page.getByTestId('first-create')).toContainText('Create an event');
  await expect(page.getByTestId('first-join')).toContainText('Join a hub');
  await shot(page, 'first-start-en.png');
  await page.getByTestId('first-demo').click();
  await expect(page.getByTestId('first-demo-screen')).toContainText('demo PINs are public');
  await page.getByTestId('first-back').click();
  await page.getByTestId('first-create').click();
  await expect(page.getByTestId('first-create-screen')).toContainText('Event name');
  await page.getByTestId('first-back').click();
  await page.getByTestId('first-join').click();
  await expect(page.getByTestId('first-join-screen')).toContainText('Pairing code');
});

test('try the demo: the demo event opens, with its published PINs said', async ({ page }) => {
  const base = await freshStation('demo');
  await page.goto(`${base}/`);
  await page.getByTestId('first-demo').click();
  await page.getByTestId('first-demo-start').click();
  await expect(page.getByTestId('event-name')).toHaveText("BAMEX'25");
  await expect(page.getByTestId('demo-pins-banner')).toBeVisible();
  // Reloaded, the station is no longer new.
  await page.reload();
  await expect(page.getByTestId('event-name')).toHaveText("BAMEX'25");
  await expect(page.getByTestId('first-start')).toHaveCount(0);
});

test('create an event: refusals in words, then the console signs its organiser in', async ({ page }) => {
  const base = await freshStation('create');
  await page.goto(`${base}/`);
  await toEnglish(page);
  await page.getByTestId('first-create').click();
  await page.getByTestId('first-name').fill('Foire de Kayes');
  await page.getByTestId('first-first-day').fill('2026-03-01');
  await page.getByTestId('first-last-day').fill('2026-03-03');
  await page.getByTestId('first-time-zone').fill('Africa/Bamako');
  await page.getByTestId('first-admin').fill('Awa Traoré');
  // A PIN below an organiser's policy is refused, naming the rule, in the screen's language.
  await page.getByTestId('first-pin').fill('1234');
  await page.getByTestId('first-pin2').fill('1234');
  await page.getByTestId('first-create-submit').click();
  await expect(page.getByTestId('first-problem')).toContainText('8 to 12 digits');
  await page.getByTestId('first-pin').fill('41502963');
  await page.getByTestId('first-pin2').fill('41502960');
  await page.getByTestId('first-create-submit').click();
  await expect(page.getByTestId('first-problem')).toContainText('The two PINs differ');
  await page.getByTestId('first-pin2').fill('41502963');
  await page.getByTestId('first-create-submit').click();
  // The console, on its sign-in: the organiser just made is the only account.
  await expect(page).toHaveURL(/#\/admin$/);
  await signInAs(page, 'Awa Traoré', '41502963');
  // The console itself (its tabs), on the new event.
  await expect(page.getByTestId('admin-tab-stations')).toBeVisible();
  // The dashboard's days are the new event's three.
  await expect(page.getByRole('radio', { name: 'Sun 01/03' })).toBeVisible();
  await expect(page.getByRole('radio', { name: 'Tue 03/03' })).toBeVisible();
  await expect(page.getByTestId('demo-pins-banner')).toHaveCount(0);
  await shot(page, 'first-start-created-console.png');
});

test('join a hub: the pairing typed, the station comes back on the hub event', async ({ page }) => {
  const hubDb = join(dir, 'hub.db');
  execFileSync(cli, ['--db', hubDb, 'demo', '--attendees', '0', '--starting', 'today']);
  setRealPins(cli, hubDb);
  const hubUrl = (JSON.parse(await started(['--db', hubDb, '--json', 'hub', '--listen', '127.0.0.1:0'])) as { url: string }).url;
  const code = JSON.parse(
    execFileSync(cli, ['--db', hubDb, '--json', 'pair', '--role', 'gate', '--name', 'Porte Nord'], { encoding: 'utf8' }),
  ) as { url: string; short: string };
  expect(code.url).toBe(hubUrl);

  const base = await freshStation('join');
  await page.goto(`${base}/`);
  await page.getByTestId('first-join').click();
  await page.getByTestId('join-text').fill(`${code.url} ${code.short}`);
  await page.getByTestId('join-submit').click();
  await expect(page.getByTestId('join-joined')).toBeVisible({ timeout: 30_000 });
  // `serve` reopens on the joined database; the page reloads onto the hub's event.
  await expect(page.getByTestId('event-name')).toHaveText("BAMEX'25", { timeout: 30_000 });
  await expect(page.getByTestId('first-start')).toHaveCount(0);
});

test('the console backs the station up now into a folder, and says how to restore', async ({ page }) => {
  // A backup is slow by design (scrypt at age's cost, then VACUUM INTO): seconds on a quiet
  // machine, past half a minute on a loaded one. The screen says "Sauvegarde en cours…" meanwhile.
  test.setTimeout(180_000);
  const base = await freshStation('backup');
  expect((await fetch(`${base}/api/first-start/demo`, { method: 'POST' })).ok).toBe(true);
  const usb = join(dir, 'usb');
  mkdirSync(usb);
  await page.goto(`${base}/#/admin`);
  await signInAs(page, 'Admin démo', '1111');
  await page.getByTestId('admin-tab-backup').click();
  await expect(page.getByTestId('backup-restore')).toContainText('gatehouse restore FICHIER --db NOUVELLE.db');
  await page.getByTestId('backup-folder').fill(usb);
  await page.getByTestId('backup-passphrase').fill('court');
  await page.getByTestId('backup-passphrase2').fill('court');
  await page.getByTestId('backup-now').click();
  await expect(page.getByTestId('backup-problem')).toContainText('12');
  await page.getByTestId('backup-passphrase').fill('une phrase assez longue');
  await page.getByTestId('backup-passphrase2').fill('une phrase assez longue');
  await page.getByTestId('backup-now').click();
  await expect(page.getByTestId('backup-done')).toContainText('200 participants', { timeout: 120_000 });
  await expect(page.getByTestId('backup-done')).toContainText('.gatehouse.age');
  await toEnglish(page);
  await expect(page.getByTestId('backup-restore')).toContainText('gatehouse restore FILE --db NEW.db');
  await shot(page, 'console-backup-en.png');
});
