import { expect, test, type Page } from '@playwright/test';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signInAs } from './signin';
import { e2ePort } from './ports';

// The organiser's whole flow on `gatehouse serve --role admin` (port 18085, a fresh demo
// event starting today; see playwright.config.ts): setup → import a file with errors →
// fix → import → scans at the gates (the real CLI on the server's database) → the
// dashboard and the roll-call agree with them → personal data → a tampered audit entry
// is named by verify. Each step runs in the same browser page, as an organiser would.
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const artifacts = join(here, '..', 'artifacts');
const cli = process.env.GATEHOUSE_BIN ?? join(root, 'target/debug/gatehouse');
const port = Number(process.env.GATEHOUSE_FLOW_PORT ?? e2ePort(18085));
const station = `http://127.0.0.1:${port}`;

test.skip(process.env.GATEHOUSE_EXTERNAL_SERVER === '1', 'needs the flow server of the config and its database');
test.describe.configure({ mode: 'serial' });

function db(): string {
  return readFileSync(join(process.env.TMPDIR ?? tmpdir(), `gatehouse-e2e-${port}.db-path`), 'utf8').trim();
}

function gh(...args: string[]): string {
  return execFileSync(cli, ['--db', db(), ...args], { encoding: 'utf8' });
}

function tokenOf(serial: string): string {
  return (JSON.parse(gh('--json', 'token', serial)) as { token: string }).token;
}

/** A scan through the CLI of `serial`'s current badge, or of the badge `tok` (exit 3 on a refusal is still a scan). */
function scan(serial: string, zone: string, direction: 'in' | 'out', tok = tokenOf(serial)): { decision: string; reason: string } {
  const r = spawnSync(cli, ['--db', db(), '--json', 'scan', '--zone', zone, '--direction', direction, tok], {
    encoding: 'utf8',
  });
  return JSON.parse(r.stdout) as { decision: string; reason: string };
}

/** The badge number the import gave to `family` (the demo people share some family names). */
function serialOf(family: string): string {
  const row = CORRECTED.split('\r\n').find((l) => l.startsWith(`${family};`));
  const [, given, organisation] = row?.split(';') ?? [];
  const hits = JSON.parse(gh('--json', 'search', `${family} ${given}`, '--limit', '50')) as {
    serial: string;
    family_name: string;
    given_names: string;
    organisation: string;
  }[];
  const exact = hits.filter((h) => h.family_name === family && h.given_names === given && h.organisation === organisation);
  expect(exact, `one attendee ${given} ${family} of ${organisation}`).toHaveLength(1);
  return exact[0].serial;
}

// The organiser's spreadsheet: "Patronyme" is a header the import does not know, and
// three lines are wrong (a category, a country, a missing family name).
const HEADER = 'Patronyme;Prénom;Société;Pays;Catégorie;Délégation';
const WITH_ERRORS = [
  HEADER,
  'Kanté;Oumou;Orange Mali;Mali;VIP;',
  'Ağaoğlu;Selin;Aselsan;Turquie;Martien;',
  'Diallo;Boubacar;ORTM;Mali;Presse;',
  'Camara;Mariam;Ministère de la Défense;Atlantide;DEL;Guinée',
  ';Ibrahim;SOMAGEP;Mali;VIS;',
  'Saraç;Mehmet;Baykar;TR;EXH;',
].join('\r\n');
const CORRECTED = [
  HEADER,
  'Kanté;Oumou;Orange Mali;Mali;VIP;',
  'Ağaoğlu;Selin;Aselsan;Turquie;EXH;',
  'Diallo;Boubacar;ORTM;Mali;Presse;',
  'Camara;Mariam;Ministère de la Défense;Guinée;DEL;Guinée',
  'Traoré;Ibrahim;SOMAGEP;Mali;VIS;',
  'Saraç;Mehmet;Baykar;TR;EXH;',
].join('\r\n');

const csv = (name: string, text: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });

let page: Page;
const inside = new Set<string>();

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage();
});

test.afterAll(async () => {
  await page.close();
});

test('sign in and change a capacity', async () => {
  await page.goto(`${station}/`);
  await expect(page).toHaveURL(/#\/admin$/);
  await signInAs(page, 'Admin démo', '1111');
  await expect(page.getByTestId('station-title')).toBeVisible();
  await page.getByTestId('admin-tab-setup').click();
  await page.getByTestId('setup-capacity-HALL').fill('40');
  await page.getByTestId('setup-save').click();
  await expect(page.getByTestId('setup-status')).toContainText('Configuration enregistrée');
  const event = JSON.parse(gh('--json', 'event')) as { zones: { code: string; capacity: number | null }[] };
  expect(event.zones.find((z) => z.code === 'HALL')?.capacity).toBe(40);
});

test('a file with errors: the mapping is fixed by hand, the dry run lists every error by line', async () => {
  await page.getByTestId('admin-tab-import').click();
  await page.getByTestId('import-file').setInputFiles(csv('inscrits.csv', WITH_ERRORS));
  // "Patronyme" is not recognised: no family name column, said in words.
  await expect(page.getByTestId('import-mapping-problem')).toContainText('Nom / Last name');
  const patronyme = page.locator('[data-testid=import-map][data-header="Patronyme"]');
  await expect(patronyme).toHaveValue('');
  await expect(page.locator('[data-testid=import-map][data-header="Pays"]')).toHaveValue('country');
  await expect(page.getByTestId('import-mapping')).toContainText('Kanté · Ağaoğlu · Diallo');
  await patronyme.selectOption('family_name');
  await expect(page.getByTestId('import-counts')).toContainText('3 à créer');
  await expect(page.getByTestId('import-counts')).toContainText('3 invalides');
  const errors = page.getByTestId('import-error');
  await expect(errors).toHaveCount(3);
  expect(await errors.evaluateAll((els) => els.map((e) => e.getAttribute('data-line')))).toEqual(['3', '5', '6']);
  // Each problem in the screen's language, the refused value named.
  await expect(page.locator('[data-testid=import-error][data-line="3"]')).toContainText('Catégorie inconnue : « Martien ».');
  await expect(page.locator('[data-testid=import-error][data-line="5"]')).toContainText('Pays inconnu : « Atlantide ».');
  await expect(page.locator('[data-testid=import-error][data-line="6"]')).toContainText('Patronyme');
  await expect(page.locator('[data-testid=import-error][data-line="6"]')).toContainText('Valeur obligatoire manquante.');
  await expect(page.getByTestId('import-errors')).not.toContainText('unknown');
  // All or nothing: the import waits for the errors to be corrected (or left out on purpose).
  await expect(page.getByTestId('import-go')).toBeDisabled();
  await page.screenshot({ path: join(artifacts, 'console-flow-import-errors.png'), fullPage: true });
  expect(gh('--json', 'search', 'Kanté')).not.toContain('Kanté');
});

test('the corrected file keeps the mapping, imports, and says what it did', async () => {
  await page.getByTestId('import-file').setInputFiles(csv('inscrits-corrige.csv', CORRECTED));
  await expect(page.locator('[data-testid=import-map][data-header="Patronyme"]')).toHaveValue('family_name');
  await expect(page.getByTestId('import-no-errors')).toBeVisible();
  await expect(page.getByTestId('import-counts')).toContainText('6 à créer');
  await page.getByTestId('import-go').click();
  await expect(page.getByTestId('import-summary')).toContainText('6 créés');
  await expect(page.getByTestId('import-job')).toHaveAttribute('data-phase', 'done');
  // Imported again, the same file changes nothing.
  await expect(page.getByTestId('import-counts')).toContainText('6 inchangés');
  await expect(page.getByTestId('import-go')).toBeDisabled();
  await page.screenshot({ path: join(artifacts, 'console-flow-import-done.png'), fullPage: true });
  const camara = JSON.parse(gh('--json', 'search', 'Camara Mariam')) as { country: string; category: string }[];
  expect(camara[0]).toMatchObject({ country: 'GN', category: 'DEL' });
});

test('scripted scans, then the dashboard shows the same numbers', async () => {
  for (const name of ['Kanté', 'Ağaoğlu', 'Diallo', 'Traoré', 'Saraç']) {
    const serial = serialOf(name);
    expect(scan(serial, 'HALL', 'in').decision).toBe('admit');
    inside.add(serial);
  }
  const diallo = serialOf('Diallo');
  expect(scan(diallo, 'HALL', 'out').decision).toBe('admit');
  inside.delete(diallo);
  // A visitor does not open the press centre: refused, and counted as such.
  expect(scan(serialOf('Traoré'), 'PRESS', 'in').reason).toBe('zone_not_allowed');

  await page.getByTestId('admin-tab-dashboard').click();
  await expect(page.getByTestId('dash-inside-HALL')).toHaveText(String(inside.size));
  await expect(page.getByTestId('dash-zone-HALL')).toContainText('sur 40');
  await expect(page.getByTestId('dash-inside-PRESS')).toHaveText('0');
  await expect(page.getByTestId('dash-entries-today')).toHaveText('5');
  await expect(page.getByTestId('dash-denial-zone_not_allowed')).toHaveAttribute('data-count', '1');
  await page.screenshot({ path: join(artifacts, 'console-flow-dashboard.png'), fullPage: true });
});

test('the roll-call lists exactly who is inside', async () => {
  await page.getByTestId('admin-tab-rollcall').click();
  await page.getByTestId('rc-zone-HALL').click();
  const rows = page.getByTestId('rc-row');
  await expect(rows).toHaveCount(inside.size);
  expect(new Set(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-serial'))))).toEqual(inside);
  await expect(page.getByTestId('rc-table')).not.toContainText(/diallo/i);
  await expect(page.getByTestId('rc-table')).toContainText('AĞAOĞLU Selin');
  await page.screenshot({ path: join(artifacts, 'console-flow-rollcall.png'), fullPage: true });
});

test('personal data: export one attendee, erase another who stays counted inside', async () => {
  await page.getByTestId('admin-tab-privacy').click();
  await page.getByTestId('priv-search').fill('saraç');
  const sarac = serialOf('Saraç');
  await page.locator(`[data-testid=priv-hit][data-serial="${sarac}"] [data-testid=priv-pick]`).click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('priv-export').click()]);
  expect(download.suggestedFilename()).toBe(`person-${sarac}.json`);
  const doc = JSON.parse(readFileSync(await download.path(), 'utf8')) as {
    attendee: { family_name: string };
    scans: { zone: string }[];
  };
  expect(doc.attendee.family_name).toBe('Saraç');
  expect(doc.scans.map((s) => s.zone)).toEqual(['HALL']);

  const traore = serialOf('Traoré');
  const printed = tokenOf(traore);
  await page.getByTestId('priv-search').fill('traore');
  await page.locator(`[data-testid=priv-hit][data-serial="${traore}"] [data-testid=priv-pick]`).click();
  await page.getByTestId('priv-erase').click();
  await expect(page.getByRole('alertdialog')).toContainText('Ibrahim Traoré');
  await page.screenshot({ path: join(artifacts, 'console-flow-privacy.png'), fullPage: true });
  await page.getByTestId('priv-erase-yes').click();
  await expect(page.getByTestId('priv-status')).toContainText(`Données de ${traore} effacées`);
  await expect(page.locator(`[data-testid=priv-hit][data-serial="${traore}"]`)).toHaveCount(0);
  // The purge waits for the event's exact name.
  await page.getByTestId('priv-purge-name').fill('BAMEX');
  await expect(page.getByTestId('priv-purge')).toBeDisabled();
  await page.getByTestId('priv-purge-name').fill('');

  // Still inside, still counted, without a name; the gate refuses the badge.
  await page.getByTestId('admin-tab-rollcall').click();
  await page.getByTestId('rc-zone-HALL').click();
  await expect(page.getByTestId('rc-row')).toHaveCount(inside.size);
  await expect(page.getByTestId('rc-table')).not.toContainText(/traoré|ibrahim/i);
  await expect(page.locator(`[data-testid=rc-row][data-serial="${traore}"]`)).toContainText(/\[effacé\]/i);
  expect(scan(traore, 'HALL', 'out', printed).reason).toBe('revoked');
  expect(gh('--json', 'search', 'Traoré', '--limit', '100')).not.toContain(traore);
  expect(gh('--json', 'search', traore)).toContain('[effacé]');
});

test('an audit entry altered in SQLite is caught by verify at its position', async () => {
  await page.getByTestId('admin-tab-audit').click();
  await page.getByTestId('audit-verify').click();
  await expect(page.getByTestId('audit-result')).toContainText('Chaîne intacte');
  // The audit names no erased person.
  const details = execFileSync('sqlite3', [db(), 'SELECT detail FROM audit;'], { encoding: 'utf8' });
  expect(details).not.toContain('Traoré');
  const actions = execFileSync('sqlite3', [db(), 'SELECT DISTINCT action FROM audit;'], { encoding: 'utf8' });
  expect(actions).toContain('attendee.import');
  expect(actions).toContain('attendee.erase');

  const total = Number(execFileSync('sqlite3', [db(), 'SELECT COUNT(*) FROM audit;'], { encoding: 'utf8' }).trim());
  const victim = Math.max(2, Math.floor(total / 2));
  execFileSync('sqlite3', [
    db(),
    `DROP TRIGGER audit_no_update; UPDATE audit SET detail = '{"tampered":true}' WHERE seq = ${victim};`,
  ]);
  await page.getByTestId('audit-verify').click();
  await expect(page.getByTestId('audit-result')).toHaveAttribute('data-first-bad', String(victim));
  await expect(page.getByTestId('audit-result')).toContainText(`l'entrée n° ${victim} ne se vérifie pas`);
  await page.screenshot({ path: join(artifacts, 'console-flow-audit.png'), fullPage: true });
  const r = spawnSync(cli, ['--db', db(), 'audit', 'verify'], { encoding: 'utf8' });
  expect(r.status).toBe(1);
  expect(r.stderr).toContain(`l'entrée d'audit ${victim} ne se vérifie pas`);
});

test('10,000 rows: the progress bar moves, then the summary', async () => {
  const lines = ['Nom,Prénom,Catégorie,Pays'];
  for (let i = 1; i <= 10_000; i++) lines.push(`Koné${i},Awa,VIS,ML`);
  await page.getByTestId('admin-tab-import').click();
  await page.getByTestId('import-file').setInputFiles(csv('dix-mille.csv', lines.join('\n')));
  await expect(page.getByTestId('import-counts')).toContainText('10000 à créer', { timeout: 30_000 });
  // Every value the bar takes while the rows are written.
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { progressSeen: string[] }).progressSeen = seen;
    new MutationObserver(() => {
      const bar = document.querySelector('[data-testid=import-progress]');
      const v = bar?.getAttribute('value');
      if (v !== null && v !== undefined && !seen.includes(v)) seen.push(v);
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  await page.getByTestId('import-go').click();
  await expect(page.getByTestId('import-summary')).toContainText('10000 créés', { timeout: 60_000 });
  const seen = await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen.map(Number));
  expect(seen.some((v) => v > 0 && v < 10_000), `intermediate values: ${seen.join(', ')}`).toBe(true);
  await page.screenshot({ path: join(artifacts, 'console-flow-import-10000.png'), fullPage: true });
});
