import { expect, test, type Page } from '@playwright/test';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { azertyReported } from '../../../ui/src/lib/gate/keymap';
import { chromiumFilming, qrVideo } from './qr-video';
import { apiSignIn, setRealPins, signInAs } from './signin';
import { e2ePort } from './ports';

// A standalone station (`gatehouse serve --role admin` on port 18090, with its own demo)
// joins a hub from the console's Stations tab, as a USB scanner types the hub's pairing QR
// (its JSON, then Enter). The hub is a separate `gatehouse hub` process on a database of its
// own, set up beforehand through the API a hub's console uses (its event renamed, a desk
// account of its own). After joining, `serve` reopens on the joined database on the same
// port: the page reloads by itself onto the hub's event and signs in the hub's staff.
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const artifacts = join(here, '..', 'artifacts');
const cli = process.env.GATEHOUSE_BIN ?? join(root, 'target/debug/gatehouse');
const port = e2ePort(18090);
const station = `http://127.0.0.1:${port}`;
const HUB_EVENT = 'Salon du hub — répétition';
const HUB_DESK = { name: 'Awa Hub', pin: '482613' };

test.skip(process.env.GATEHOUSE_EXTERNAL_SERVER === '1', 'needs the server of the config and its database');
test.describe.configure({ mode: 'serial' });

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-e2e-joinhub-'));
const hubDb = join(dir, 'hub.db');
let hub: ChildProcess | null = null;
let hubUrl = '';
/** A pairing QR's text whose code another station has used. */
let usedQr = '';

function stationDb(): string {
  return readFileSync(join(process.env.TMPDIR ?? tmpdir(), `gatehouse-e2e-${port}.db-path`), 'utf8').trim();
}

function onHub(...args: string[]): string {
  return execFileSync(cli, ['--db', hubDb, ...args], { encoding: 'utf8' });
}

/** The pairing QR's text for a fresh one-time code (what a USB scanner types). */
function pairingQr(role: string, name: string): string {
  const code = JSON.parse(onHub('--json', 'pair', '--role', role, '--name', name)) as { url: string; code: string };
  return JSON.stringify({ url: code.url, code: code.code });
}

/** What a person types from the hub's screen: its address and the short code shown in large type. */
function pairingTyped(role: string, name: string): string {
  const code = JSON.parse(onHub('--json', 'pair', '--role', role, '--name', name)) as { url: string; short: string };
  return `${code.url} ${code.short}`;
}

/** Starts `gatehouse … ARGS` and resolves with its first stdout line. */
async function started(args: string[]): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  const stdout = child.stdout;
  if (stdout === null) throw new Error('no stdout');
  const line = await new Promise<string>((done, fail) => {
    createInterface({ input: stdout }).once('line', done);
    child.once('exit', () => fail(new Error(`gatehouse ${args.join(' ')} stopped`)));
  });
  return { child, line };
}

async function api<T>(base: string, method: string, path: string, token: string | null, body?: unknown): Promise<T> {
  const res = await fetch(base + path, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

test.beforeAll(async () => {
  // The hub's own event, set up on its console (served briefly on its database).
  onHub('demo', '--attendees', '0', '--starting', 'today');
  const setup = await started(['--db', hubDb, 'serve', '--listen', '127.0.0.1:0']);
  try {
    const base = /http:\/\/[^/\s]+/.exec(setup.line)?.[0] ?? '';
    const token = await apiSignIn(base, 'Admin démo', '1111');
    const event = await api<Record<string, unknown>>(base, 'GET', '/api/event', token);
    await api(base, 'POST', '/api/op/save_event', token, { save: { based_on: event, event: { ...event, name: HUB_EVENT } } });
    await api(base, 'POST', '/api/op/create_staff', token, {
      change: { name: HUB_DESK.name, role: 'desk', active: true, pin: HUB_DESK.pin },
    });
  } finally {
    setup.child.kill();
    await new Promise((done) => setup.child.once('exit', done));
  }
  // No hub with the demo's published PINs: the organiser gives each a real one.
  setRealPins(cli, hubDb);
  const running = await started(['--db', hubDb, '--json', 'hub', '--listen', '127.0.0.1:0']);
  hub = running.child;
  hubUrl = (JSON.parse(running.line) as { url: string }).url;
});

test.afterAll(() => {
  hub?.kill();
  rmSync(dir, { recursive: true, force: true });
});

async function stationsTab(page: Page): Promise<void> {
  await page.goto(`${station}/`);
  await signInAs(page, 'Admin démo', '1111');
  await expect(page.getByTestId('station-title')).toBeVisible();
  await page.getByTestId('admin-tab-stations').click();
  await expect(page.getByTestId('join-hub')).toBeVisible();
}

/** Types `text` as a USB scanner does (characters, then Enter) into the focused field. */
async function scan(page: Page, text: string): Promise<void> {
  await expect(page.getByTestId('join-text')).toBeFocused();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/**
 * Types `text` as a US-layout USB scanner does on a French AZERTY system: each key reports
 * the AZERTY character (`{"url":` arrives as `¨%url%M`…) with its physical key, then Enter.
 */
async function scanOnAzerty(page: Page, text: string): Promise<void> {
  const keys = [...text].map((ch) => {
    const r = azertyReported(ch);
    if (!r) throw new Error(`no key for ${ch}`);
    return r;
  });
  await expect(page.getByTestId('join-text')).toBeFocused();
  await page.getByTestId('join-text').evaluate((el: HTMLInputElement, pressed) => {
    for (const k of pressed) {
      el.dispatchEvent(new KeyboardEvent('keydown', { key: k.key, code: k.code, shiftKey: k.shift, bubbles: true }));
      el.setRangeText(k.key, el.selectionStart ?? 0, el.selectionEnd ?? 0, 'end');
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }
  }, keys);
  await page.keyboard.press('Enter');
}

test('a wrong or used pairing code is refused in plain words, and the station stays as it was', async ({ page }) => {
  await stationsTab(page);
  await expect(page.getByTestId('stations-mode')).toHaveText('Poste autonome');
  await expect(page.getByTestId('join-warning')).toContainText('mises de côté');

  // Not a pairing code at all.
  await scan(page, 'BMX-000001');
  await expect(page.getByTestId('join-problem')).toContainText("Ce n’est pas un code d’appairage");

  // A code another station has already used.
  usedQr = pairingQr('desk', 'Autre poste');
  const other = join(dir, 'other.db');
  const { url, code } = JSON.parse(usedQr) as { url: string; code: string };
  execFileSync(cli, ['--db', other, 'join', url, '--code', code], { encoding: 'utf8' });
  // The refused text is selected: the next scan replaces it. This scanner types on a French
  // keyboard layout: the station reads the QR by its physical keys and sends it.
  await scanOnAzerty(page, usedQr);
  await expect(page.getByTestId('join-problem')).toContainText('Code inconnu ou expiré (ou déjà utilisé)');
  await expect(page.getByTestId('join-text')).toHaveValue(usedQr);
  await expect(page.getByTestId('join-detail')).toContainText('déjà utilisé');

  // A plain http:// address: the hub speaks only https.
  await page.getByTestId('join-text').fill(`http://127.0.0.1:9 ${code}`);
  await page.getByTestId('join-submit').click();
  await expect(page.getByTestId('join-problem')).toContainText('ne se joint qu’en https://');

  // A hub that does not answer (nothing listens on port 9).
  await page.getByTestId('join-text').fill(`https://127.0.0.1:9 ${code}`);
  await page.getByTestId('join-submit').click();
  await expect(page.getByTestId('join-problem')).toContainText('Le hub ne répond pas');
  await page.screenshot({ path: join(artifacts, 'join-hub-refused-fr.png'), fullPage: true });

  // In English too.
  await page.getByTestId('lang-en').click();
  await expect(page.getByTestId('join-hub')).toContainText('Join a hub');
  await page.getByTestId('join-submit').click();
  await expect(page.getByTestId('join-problem')).toContainText('The hub does not answer');
  await expect(page.getByTestId('join-warning')).toContainText('set aside');
  await page.screenshot({ path: join(artifacts, 'join-hub-refused-en.png'), fullPage: true });
  await page.getByTestId('lang-fr').click();

  // Nothing changed: still standalone, on its own demo.
  await page.reload();
  await expect(page.getByTestId('station-title')).toBeVisible();
  expect(await page.title()).toContain("BAMEX'25");
});

test('the hub’s QR held up to the camera is read and sent (a used one, so it is refused)', async () => {
  const video = join(dir, 'pairing.y4m');
  await qrVideo(usedQr, video);
  const browser = await chromiumFilming(video);
  try {
    const context = await browser.newContext({ permissions: ['camera'], locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await stationsTab(page);
    await page.getByTestId('join-camera').click();
    await expect(page.getByTestId('join-camera-error')).toHaveCount(0);
    // Decoded, put in the field and sent: the camera stops and the hub's answer is said.
    await expect(page.getByTestId('join-problem')).toContainText('Code inconnu ou expiré (ou déjà utilisé)', { timeout: 15_000 });
    await expect(page.getByTestId('join-text')).toHaveValue(usedQr);
    await expect(page.getByTestId('join-camera')).toHaveAttribute('aria-pressed', 'false');
    await page.screenshot({ path: join(artifacts, 'join-hub-camera-fr.png'), fullPage: true });
  } finally {
    await browser.close();
  }
});

test('the station joins the hub by its address and short code, restarts on the hub’s event, named, and signs in the hub’s staff', async ({ page }) => {
  test.setTimeout(90_000);
  const before = stationDb();
  await stationsTab(page);
  await page.screenshot({ path: join(artifacts, 'join-hub-before-fr.png'), fullPage: true });

  // The short code alone, as read across the hall from the hub's screen.
  await scan(page, pairingTyped('desk', 'Accueil 2'));
  const joined = page.getByTestId('join-joined');
  await expect(joined).toContainText('Relié au hub', { timeout: 30_000 });
  await expect(joined).toContainText(hubUrl);
  await expect(joined).toContainText('accueil');
  await expect(page.getByTestId('join-event')).toContainText(HUB_EVENT);
  await expect(page.getByTestId('join-name')).toHaveText('Ce poste s’appelle désormais « Accueil 2 ».');
  await expect(page.getByTestId('join-restarting')).toHaveText('Le poste redémarre…');
  await page.screenshot({ path: join(artifacts, 'join-hub-joined-fr.png'), fullPage: true });

  // The page reloads by itself once the station answers again, now on the hub's event.
  await expect(page).toHaveTitle(new RegExp(HUB_EVENT), { timeout: 30_000 });
  await expect(page.getByTestId('signin-search')).toBeVisible();
  await page.screenshot({ path: join(artifacts, 'join-hub-restarted-fr.png'), fullPage: true });

  // The hub's desk account (made on the hub, never on this station) signs in at the desk.
  await page.goto(`${station}/#/desk`);
  await signInAs(page, HUB_DESK.name, HUB_DESK.pin);
  await expect(page.getByText(HUB_DESK.name).first()).toBeVisible();
  // Its header names it as the hub did, not by its id.
  await expect(page.getByTestId('sync-status-text').first()).toContainText('Accueil 2');
  await page.screenshot({ path: join(artifacts, 'join-hub-after-fr.png'), fullPage: true });
  await page.getByTestId('lang-en').click();
  await expect(page.getByTestId('sync-status-text').first()).toContainText('Accueil 2');
  await page.screenshot({ path: join(artifacts, 'join-hub-after-en.png'), fullPage: true });
  await page.getByTestId('lang-fr').click();
  // Paired as a desk, the station offers the desk only: no way back to the console.
  await expect(page.getByTestId('station-back')).toHaveCount(0);
  await page.goto(`${station}/#/admin`);
  await expect(page).toHaveURL(/#\/desk$/);
  await expect(page).toHaveTitle(new RegExp(HUB_EVENT));

  // The same database path now holds the joined station; its own demo was kept beside it.
  const status = JSON.parse(execFileSync(cli, ['--db', before, '--json', 'event'], { encoding: 'utf8' })) as {
    name: string;
  };
  expect(status.name).toBe(HUB_EVENT);
  const stations = JSON.parse(onHub('--json', 'stations')) as { name: string }[];
  expect(stations.map((s) => s.name)).toContain('Accueil 2');
});
