import { expect, test, type Page } from '@playwright/test';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { REAL_PINS, apiSignIn, setRealPins, signInAs } from './signin';

// Station trust on the organiser's console. A real hub (`gatehouse hub`) and a real gate,
// paired as a gate, run as separate processes. The gate oversteps as a thief with the laptop
// would: `keys rotate` on its database makes a signing key, and `sync` sends it; a gate may
// not send a signing key, so the hub quarantines it (its entries held aside, an alert
// raised). The hub's database is then served (`gatehouse serve --role admin`): the console's
// dashboard shows the red security alert and the Stations tab the held entries, in French and
// English; releasing applies what a gate may send and ends the alert. An open pairing code is
// listed with its label and expiry and cancelled; un-pairing a desk says which keys to rotate.
// Self-contained (its own databases and server), so it also runs with GATEHOUSE_EXTERNAL_SERVER.
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const artifacts = join(here, '..', 'artifacts');
const cli = process.env.GATEHOUSE_BIN ?? join(root, 'target/debug/gatehouse');

test.describe.configure({ mode: 'serial' });

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-e2e-quarantine-'));
const hubDb = join(dir, 'hub.db');
const gateDb = join(dir, 'gate.db');
const deskDb = join(dir, 'desk.db');
let hub: ChildProcess | null = null;
let serve: ChildProcess | null = null;
let hubUrl = '';
let console_ = '';
let gateId = '';

function run(db: string, ...args: string[]): string {
  return execFileSync(cli, ['--db', db, ...args], { encoding: 'utf8' });
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

/** Pairs a fresh station database with the hub under `role`; returns its station id. */
function pairAndJoin(db: string, role: string, name: string): string {
  const code = JSON.parse(run(hubDb, '--json', 'pair', '--role', role, '--name', name)) as { code: string };
  run(db, 'join', hubUrl, '--code', code.code);
  run(db, 'sync');
  const peers = JSON.parse(run(hubDb, '--json', 'stations')) as { station: string; name: string }[];
  const peer = peers.find((p) => p.name === name);
  if (!peer) throw new Error(`${name} is not among the hub's stations`);
  return peer.station;
}

test.beforeAll(async () => {
  run(hubDb, 'demo', '--attendees', '20', '--starting', 'today');
  setRealPins(cli, hubDb);
  const running = await started(['--db', hubDb, '--json', 'hub', '--listen', '127.0.0.1:0']);
  hub = running.child;
  hubUrl = (JSON.parse(running.line) as { url: string }).url;
  gateId = pairAndJoin(gateDb, 'gate', 'Porte Hall');
  // The gate oversteps: a signing key of its own, sent to the hub. `keys rotate` refuses on a
  // paired gate, so the attacker first edits the role the gate was told with sqlite3.
  execFileSync('sqlite3', [gateDb, "UPDATE sync_link SET role = 'admin'"]);
  run(gateDb, 'keys', 'rotate');
  execFileSync('sqlite3', [gateDb, "UPDATE sync_link SET role = 'gate'"]);
  spawnSync(cli, ['--db', gateDb, 'sync'], { encoding: 'utf8' });
  const held = JSON.parse(run(hubDb, '--json', 'quarantine')) as { alerts: { station: string }[] };
  expect(held.alerts.map((a) => a.station)).toContain(gateId);

  const served = await started(['--db', hubDb, 'serve', '--listen', '127.0.0.1:0', '--role', 'admin']);
  serve = served.child;
  console_ = /http:\/\/[^/\s]+/.exec(served.line)?.[0] ?? '';
  expect(console_).not.toBe('');
});

test.afterAll(() => {
  serve?.kill();
  hub?.kill();
  rmSync(dir, { recursive: true, force: true });
});

async function signIn(page: Page): Promise<void> {
  await page.goto(`${console_}/`);
  await signInAs(page, 'Admin démo', REAL_PINS.admin);
  await expect(page.getByTestId('station-title')).toBeVisible();
}

test('only the organiser sees the alerts and decides on a quarantine', async () => {
  const desk = await apiSignIn(console_, 'Accueil démo', REAL_PINS.desk);
  const asDesk = { authorization: `Bearer ${desk}`, 'content-type': 'application/json' };
  const op = (name: string, headers: Record<string, string>, args: unknown = {}): Promise<Response> =>
    fetch(`${console_}/api/op/${name}`, { method: 'POST', headers, body: JSON.stringify(args) });
  expect((await op('sync_alerts', asDesk)).status).toBe(403);
  expect((await op('sync_open_codes', asDesk)).status).toBe(403);
  expect((await op('sync_resolve', asDesk, { station: gateId, resolution: 'release' })).status).toBe(403);
  const admin = await apiSignIn(console_, 'Admin démo', REAL_PINS.admin);
  const alerts = await op('sync_alerts', { authorization: `Bearer ${admin}`, 'content-type': 'application/json' });
  expect(alerts.status).toBe(200);
  expect(((await alerts.json()) as { station: string }[]).map((a) => a.station)).toContain(gateId);
});

test('the dashboard shows the security alert, in French and in English', async ({ page }) => {
  await signIn(page);
  const alert = page.getByTestId('security-alert');
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('Alerte de sécurité');
  const station = alert.getByTestId('security-alert-station');
  await expect(station).toHaveCount(1);
  await expect(station).toHaveAttribute('data-station', gateId);
  await expect(station).toContainText('Porte Hall');
  await expect(station).toContainText('contrôle');
  await expect(station.getByTestId('security-alert-kinds')).toHaveText('A tenté d’envoyer : clés de signature');
  await expect(station.getByTestId('security-alert-why')).toHaveText(
    'Le poste Porte Hall, appairé comme contrôle, ne peut pas envoyer : clés de signature.',
  );
  await expect(station).toContainText('2 entrées retenues');
  await expect(page.getByTestId('dash-station-quarantined')).toHaveText('En quarantaine');
  await page.screenshot({ path: join(artifacts, 'quarantine-dashboard-fr.png'), fullPage: true });

  await page.getByTestId('lang-en').click();
  await expect(alert).toContainText('Security alert');
  await expect(station.getByTestId('security-alert-kinds')).toHaveText('Tried to send: signing keys');
  await expect(station.getByTestId('security-alert-why')).toHaveText(
    'Station Porte Hall is paired as gate: it may not send signing keys.',
  );
  await expect(station).toContainText('2 entries held');
  await page.screenshot({ path: join(artifacts, 'quarantine-dashboard-en.png'), fullPage: true });
  await page.getByTestId('lang-fr').click();

  // The alert's button opens the Stations tab.
  await page.getByTestId('security-alert-open').click();
  await expect(page.getByTestId('admin-tab-stations')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('quarantine')).toBeVisible();
});

test('the Stations tab flags the gate and lists what it sent, in French and in English', async ({ page }) => {
  await signIn(page);
  await page.getByTestId('admin-tab-stations').click();
  const row = page.locator(`[data-testid="station-row"][data-station="${gateId}"]`);
  await expect(row).toHaveAttribute('data-quarantined', 'true');
  await expect(row.getByTestId('station-quarantined')).toHaveText('En quarantaine');

  const card = page.locator(`[data-testid="quarantine"][data-station="${gateId}"]`);
  await expect(card.getByTestId('quarantine-badge')).toHaveText('En quarantaine');
  const held = card.getByTestId('held-row');
  await expect(held).toHaveCount(2);
  await expect(card.locator('[data-testid="held-row"][data-kind="signing_key"]')).toContainText('Clé de signature');
  await expect(card.locator('[data-testid="held-row"][data-kind="signing_key"]')).toContainText(
    'appairé comme contrôle, ne peut pas envoyer : clés de signature',
  );
  const audit = card.locator('[data-testid="held-row"][data-kind="audit"]');
  await expect(audit).toContainText('Entrée du journal d’audit');
  await expect(audit).toContainText('Envoyée avec ou après l’entrée refusée');
  await page.screenshot({ path: join(artifacts, 'quarantine-stations-fr.png'), fullPage: true });

  await page.getByTestId('lang-en').click();
  await expect(row.getByTestId('station-quarantined')).toHaveText('Quarantined');
  await expect(card.locator('[data-testid="held-row"][data-kind="signing_key"]')).toContainText('Signing key');
  await card.getByTestId('quarantine-discard').click();
  await expect(card.getByTestId('quarantine-confirm-text')).toHaveText(
    'Discard 2 held entries from “Porte Hall”? None of them will be applied. The quarantine ends; if the station was stolen or tampered with, un-pair it too.',
  );
  await page.screenshot({ path: join(artifacts, 'quarantine-stations-en.png'), fullPage: true });
  await card.getByRole('button', { name: 'Cancel' }).click();
  await page.getByTestId('lang-fr').click();
});

test('releasing applies what a gate may send, withholds its key and ends the alert', async ({ page }) => {
  await signIn(page);
  await page.getByTestId('admin-tab-stations').click();
  const card = page.locator(`[data-testid="quarantine"][data-station="${gateId}"]`);
  await card.getByTestId('quarantine-release').click();
  await expect(card.getByTestId('quarantine-confirm-text')).toHaveText(
    'Libérer 2 entrées retenues de « Porte Hall » ? Ce que son rôle (contrôle) permet sera appliqué et transmis aux autres postes ; le reste restera écarté. La quarantaine sera levée.',
  );
  await card.getByTestId('quarantine-release-yes').click();
  // Its audit entry is applied; its signing key is not.
  await expect(page.getByTestId('quarantine-status')).toHaveText(
    '« Porte Hall » : 1 appliquée, 1 écartée. La quarantaine est levée.',
  );
  await expect(card).toHaveCount(0);
  const row = page.locator(`[data-testid="station-row"][data-station="${gateId}"]`);
  await expect(row).toHaveAttribute('data-quarantined', 'false');
  await expect(row.getByTestId('station-quarantined')).toHaveCount(0);
  await page.screenshot({ path: join(artifacts, 'quarantine-released-fr.png'), fullPage: true });

  // The key the gate made stays on the gate: the hub does not trust it.
  const kids = (db: string): string[] =>
    (JSON.parse(run(db, '--json', 'keys', 'export')) as { kid: string }[]).map((k) => k.kid);
  const hubKids = kids(hubDb);
  expect(kids(gateDb).filter((k) => !hubKids.includes(k))).toHaveLength(1);

  await page.getByTestId('admin-tab-dashboard').click();
  await expect(page.getByTestId('dash-totals')).toBeVisible();
  await expect(page.getByTestId('security-alert')).toHaveCount(0);
  const after = JSON.parse(run(hubDb, '--json', 'quarantine')) as { alerts: unknown[]; held: unknown[] };
  expect(after).toEqual({ alerts: [], held: [] });
});

test('a pairing code shows its label and expiry, is listed while open, and can be cancelled', async ({ page }) => {
  await signIn(page);
  await page.getByTestId('admin-tab-stations').click();
  await expect(page.getByTestId('pair-valid')).toHaveValue('15');
  await page.getByTestId('pair-role').selectOption('desk');
  await page.getByTestId('pair-name').fill('Accueil 3');
  await page.getByTestId('pair-valid').selectOption('60');
  await page.getByTestId('pair-create').click();
  const label = ((await page.getByTestId('pair-label').textContent()) ?? '').trim();
  expect(label).toMatch(/^[0-9A-Z]{4}$/);
  await expect(page.getByTestId('pair-expires')).toContainText('Expire le');
  await expect(page.getByTestId('pair-spent')).toHaveCount(0);
  const code = ((await page.getByTestId('pair-code-text').textContent()) ?? '').trim();
  const open = page.locator(`[data-testid="open-code-row"][data-label="${label}"]`);
  await expect(open).toContainText('Accueil 3');
  await expect(open).toContainText('accueil');
  await page.screenshot({ path: join(artifacts, 'quarantine-codes-fr.png'), fullPage: true });

  await open.getByTestId('open-code-cancel').click();
  await expect(page.getByTestId('codes-status')).toHaveText(`Code ${label} annulé : il ne fonctionne plus.`);
  await expect(open).toHaveCount(0);
  await expect(page.getByTestId('pair-code')).toHaveCount(0);
  const listed = JSON.parse(run(hubDb, '--json', 'pair', '--list')) as { label: string }[];
  expect(listed.map((c) => c.label)).not.toContain(label);
  const refused = spawnSync(cli, ['--db', join(dir, 'late.db'), 'join', hubUrl, '--code', code], { encoding: 'utf8' });
  expect(refused.status).not.toBe(0);
});

test('un-pairing a desk says to rotate the keys it held and which badges it issued', async ({ page }) => {
  const deskId = pairAndJoin(deskDb, 'desk', 'Accueil 2');
  await signIn(page);
  await page.getByTestId('lang-en').click();
  await page.getByTestId('admin-tab-stations').click();
  const row = page.locator(`[data-testid="station-row"][data-station="${deskId}"]`);
  await row.getByTestId('station-unpair').click();
  await expect(row).toContainText('This station holds the private signing keys');
  await row.getByTestId('station-unpair-yes').click();
  const result = page.getByTestId('unpaired-result');
  await expect(result.getByTestId('unpaired-keys')).toContainText('held the private signing keys');
  await expect(result).toContainText('gatehouse keys rotate');
  await expect(result.getByTestId('unpaired-kid').first()).toHaveText(/^[0-9a-f]{16}$/);
  await expect(result.getByTestId('unpaired-badges')).toHaveText('No badge was issued at this station.');
  await page.screenshot({ path: join(artifacts, 'quarantine-unpaired-en.png'), fullPage: true });
  await page.getByTestId('unpaired-go-keys').click();
  await expect(page.getByTestId('admin-tab-setup')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('setup-keys')).toBeInViewport();
  await page.getByTestId('lang-fr').click();
});
