import { expect, test } from '@playwright/test';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { REAL_PINS, setRealPins, signInAs } from './signin';
import { e2ePort } from './ports';

// A gate whose laptop clock is a day behind the hub's (libfaketime, as the `faketime`
// command preloads it): its screen says so in plain words, with the time to set the clock
// to, in French and English. Then the hub goes away and the gate says how old its
// revocations are. The test starts its own hub and gate server (port 18091), so it also
// runs with GATEHOUSE_EXTERNAL_SERVER=1.
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const artifacts = join(here, '..', 'artifacts');
const cli = process.env.GATEHOUSE_BIN ?? join(root, 'target/debug/gatehouse');
const port = e2ePort(18091);
const gateUrl = `http://127.0.0.1:${port}`;

test.describe.configure({ mode: 'serial' });

/** The library the `faketime` command preloads (Debian package `faketime`). */
function libfaketime(): string {
  const dirs = ['/usr/lib', ...readdirSync('/usr/lib').map((d) => join('/usr/lib', d))];
  const found = dirs.map((d) => join(d, 'faketime/libfaketime.so.1')).find((p) => existsSync(p));
  if (!found) throw new Error('libfaketime not found: apt-get install faketime');
  return found;
}

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-e2e-clock-'));
const hubDb = join(dir, 'hub.db');
const gateDb = join(dir, 'gate.db');
let hub: ChildProcess | null = null;
let gate: ChildProcess | null = null;
let desk: ChildProcess | null = null;
const deskPort = e2ePort(18092);
const deskDb = join(dir, 'desk.db');
let hubUrl = '';
let consoleServer: ChildProcess | null = null;
const consolePort = e2ePort(18093);

async function up(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`${url}/api/event`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not start`);
}

test.beforeAll(async () => {
  test.setTimeout(90_000);
  mkdirSync(artifacts, { recursive: true });
  execFileSync(cli, ['--db', hubDb, 'demo', '--starting', 'today']);
  setRealPins(cli, hubDb);
  hub = spawn(cli, ['--db', hubDb, '--json', 'hub', '--listen', '127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const stdout = hub.stdout;
  if (stdout === null) throw new Error('hub stdout');
  const first = await new Promise<string>((done) => createInterface({ input: stdout }).once('line', done));
  hubUrl = (JSON.parse(first) as { url: string }).url;
  const code = (JSON.parse(execFileSync(cli, ['--db', hubDb, '--json', 'pair', '--role', 'gate'], { encoding: 'utf8' })) as {
    code: string;
  }).code;
  // The gate's laptop: its clock a day behind; the time since boot untouched, as on a real laptop.
  const dayBehind = {
    ...process.env,
    LD_PRELOAD: libfaketime(),
    FAKETIME: '-1d',
    FAKETIME_DONT_FAKE_MONOTONIC: '1',
  };
  execFileSync(cli, ['--db', gateDb, 'join', hubUrl, '--code', code], { env: dayBehind, stdio: 'ignore' });
  execFileSync(cli, ['--db', gateDb, 'sync'], { env: dayBehind, stdio: 'ignore' });
  gate = spawn(cli, ['--db', gateDb, 'serve', '--listen', `127.0.0.1:${port}`, '--role', 'gate', '--zone', 'HALL'], {
    env: dayBehind,
    stdio: 'ignore',
  });
  // A desk whose clock is 10 minutes ahead.
  const deskCode = (JSON.parse(
    execFileSync(cli, ['--db', hubDb, '--json', 'pair', '--role', 'desk'], { encoding: 'utf8' }),
  ) as { code: string }).code;
  const tenAhead = { ...dayBehind, FAKETIME: '+10m' };
  execFileSync(cli, ['--db', deskDb, 'join', hubUrl, '--code', deskCode], { env: tenAhead, stdio: 'ignore' });
  desk = spawn(cli, ['--db', deskDb, 'serve', '--listen', `127.0.0.1:${deskPort}`, '--role', 'desk'], {
    env: tenAhead,
    stdio: 'ignore',
  });
  await up(gateUrl);
  await up(`http://127.0.0.1:${deskPort}`);
});

test.afterAll(() => {
  consoleServer?.kill();
  desk?.kill();
  gate?.kill();
  hub?.kill();
  rmSync(dir, { recursive: true, force: true });
});

test('a gate a day behind the hub says so and what to set its clock to, in French and English', async ({
  page,
}) => {
  await page.goto(`${gateUrl}/`);
  await signInAs(page, 'Contrôle démo', REAL_PINS.gate);
  await expect(page.getByTestId('gate-screen')).toBeVisible();
  const warning = page.getByTestId('sync-clock-warning');
  await expect(warning).toContainText("L'horloge de ce poste a 1 jour de retard sur le hub : réglez-la sur ");
  // The time to set is the hub's (the browser's clock here is right, the gate's is not).
  const now = new Date();
  const hhmm = (d: Date) =>
    d.toLocaleTimeString('fr-FR', { hour: '2-digit', minute: '2-digit', timeZone: 'Africa/Bamako' });
  const said = (await warning.locator('strong').textContent()) ?? '';
  const setTo = said.slice(-5);
  expect([hhmm(now), hhmm(new Date(now.getTime() - 60_000)), hhmm(new Date(now.getTime() + 60_000))]).toContain(setTo);
  await expect(warning).toContainText("En attendant, les décisions suivent l'heure du hub.");
  await page.screenshot({ path: join(artifacts, 'gate-clock-fr.png') });

  await page.getByTestId('lang-en').click();
  await expect(warning).toContainText("This station's clock is 1 day behind the hub: set it to ");
  await expect(warning).toContainText("Meanwhile, decisions follow the hub's time.");
  await page.screenshot({ path: join(artifacts, 'gate-clock-en.png') });
  await page.getByTestId('lang-fr').click();
});

test('a desk 10 minutes ahead of the hub says so too', async ({ page }) => {
  await page.goto(`http://127.0.0.1:${deskPort}/`);
  await signInAs(page, 'Accueil démo', REAL_PINS.desk);
  await expect(page.getByTestId('sync-clock-warning')).toContainText(
    "L'horloge de ce poste a 10 min d'avance sur le hub : réglez-la sur ",
  );
  await page.screenshot({ path: join(artifacts, 'desk-clock-fr.png') });
});

test('a gate cut off from the hub says how old its revocations are', async ({ page }) => {
  hub?.kill();
  hub = null;
  // As if the last round had completed 14 minutes ago (the gate's agreed time is the hub's).
  execFileSync('sqlite3', ['-cmd', '.timeout 10000', 
    gateDb,
    "UPDATE sync_link SET last_sync = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-14 minutes')",
  ]);
  await page.goto(`${gateUrl}/`);
  await signInAs(page, 'Contrôle démo', REAL_PINS.gate);
  const stale = page.getByTestId('sync-stale-warning');
  await expect(stale).toContainText('Révocations reçues il y a 14 min');
  await page.screenshot({ path: join(artifacts, 'gate-stale-fr.png') });
  await page.getByTestId('lang-en').click();
  await expect(stale).toContainText('Revocations last received 14 min ago');
  await page.screenshot({ path: join(artifacts, 'gate-stale-en.png') });
  await page.getByTestId('lang-fr').click();
});

test('the console lists the stations out of contact, in French and English', async ({ page }) => {
  // The hub is down since the last test; the gate's last contact was 14 minutes ago, the
  // desk's a moment ago. The organiser's console runs on the hub's database.
  execFileSync('sqlite3', ['-cmd', '.timeout 10000', 
    hubDb,
    "UPDATE sync_peer SET last_contact = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-14 minutes') WHERE role = 'gate'",
  ]);
  consoleServer = spawn(cli, ['--db', hubDb, 'serve', '--listen', `127.0.0.1:${consolePort}`, '--role', 'admin'], {
    stdio: 'ignore',
  });
  await up(`http://127.0.0.1:${consolePort}`);
  await page.goto(`http://127.0.0.1:${consolePort}/`);
  await signInAs(page, 'Admin démo', REAL_PINS.admin);
  const lost = page.getByTestId('dash-stations').getByTestId('out-of-contact');
  await expect(lost).toContainText('Postes hors contact (1)');
  await expect(lost).toContainText('Aucun échange avec le hub depuis plus de 5 min');
  const rows = lost.getByTestId('out-of-contact-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('gate');
  await expect(page.getByTestId('dash-station-out')).toHaveCount(1);
  await page.screenshot({ path: join(artifacts, 'console-out-of-contact-fr.png'), fullPage: true });

  await page.getByTestId('admin-tab-stations').click();
  await expect(page.getByTestId('out-of-contact')).toContainText('Postes hors contact (1)');
  await expect(page.getByTestId('station-out')).toHaveCount(1);
  await page.getByTestId('lang-en').click();
  await expect(page.getByTestId('out-of-contact')).toContainText('Stations out of contact (1)');
  await expect(page.getByTestId('out-of-contact')).toContainText('No exchange with the hub for more than 5 min');
  await expect(page.getByTestId('station-out')).toHaveText('Out of contact');
  await page.screenshot({ path: join(artifacts, 'console-out-of-contact-en.png'), fullPage: true });
  await page.getByTestId('lang-fr').click();
  consoleServer.kill();
  consoleServer = null;
});

test('a gate that cannot know the time blocks instead of deciding, until it syncs', async ({ page }) => {
  test.setTimeout(90_000);
  // The gate's laptop restarts (its last reading of the hub's clock is of an earlier boot)
  // with its clock two days behind, the hub still down: it cannot know the time.
  gate?.kill();
  gate = null;
  await new Promise((r) => setTimeout(r, 300));
  execFileSync('sqlite3', ['-cmd', '.timeout 10000', gateDb, "UPDATE sync_time SET boot_id = 'an-earlier-boot'"]);
  const twoDaysBehind = {
    ...process.env,
    LD_PRELOAD: libfaketime(),
    FAKETIME: '-2d',
    FAKETIME_DONT_FAKE_MONOTONIC: '1',
  };
  gate = spawn(cli, ['--db', gateDb, 'serve', '--listen', `127.0.0.1:${port}`, '--role', 'gate', '--zone', 'HALL'], {
    env: twoDaysBehind,
    stdio: 'ignore',
  });
  await up(gateUrl);
  const token = execFileSync(cli, ['--db', hubDb, 'token', 'BMX-000002'], { encoding: 'utf8' }).trim();

  await page.goto(`${gateUrl}/`);
  await signInAs(page, 'Contrôle démo', REAL_PINS.gate);
  const blocked = page.getByTestId('gate-time-unknown');
  await expect(blocked).toContainText("Heure inconnue : réglez l'horloge de ce poste (dernière heure sûre : ");
  await expect(blocked).toContainText("aucun badge n'est contrôlé sur une heure devinée");
  await expect(page.getByTestId('gate-ready')).toBeHidden();
  // A badge shown meanwhile gets no verdict (scanned again if a busy machine cut the burst).
  const refused = page.getByTestId('gate-time-unknown-refused');
  for (let i = 0; i < 5 && !(await refused.isVisible()); i++) {
    await page.keyboard.type(token);
    await page.keyboard.press('Enter');
    await refused.waitFor({ timeout: 3000 }).catch(() => undefined);
  }
  await expect(refused).toContainText('Aucun verdict rendu');
  await expect(page.getByTestId('verdict')).toHaveCount(0);
  await page.screenshot({ path: join(artifacts, 'gate-time-unknown-fr.png') });
  await page.getByTestId('lang-en').click();
  await expect(blocked).toContainText("Time unknown: set this station's clock (last safe time: ");
  await expect(page.getByTestId('gate-time-unknown-refused')).toContainText('No verdict given');
  await page.screenshot({ path: join(artifacts, 'gate-time-unknown-en.png') });
  await page.getByTestId('lang-fr').click();

  // The hub back on its address: the gate syncs by itself and decides again on the hub's time.
  const listen = hubUrl.replace('https://', '');
  hub = spawn(cli, ['--db', hubDb, '--json', 'hub', '--listen', listen], { stdio: ['ignore', 'pipe', 'ignore'] });
  await expect(blocked).toBeHidden({ timeout: 40_000 });
  await expect(page.getByTestId('gate-ready')).toBeVisible();
  const verdict = page.getByTestId('verdict');
  for (let i = 0; i < 5 && !(await verdict.isVisible()); i++) {
    await page.keyboard.type(token);
    await page.keyboard.press('Enter');
    await verdict.waitFor({ timeout: 3000 }).catch(() => undefined);
  }
  await expect(verdict).toBeVisible();
  await expect(page.getByTestId('sync-clock-warning')).toContainText("L'horloge de ce poste a 2 jours de retard sur le hub");
  await page.screenshot({ path: join(artifacts, 'gate-time-known-again-fr.png') });
});
