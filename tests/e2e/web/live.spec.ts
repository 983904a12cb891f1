import { expect, test, type Browser, type Page } from '@playwright/test';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scan, scannerBurst, usKeys } from './scanner';
import { REAL_PINS, setRealPins, signInAs } from './signin';
import { e2ePort } from './ports';

// The organiser's day before opening (issue 21) on `gatehouse serve --role admin`, port 18097
// (see playwright.config.ts), a fresh demo event starting today: two consoles that do not
// undo each other's changes; then the test runs `gatehouse hub` on that database, pairs a
// gate and a desk with it through the CLI and serves each (`gatehouse serve` on the
// station's own database): their screens follow the role they were paired as.
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const artifacts = join(here, '..', 'artifacts');
const cli = process.env.GATEHOUSE_BIN ?? join(root, 'target/debug/gatehouse');
const port = Number(process.env.GATEHOUSE_LIVE_PORT ?? e2ePort(18097));
const hubStation = `http://127.0.0.1:${port}`;

test.skip(process.env.GATEHOUSE_EXTERNAL_SERVER === '1', 'needs the server of the config and its database');
test.describe.configure({ mode: 'serial' });

function db(): string {
  return readFileSync(join(process.env.TMPDIR ?? tmpdir(), `gatehouse-e2e-${port}.db-path`), 'utf8').trim();
}

function gh(...args: string[]): string {
  return execFileSync(cli, ['--db', db(), ...args], { encoding: 'utf8' });
}

type Event = {
  city: string;
  days: { date: string }[];
  zones: { code: string; open_days: string[] }[];
};
let hub: ChildProcess | null = null;
/** The gate kiosk paired with the hub (HALL), served by the second test. */
let gateUrl = '';
let hubUrl = '';
const stations: ChildProcess[] = [];
const stationsDir = mkdtempSync(join(tmpdir(), 'gatehouse-e2e-live-'));

test.beforeAll(async () => {
  // No hub with the demo's published PINs: the organiser gives each account a real one.
  setRealPins(cli, db());
  hub = spawn(cli, ['--db', db(), '--json', 'hub', '--listen', '127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const stdout = hub.stdout;
  if (stdout === null) throw new Error('hub stdout');
  const first = await new Promise<string>((done) => createInterface({ input: stdout }).once('line', done));
  hubUrl = (JSON.parse(first) as { url: string }).url;
});

test.afterAll(() => {
  for (const s of stations) s.kill();
  hub?.kill();
  rmSync(stationsDir, { recursive: true, force: true });
});

/** A station paired with the hub as `role` under `name`, synced once: its database. */
function pairStation(role: 'gate' | 'desk' | 'admin', name: string): string {
  const { code } = JSON.parse(gh('--json', 'pair', '--role', role, '--name', name)) as { code: string };
  const stationDb = join(stationsDir, `${role}.db`);
  const joined = execFileSync(cli, ['--db', stationDb, 'join', hubUrl, '--code', code], { encoding: 'utf8' });
  // The role in words ("rôle : accueil"), not its code.
  expect(joined).toContain(
    { gate: "rôle : contrôle d'accès", desk: 'rôle : accueil', admin: 'rôle : organisateur' }[role],
  );
  execFileSync(cli, ['--db', stationDb, 'sync'], { encoding: 'utf8' });
  return stationDb;
}

/** `gatehouse serve` on a station's database, answering on `port`. */
async function serveStation(stationDb: string, port: number, ...args: string[]): Promise<string> {
  const url = `http://127.0.0.1:${port}`;
  stations.push(
    spawn(cli, ['--db', stationDb, 'serve', '--listen', `127.0.0.1:${port}`, ...args], { stdio: 'ignore' }),
  );
  await expect
    .poll(async () => fetch(`${url}/api/event`).then((r) => r.status, () => 0), { timeout: 20_000 })
    .toBe(200);
  return url;
}

const storedEvent = (): Event => JSON.parse(gh('--json', 'event')) as Event;

/** A console of its own (a browser context: its own session), signed in as the demo admin. */
async function console_(browser: Browser, lang: 'fr' | 'en' = 'fr'): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${hubStation}/`);
  if (lang === 'en') await page.getByTestId('lang-en').click();
  await signInAs(page, 'Admin démo', REAL_PINS.admin);
  await expect(page.getByTestId('station-title')).toBeVisible();
  return page;
}

test('a console showing old settings cannot undo another console’s changes', async ({ browser }) => {
  // Both consoles open the setup with the event as it is now.
  const hub = await console_(browser);
  const gateMachine = await console_(browser);
  for (const p of [hub, gateMachine]) await p.getByTestId('admin-tab-setup').click();
  const before = storedEvent();
  const eve = new Date(Date.parse(`${before.days[0].date}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

  // The second starts changing the city (a form being edited keeps its edit when the other
  // console's save is pushed to it; an untouched one would follow it at once).
  await gateMachine.getByTestId('setup-city').fill('Ségou');

  // The first adds the day before and opens HALL on it.
  await hub.getByTestId('setup-new-day').fill(eve);
  await hub.getByRole('button', { name: 'Ajouter la journée' }).click();
  await hub.locator('[data-testid=setup-zone][data-code=HALL] input[type=checkbox]').first().check();
  await hub.getByTestId('setup-save').click();
  await expect(hub.getByTestId('setup-status')).toContainText('Configuration enregistrée');

  // The second, still showing the old days, is told at once; saving the city is refused, with
  // what changed.
  await expect(gateMachine.getByTestId('setup-changed-elsewhere')).toBeVisible();
  await expect(gateMachine.getByTestId('setup-city')).toHaveValue('Ségou');
  await gateMachine.getByTestId('setup-save').click();
  const stale = gateMachine.getByTestId('setup-stale');
  await expect(stale).toContainText('Configuration modifiée ailleurs — rechargez');
  const changes = stale.getByTestId('setup-stale-change');
  await expect(changes.filter({ hasText: /^Journée .* : ajoutée$/ })).toHaveCount(1);
  await expect(changes.filter({ hasText: /^Zone HALL — jours d’ouverture : / })).toHaveCount(1);
  await stale.scrollIntoViewIfNeeded();
  await gateMachine.screenshot({ path: join(artifacts, 'live-stale-fr.png') });
  // Nothing was undone.
  let stored = storedEvent();
  expect(stored.days.map((d) => d.date)).toContain(eve);
  expect(stored.zones.find((z) => z.code === 'HALL')?.open_days).toContain(eve);
  expect(stored.city).toBe(before.city);

  await gateMachine.getByTestId('lang-en').click();
  await expect(stale).toContainText('Setup changed elsewhere — reload');
  await expect(changes.filter({ hasText: /^Zone HALL — open days: / })).toHaveCount(1);
  await gateMachine.screenshot({ path: join(artifacts, 'live-stale-en.png') });

  // Reloaded, it shows the new day; the city, changed again, is saved beside it.
  await gateMachine.getByTestId('setup-stale-reload').click();
  await expect(stale).toHaveCount(0);
  await expect(gateMachine.locator(`[data-testid=setup-day][data-date="${eve}"]`)).toBeVisible();
  await gateMachine.getByTestId('setup-city').fill('Ségou');
  await gateMachine.getByTestId('setup-save').click();
  await expect(gateMachine.getByTestId('setup-status')).toContainText('Setup saved');
  stored = storedEvent();
  expect(stored.city).toBe('Ségou');
  expect(stored.days.map((d) => d.date)).toContain(eve);

  // Staff accounts too: one console makes the gate account a desk's, the other (still
  // showing a gate) renames it: refused, saying the role changed.
  const row = (p: Page) => p.locator('[data-testid=staff-row][data-name="Contrôle démo"]');
  await expect(row(hub)).toBeVisible();
  await expect(row(gateMachine)).toBeVisible();
  await row(hub).getByRole('combobox').selectOption('desk');
  await row(hub).getByRole('button').click();
  await expect(hub.getByTestId('staff-status')).toContainText('Compte « Contrôle démo » enregistré');
  // (Its row, by position: the name it is found by is being edited.)
  const names = await gateMachine.getByTestId('staff-row').evaluateAll((rows) => rows.map((r) => r.dataset.name));
  const edited = gateMachine.getByTestId('staff-row').nth(names.indexOf('Contrôle démo'));
  await edited.getByRole('textbox').first().fill('Porte Hall');
  await edited.getByRole('button').click();
  const staffStale = gateMachine.getByTestId('staff-stale');
  await expect(staffStale).toContainText('Setup changed elsewhere — reload');
  await expect(staffStale.getByTestId('staff-stale-change')).toHaveText(
    'Account “Contrôle démo” — role: Gate control → Desk',
  );
  await staffStale.scrollIntoViewIfNeeded();
  await gateMachine.screenshot({ path: join(artifacts, 'live-staff-stale-en.png') });
  const role = execFileSync('sqlite3', [db(), "SELECT role FROM staff WHERE name = 'Contrôle démo'"], {
    encoding: 'utf8',
  });
  expect(role.trim()).toBe('desk');
});

test('a station paired as a gate offers only the gate, a desk only the desk', async ({ page }) => {
  // A gate kiosk on HALL: the gate and nothing else, whatever the address asks for.
  const gate = await serveStation(pairStation('gate', 'Porte Hall'), port + 1, '--role', 'gate', '--zone', 'HALL');
  gateUrl = gate;
  const station = await (await fetch(`${gate}/api/station`)).json();
  expect(station).toMatchObject({ role: 'gate', zone: 'HALL', paired_role: 'gate' });
  for (const hash of ['', '#/desk', '#/admin', '#/gate/VIP', '#/']) {
    await page.goto(`${gate}/${hash}`);
    await expect(page).toHaveURL(/#\/gate\/HALL$/);
    await expect(page.getByTestId('signin-search')).toBeVisible();
  }
  await expect(page.getByTestId('station-back')).toHaveCount(0);
  await signInAs(page, 'Superviseur démo', REAL_PINS.supervisor);
  await expect(page.getByTestId('gate-ready')).toBeVisible();
  await expect(page.getByTestId('station-back')).toHaveCount(0);
  await page.screenshot({ path: join(artifacts, 'live-paired-gate-fr.png') });
  await page.getByTestId('lang-en').click();
  await expect(page.getByText('Change station')).toHaveCount(0);
  await page.screenshot({ path: join(artifacts, 'live-paired-gate-en.png') });
  await page.getByTestId('lang-fr').click();

  // A gate started without a zone: the home screen offers the gate's zones, not the desk or
  // the console.
  const gateDb = join(stationsDir, 'gate.db');
  const freeGate = await serveStation(gateDb, port + 2);
  await page.goto(`${freeGate}/#/admin`);
  await expect(page).toHaveURL(/#\/$/);
  await expect(page.getByTestId('role-gate')).toBeVisible();
  await expect(page.getByTestId('role-desk')).toHaveCount(0);
  await expect(page.getByTestId('role-admin')).toHaveCount(0);
  await page.screenshot({ path: join(artifacts, 'live-paired-gate-home-fr.png'), fullPage: true });

  // A desk: the desk only, no way to the console.
  const desk = await serveStation(pairStation('desk', 'Accueil 1'), port + 3);
  for (const hash of ['', '#/admin', '#/gate/HALL']) {
    await page.goto(`${desk}/${hash}`);
    await expect(page).toHaveURL(/#\/desk$/);
    await expect(page.getByTestId('signin-search')).toBeVisible();
  }
  // (The demo gate account became a desk's in the first test.)
  await signInAs(page, 'Contrôle démo', REAL_PINS.gate);
  await expect(page.getByTestId('desk-signout')).toBeVisible();
  await expect(page.getByTestId('station-back')).toHaveCount(0);

  // The hub itself (not paired) is unchanged: every screen.
  await page.goto(`${hubStation}/#/`);
  await expect(page.getByTestId('role-desk')).toBeVisible();
  await expect(page.getByTestId('role-admin')).toBeVisible();
});

type Hit = { serial: string; given_names: string; family_name: string; organisation: string };

test('revocation by name: the confirmation names the person, the gate says why and lets nobody override', async ({
  browser,
  page,
}) => {
  test.setTimeout(90_000); // two screens, a sync and CLI calls, on a machine shared with builds
  const serial = 'BMX-000012';
  const [person] = JSON.parse(gh('--json', 'search', serial)) as Hit[];
  const name = `${person.given_names} ${person.family_name}`;
  const printed = (JSON.parse(gh('--json', 'token', serial)) as { token: string }).token;

  const organiser = await console_(browser);
  await organiser.getByTestId('admin-tab-revocations').click();
  // The family name alone: every holder of it is listed, with organisation and badge.
  await organiser.getByTestId('rev-serial').fill(person.family_name);
  const hit = organiser.locator(`[data-testid=rev-hit][data-serial="${serial}"]`);
  await expect(hit).toContainText(name);
  await organiser.screenshot({ path: join(artifacts, 'live-revoke-search-fr.png') });
  await hit.click();
  await expect(organiser.getByTestId('rev-picked')).toContainText(`Badge ${serial} de ${name}`);
  await organiser.getByTestId('rev-reason').fill('déclaré volé');
  await organiser.getByTestId('rev-submit').click();
  await expect(organiser.getByTestId('rev-confirm-text')).toHaveText(
    `Révoquer définitivement le badge ${serial} de ${name} (${person.organisation}) ? Toutes ses versions seront refusées aux portes.`,
  );
  await organiser.screenshot({ path: join(artifacts, 'live-revoke-confirm-fr.png') });
  await organiser.getByTestId('lang-en').click();
  await expect(organiser.getByTestId('rev-confirm-text')).toContainText(`Permanently revoke badge ${serial} of ${name}`);
  await organiser.screenshot({ path: join(artifacts, 'live-revoke-confirm-en.png') });
  await organiser.getByTestId('rev-confirm').click();
  const row = organiser.locator(`[data-testid=rev-row][data-serial="${serial}"]`);
  await expect(row).toContainText('déclaré volé');
  // Who revoked it, by name (not the account's id).
  await expect(row).toContainText('Admin démo');
  await expect(row).not.toContainText('(0');
  await organiser.getByTestId('lang-fr').click();

  // The gate, once synced, refuses the printed badge and says why; no override is offered.
  execFileSync(cli, ['--db', join(stationsDir, 'gate.db'), 'sync'], { encoding: 'utf8' });
  await page.goto(`${gateUrl}/`);
  await signInAs(page, 'Superviseur démo', REAL_PINS.supervisor);
  await expect(page.getByTestId('gate-ready')).toBeVisible();
  const verdict = await scan(page, printed);
  expect(verdict.code).toBe('revoked');
  expect(verdict.text.reason).toBe('Badge révoqué — déclaré volé');
  expect(verdict.text.name).toBe(name);
  await expect(page.getByTestId('override-open')).toHaveCount(0);
  await page.screenshot({ path: join(artifacts, 'live-gate-revoked-fr.png') });
  // In English (the verdict goes when the screen is touched: the badge is shown again).
  await page.getByTestId('lang-en').click();
  await expect(page.getByTestId('gate-ready')).toBeVisible();
  expect((await scan(page, printed)).text.reason).toBe('Badge revoked — déclaré volé');
  await page.screenshot({ path: join(artifacts, 'live-gate-revoked-en.png') });
  await page.getByTestId('lang-fr').click();
});

/** A standalone gate kiosk on HALL whose demo event starts on `starting` (YYYY-MM-DD). */
async function rehearsal(starting: string, at: number): Promise<{ url: string; db: string }> {
  const rehearsalDb = join(stationsDir, `rehearsal-${starting}.db`);
  execFileSync(cli, ['--db', rehearsalDb, 'demo', '--starting', starting], { encoding: 'utf8' });
  return { url: await serveStation(rehearsalDb, at, '--role', 'gate', '--zone', 'HALL'), db: rehearsalDb };
}

const dayOffset = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const short = (iso: string, locale: string): string =>
  new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(
    new Date(`${iso}T12:00:00Z`),
  );

test('the day before opening the gate says from when a badge is valid; after, when it expired', async ({ page }) => {
  test.setTimeout(120_000); // two demo events made and served, on a machine shared with builds
  for (const [starting, at, reason] of [
    [dayOffset(2), port + 4, 'not_yet_valid'],
    [dayOffset(-10), port + 5, 'expired'],
  ] as const) {
    const station = await rehearsal(starting, at);
    const onStation = (...args: string[]) =>
      execFileSync(cli, ['--db', station.db, ...args], { encoding: 'utf8' });
    const tok = (JSON.parse(onStation('--json', 'token', 'BMX-000001')) as { token: string }).token;
    const v = JSON.parse(onStation('--json', 'verify', '--zone', 'HALL', tok)) as {
      reason: string;
      valid_from: string;
      valid_until: string;
    };
    // The contract's reason code, the dates beside it.
    expect(v.reason).toBe(reason);
    const day = reason === 'expired' ? v.valid_until : v.valid_from;
    const words =
      reason === 'expired'
        ? { fr: `Expiré le ${short(day, 'fr-FR')}`, en: `Expired on ${short(day, 'en-GB')}` }
        : { fr: `Pas encore valide — à partir du ${short(day, 'fr-FR')}`, en: `Not valid yet — from ${short(day, 'en-GB')}` };

    await page.goto(`${station.url}/`);
    await page.getByTestId('lang-fr').click();
    await signInAs(page, 'Contrôle démo', '3333');
    await expect(page.getByTestId('gate-ready')).toBeVisible();
    for (const lang of ['fr', 'en'] as const) {
      await page.getByTestId(`lang-${lang}`).click();
      await expect(page.getByTestId('gate-ready')).toBeVisible();
      const verdict = await scan(page, tok);
      expect(verdict.code).toBe(reason);
      expect(verdict.text.reason).toBe(words[lang]);
      await page.screenshot({ path: join(artifacts, `live-gate-${reason}-${lang}.png`) });
      await page.keyboard.press('Escape');
    }
  }
});

test('the import says every error of a row, and what a wrong category may have meant', async ({ browser }) => {
  const organiser = await console_(browser);
  await organiser.getByTestId('admin-tab-import').click();
  const file = 'Nom;Prénom;Catégorie;Email\r\nTraoré;Awa;Exposants;awa.traore@\r\nDiarra;Issa;Presse;issa@example.org\r\n';
  await organiser.getByTestId('import-file').setInputFiles({
    name: 'inscrits.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(file, 'utf8'),
  });
  // Both errors of line 2 at once: the category and the e-mail.
  const line2 = organiser.locator('[data-testid=import-error][data-line="2"]');
  await expect(line2).toHaveCount(2);
  await expect(line2.first()).toContainText('Catégorie inconnue : « Exposants ». Vouliez-vous dire « Exposant » ?');
  await expect(line2.first()).toContainText('Catégories acceptées (nom ou code) : Organisateur (ORG),');
  await expect(line2.last()).toContainText('« awa.traore@ » n’est pas une adresse e-mail.');
  // One of each, in the singular.
  await expect(organiser.getByTestId('import-counts')).toHaveText('1 à créer · 0 à mettre à jour · 0 inchangé · 1 invalide');
  await organiser.getByTestId('import-errors').scrollIntoViewIfNeeded();
  await organiser.screenshot({ path: join(artifacts, 'live-import-errors-fr.png') });
  await organiser.getByTestId('lang-en').click();
  await expect(line2.first()).toContainText('Did you mean “Exposant”? Accepted categories (name or code): Organiser (ORG),');
  await organiser.getByTestId('import-errors').scrollIntoViewIfNeeded();
  await organiser.screenshot({ path: join(artifacts, 'live-import-errors-en.png') });
});

test('a scanner burst cut by a hiccup says "scan again", not "not a badge"', async ({ page }) => {
  const tok = (JSON.parse(gh('--json', 'token', 'BMX-000020')) as { token: string }).token;
  await page.goto(`${gateUrl}/`);
  await signInAs(page, 'Superviseur démo', REAL_PINS.supervisor);
  await expect(page.getByTestId('gate-ready')).toBeVisible();
  await expect(page.getByTestId('count-denied')).not.toHaveText('–');
  const denied = await page.getByTestId('count-denied').textContent();
  for (const lang of ['fr', 'en'] as const) {
    await page.getByTestId(`lang-${lang}`).click();
    // The burst as a scanner sends it, the system stalling 250 ms after its 40th key.
    const keys = usKeys(tok);
    keys[40] = { ...keys[40], stallMs: 250 };
    await scannerBurst(page, keys);
    await expect(page.getByTestId('gate-incomplete')).toHaveText(
      lang === 'fr' ? 'Lecture incomplète, rescannez' : 'Incomplete read, scan again',
    );
    await expect(page.getByTestId('verdict')).toHaveCount(0);
    await page.screenshot({ path: join(artifacts, `live-gate-incomplete-${lang}.png`) });
  }
  // Nothing was recorded; scanned again whole, the badge passes.
  await expect(page.getByTestId('count-denied')).toHaveText(denied ?? '');
  expect((await scan(page, tok)).decision).toBe('admit');
  await expect(page.getByTestId('gate-incomplete')).toHaveCount(0);
});

test('words, not internal codes: the dashboard’s refusals, the audit log, who acted', async ({ browser }) => {
  // A refusal at the hub itself (the badge revoked above).
  const tok = (JSON.parse(gh('--json', 'token', 'BMX-000013')) as { token: string }).token;
  gh('revoke', 'BMX-000013', '--reason', 'perdu');
  spawnSync(cli, ['--db', db(), 'scan', '--zone', 'HALL', tok], { encoding: 'utf8' });
  const organiser = await console_(browser);
  const denial = organiser.getByTestId('dash-denial-revoked');
  await expect(denial).toContainText('Badge révoqué');
  await expect(denial).not.toContainText('revoked');
  await organiser.getByTestId('admin-tab-audit').click();
  await organiser.getByTestId('audit-action').selectOption('event.update');
  await organiser.getByTestId('audit-apply').click();
  const row = organiser.getByTestId('audit-row').first();
  await expect(row.getByTestId('audit-detail')).toContainText('Événement — ville : Bamako → Ségou');
  await expect(row.getByTestId('audit-detail')).not.toContainText('{');
  await expect(row).toContainText('Admin démo');
  await expect(row).not.toContainText('(0');
  await organiser.screenshot({ path: join(artifacts, 'live-audit-fr.png') });
});
