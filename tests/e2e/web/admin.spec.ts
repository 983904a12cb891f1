import { expect, test, type Page } from '@playwright/test';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signInAs } from './signin';
import { e2ePort } from './ports';

// The organiser console of `gatehouse serve --role admin` on port 18084 (see
// playwright.config.ts), on a fresh demo event starting today. Scans, revocations and
// the tampering are done with the real CLI and sqlite3 on the server's own database,
// whose path serve.sh writes to a file; the console must show what they did.
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const artifacts = join(here, '..', 'artifacts');
const cli = process.env.GATEHOUSE_BIN ?? join(root, 'target/debug/gatehouse');
const port = Number(process.env.GATEHOUSE_ADMIN_PORT ?? e2ePort(18084));
const station = `http://127.0.0.1:${port}`;

test.skip(process.env.GATEHOUSE_EXTERNAL_SERVER === '1', 'needs the admin server of the config and its database');
test.describe.configure({ mode: 'serial' });

function db(): string {
  return readFileSync(join(process.env.TMPDIR ?? tmpdir(), `gatehouse-e2e-${port}.db-path`), 'utf8').trim();
}

function gh(...args: string[]): string {
  return execFileSync(cli, ['--db', db(), ...args], { encoding: 'utf8' });
}

const serial = (n: number): string => `BMX-${String(n).padStart(6, '0')}`;

function token(s: string): string {
  return (JSON.parse(gh('--json', 'token', s)) as { token: string }).token;
}

/** A scan through the CLI (exit 3 on a refusal is still a recorded scan). */
function scan(tok: string, zone: string, direction: 'in' | 'out'): { decision: string; reason: string } {
  const r = spawnSync(cli, ['--db', db(), '--json', 'scan', '--zone', zone, '--direction', direction, tok], {
    encoding: 'utf8',
  });
  return JSON.parse(r.stdout) as { decision: string; reason: string };
}

async function signIn(page: Page): Promise<void> {
  await page.goto(`${station}/`);
  await expect(page).toHaveURL(/#\/admin$/);
  await signInAs(page, 'Admin démo', '1111');
  await expect(page.getByTestId('station-title')).toBeVisible();
}

// What the scripted scans leave behind, computed from the verdicts themselves.
const insideHall = new Set<string>();
let entriesToday = 0;
const denials = new Map<string, number>();

test('scripted scans at the gates', () => {
  const record = (v: { decision: string; reason: string }, direction: 'in' | 'out') => {
    if (v.decision === 'deny') denials.set(v.reason, (denials.get(v.reason) ?? 0) + 1);
    else if (direction === 'in') entriesToday += 1;
  };
  for (let n = 1; n <= 7; n++) {
    const v = scan(token(serial(n)), 'HALL', 'in');
    record(v, 'in');
    if (v.decision !== 'deny') insideHall.add(serial(n));
  }
  for (const n of [2, 6]) {
    const v = scan(token(serial(n)), 'HALL', 'out');
    record(v, 'out');
    if (v.decision !== 'deny') insideHall.delete(serial(n));
  }
  // A revoked badge and a closed zone are refused.
  const lost = token(serial(8));
  gh('revoke', serial(8), '--reason', 'perdu');
  const v8 = scan(lost, 'HALL', 'in');
  expect(v8.reason).toBe('revoked');
  record(v8, 'in');
  const v9 = scan(token(serial(9)), 'DEMO', 'in');
  expect(v9.decision).toBe('deny'); // zone_closed (DEMO opens on the demo days) or zone_not_allowed
  record(v9, 'in');
  expect(insideHall.size).toBeGreaterThanOrEqual(4);
});

test('the dashboard shows the same numbers', async ({ page }) => {
  await signIn(page);
  await expect(page.getByTestId('admin-tab-dashboard')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('dash-inside-HALL')).toHaveText(String(insideHall.size));
  for (const zone of ['BIZ', 'VIP', 'PRESS', 'DEMO']) {
    await expect(page.getByTestId(`dash-inside-${zone}`)).toHaveText('0');
  }
  await expect(page.getByTestId('dash-entries-today')).toHaveText(String(entriesToday));
  for (const [reason, count] of denials) {
    await expect(page.getByTestId(`dash-denial-${reason}`)).toHaveAttribute('data-count', String(count));
  }
  await expect(page.getByTestId('dash-denial-revoked')).toContainText('Badge révoqué');
  // The chart's bars add up to today's entries.
  const bars = page.getByTestId('dash-bar');
  await expect(bars.first()).toBeVisible();
  const values = await bars.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))));
  expect(values.reduce((a, b) => a + b, 0)).toBe(entriesToday);
  await page.screenshot({ path: join(artifacts, 'admin-dashboard.png'), fullPage: true });

  // It refreshes by itself: a new entry shows within a few seconds, no click.
  const v = scan(token(serial(10)), 'HALL', 'in');
  expect(v.decision).not.toBe('deny');
  insideHall.add(serial(10));
  entriesToday += 1;
  await expect(page.getByTestId('dash-inside-HALL')).toHaveText(String(insideHall.size), { timeout: 12_000 });
  await page.getByTestId('dash-by-category').click();
  await page.screenshot({ path: join(artifacts, 'admin-dashboard-by-category.png'), fullPage: true });
});

test('the roll-call lists exactly who is inside, as PDF and CSV in one click', async ({ page }) => {
  await signIn(page);
  await page.getByTestId('admin-tab-rollcall').click();
  await page.getByTestId('rc-zone-HALL').click();
  const rows = page.getByTestId('rc-row');
  await expect(rows).toHaveCount(insideHall.size);
  const listed = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-serial')));
  expect(new Set(listed)).toEqual(insideHall);
  await expect(page.getByTestId('rc-count')).toHaveAttribute('data-count', String(insideHall.size));
  await page.screenshot({ path: join(artifacts, 'admin-rollcall.png'), fullPage: true });

  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('rc-csv').click()]);
  expect(csv.suggestedFilename()).toMatch(/^appel-HALL-\d{8}-\d{4}\.csv$/);
  const text = readFileSync(await csv.path(), 'utf8');
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const lines = text.slice(1).trim().split('\r\n');
  expect(lines[0]).toBe('N° badge;Nom;Prénoms;Organisation;Pays;Catégorie;Délégation;Entrée');
  expect(new Set(lines.slice(1).map((l) => l.split(';')[0]))).toEqual(insideHall);
  await expect(page.getByTestId('rc-saved')).toContainText(csv.suggestedFilename());

  const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByTestId('rc-pdf').click()]);
  expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
  expect(readFileSync(await pdf.path()).subarray(0, 5).toString()).toBe('%PDF-');

  // Another zone: nobody inside, and it says so.
  await page.getByTestId('rc-zone-VIP').click();
  await expect(page.getByTestId('rc-empty')).toBeVisible();
  await expect(page.getByTestId('rc-row')).toHaveCount(0);
});

test('revoke a badge with a reason, and see it listed', async ({ page }) => {
  const before = token(serial(11));
  await signIn(page);
  await page.getByTestId('admin-tab-revocations').click();
  await expect(page.getByTestId('rev-row')).toHaveCount(1); // the CLI's, above
  await page.getByTestId('rev-serial').fill('bmx-000011');
  await page.getByTestId('rev-submit').click();
  await expect(page.getByTestId('rev-status')).toContainText('pourquoi');
  await page.getByTestId('rev-reason').fill("Badge déclaré volé à l'accueil");
  await page.getByTestId('rev-submit').click();
  await page.getByTestId('rev-confirm').click();
  await expect(page.getByTestId('rev-status')).toContainText('BMX-000011');
  await expect(page.getByTestId('rev-row')).toHaveCount(2);
  await expect(page.locator('[data-testid=rev-row][data-serial="BMX-000011"]')).toContainText("volé à l'accueil");
  // Twice is refused, in words.
  await page.getByTestId('rev-serial').fill('BMX-000011');
  await page.getByTestId('rev-reason').fill('encore');
  await page.getByTestId('rev-submit').click();
  await page.getByTestId('rev-confirm').click();
  await expect(page.getByTestId('rev-status')).toContainText('déjà révoqué');
  await page.screenshot({ path: join(artifacts, 'admin-revocations.png'), fullPage: true });
  // The gate refuses the badge it had printed.
  const r = spawnSync(cli, ['--db', db(), '--json', 'verify', '--zone', 'HALL', before], { encoding: 'utf8' });
  expect((JSON.parse(r.stdout) as { reason: string }).reason).toBe('revoked');
});

test('a double admission from two stations is listed and annotated', async ({ page }) => {
  // Two gates that could not see each other both admit the same badge (as after a partition):
  // two copies of this database under station ids of their own each scan it, and their
  // scans come back into this one as sync would bring them.
  const tok = token(serial(1));
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-gates-'));
  const gates = ['porte-nord', 'porte-sud'].map((station) => ({ station, copy: join(dir, `${station}.db`) }));
  for (const { station, copy } of gates) {
    execFileSync('sqlite3', [db(), `.backup '${copy}'`]);
    execFileSync('sqlite3', [copy, `UPDATE station SET uuid = '${station}', last_seq = 0`]);
  }
  for (const { station, copy } of gates) {
    const v = JSON.parse(
      spawnSync(cli, ['--db', copy, '--json', 'scan', '--zone', 'BIZ', tok], { encoding: 'utf8' }).stdout,
    ) as { decision: string; station: string };
    expect(v.station).toBe(station);
    execFileSync('sqlite3', [
      db(),
      `ATTACH '${copy}' AS g; INSERT OR IGNORE INTO scan SELECT * FROM g.scan WHERE station = '${station}';`,
    ]);
  }
  await signIn(page);
  await page.getByTestId('admin-tab-conflicts').click();
  const row = page.locator('[data-testid=conf-row][data-serial="BMX-000001"]');
  await expect(row).toBeVisible();
  await expect(row).toContainText('porte-nord');
  await expect(row).toContainText('porte-sud');
  await row.getByTestId('conf-note-input').fill('Vérifié à la vidéo : un seul passage, badge prêté');
  await row.getByTestId('conf-note-add').click();
  await expect(row.getByTestId('conf-note')).toContainText('badge prêté');
  await expect(row.getByTestId('conf-note')).toContainText('Admin démo');
  await page.screenshot({ path: join(artifacts, 'admin-conflicts.png'), fullPage: true });
  // The CLI sees the same conflict.
  const cliConflicts = JSON.parse(gh('--json', 'conflicts')) as { serial: string }[];
  expect(cliConflicts.map((c) => c.serial)).toContain('BMX-000001');
});

test('event setup without files: capacity, access matrix, staff; every change audited', async ({ page }) => {
  test.setTimeout(90_000); // many saves and Argon2 hashes, on a machine shared with builds
  await signIn(page);
  await page.getByTestId('admin-tab-setup').click();
  await expect(page.getByTestId('setup-save')).toBeDisabled();
  await page.getByTestId('setup-capacity-HALL').fill('3500');
  await page.getByTestId('setup-venue').fill('Centre international de conférences de Bamako (CICB)');
  // Visitors get the business lounge too (a cell of the grid).
  await expect(page.getByTestId('matrix-VIS-BIZ')).not.toBeChecked();
  await page.getByTestId('matrix-VIS-BIZ').check();
  await expect(page.getByTestId('setup-status')).toContainText('non enregistrées');
  await page.screenshot({ path: join(artifacts, 'admin-setup.png'), fullPage: true });
  await page.getByTestId('setup-save').click();
  await expect(page.getByTestId('setup-status')).toContainText('Configuration enregistrée');
  // The core has it: the event through the CLI, the dashboard's capacity.
  const event = JSON.parse(gh('--json', 'event')) as {
    venue: string;
    zones: { code: string; capacity: number | null }[];
    categories: { code: string; zones: string[] }[];
  };
  expect(event.zones.find((z) => z.code === 'HALL')?.capacity).toBe(3500);
  expect(event.venue).toBe('Centre international de conférences de Bamako (CICB)');
  expect(event.categories.find((c) => c.code === 'VIS')?.zones).toContain('BIZ');
  await page.getByTestId('admin-tab-dashboard').click();
  await expect(page.getByTestId('dash-zone-HALL')).toContainText('sur 3500');

  // The demo accounts still use the published demo PINs: the console says so.
  await page.getByTestId('admin-tab-setup').click();
  await expect(page.getByTestId('staff-demo-pins')).toContainText('4 comptes utilisent encore un PIN de démonstration');
  await expect(page.locator('[data-testid=staff-row][data-name="Admin démo"]')).toHaveAttribute('data-demo-pin', 'true');

  // Until then, going live is refused, and the screen says so.
  await expect(page.getByTestId('staff-pins-to-change')).toContainText('4 comptes actifs gardent un PIN de démonstration ou trop court');
  // A new gate account with its own PIN, which then signs in; a demo PIN, or one below the
  // role's rule, is refused naming the rule.
  await page.getByTestId('staff-new-name').fill('Awa Traoré');
  await page.getByTestId('staff-new-role').selectOption('gate');
  await page.getByTestId('staff-new-pin').fill('3333');
  await page.getByTestId('staff-create').click();
  await expect(page.getByTestId('staff-status')).toContainText('PIN de 6 à 12 chiffres pour ce rôle');
  await page.getByTestId('staff-new-role').selectOption('supervisor');
  await page.getByTestId('staff-new-pin').fill('458013');
  await page.getByTestId('staff-create').click();
  await expect(page.getByTestId('staff-status')).toContainText('PIN de 8 à 12 chiffres pour ce rôle');
  await page.getByTestId('staff-status').screenshot({ path: join(artifacts, 'admin-pin-rule-fr.png') });
  await page.getByTestId('staff-new-role').selectOption('gate');
  await page.getByTestId('staff-new-pin').fill('458013');
  await page.getByTestId('staff-create').click();
  await expect(page.getByTestId('staff-status')).toContainText('Awa Traoré');
  await expect(page.locator('[data-testid=staff-row][data-name="Awa Traoré"]')).toBeVisible();
  await expect(page.locator('[data-testid=staff-row][data-name="Awa Traoré"]')).toHaveAttribute('data-demo-pin', 'false');

  // A refusal reaches the French console in French (and the English one in English): a
  // desk PIN shorter than the rule.
  await page.getByTestId('staff-new-name').fill('Moussa Keïta');
  await page.getByTestId('staff-new-role').selectOption('desk');
  await page.getByTestId('staff-new-pin').fill('4580');
  await page.getByTestId('staff-create').click();
  const status = page.getByTestId('staff-status');
  await expect(status).toContainText('PIN de 6 à 12 chiffres pour ce rôle');
  await expect(status).not.toContainText('digits');
  await status.screenshot({ path: join(artifacts, 'admin-pin-rule-fr.png') });
  await page.getByTestId('lang-en').click();
  await page.getByTestId('staff-create').click();
  await expect(status).toContainText('A PIN of 6 to 12 digits for this role');
  await status.screenshot({ path: join(artifacts, 'admin-pin-rule-en.png') });
  await page.getByTestId('lang-fr').click();
  await expect(page.locator('[data-testid=staff-row][data-name="Moussa Keïta"]')).toHaveCount(0);
  await page.getByTestId('staff-demo-pins').screenshot({ path: join(artifacts, 'admin-demo-pins.png') });
  await page.locator('table:has([data-testid=staff-row])').screenshot({ path: join(artifacts, 'admin-staff.png') });

  // Audited, field by field, by the signed-in admin; never the PIN.
  await page.getByTestId('admin-tab-audit').click();
  await page.getByTestId('audit-action').selectOption('event.update');
  await page.getByTestId('audit-apply').click();
  const row = page.getByTestId('audit-row').first();
  await expect(row).toContainText('Zone HALL — capacité : 4000 → 3500');
  await expect(row).toContainText('Événement — lieu :');
  await expect(row).toContainText('Configuration modifiée');
  await expect(row).not.toContainText('event.update');
  await expect(row).toContainText('Admin démo');
  await page.getByTestId('audit-action').selectOption('staff.create');
  await page.getByTestId('audit-apply').click();
  await expect(page.getByTestId('audit-row').first()).toContainText('Awa Traoré');
  await expect(page.getByTestId('audit-row').first()).not.toContainText('458013');

  // The console lists its organisers only: a gate officer is not offered here.
  await page.getByTestId('admin-signout').click();
  await page.getByTestId('signin-search').fill('Awa');
  await expect(page.getByTestId('signin-nobody')).toHaveText('Aucun nom ne commence par « Awa ».');
  // At the gate, the new account signs in with its own PIN.
  await page.goto(`${station}/#/gate/HALL`);
  await signInAs(page, 'Awa Traoré', '458013');
  await expect(page.getByTestId('gate-screen')).toBeVisible();
});

test('an audit entry altered in SQLite is caught by verify at its position', async ({ page }) => {
  await signIn(page);
  await page.getByTestId('admin-tab-audit').click();
  await expect(page.getByTestId('audit-row').first()).toBeVisible();
  // Filters: only revocations, by the signed-in admin.
  await page.getByTestId('audit-action').selectOption('badge.revoke');
  await page.getByTestId('audit-apply').click();
  await expect(page.getByTestId('audit-row')).toHaveCount(2);
  await page.getByTestId('audit-actor').fill('cli');
  await page.getByTestId('audit-apply').click();
  await expect(page.getByTestId('audit-row')).toHaveCount(1);
  await page.getByTestId('audit-actor').fill('');
  await page.getByTestId('audit-action').selectOption('');
  await page.getByTestId('audit-apply').click();

  await page.getByTestId('audit-verify').click();
  await expect(page.getByTestId('audit-result')).toContainText('Chaîne intacte');

  // A tamperer drops the append-only trigger and rewrites one entry in the middle.
  const total = Number(execFileSync('sqlite3', [db(), 'SELECT COUNT(*) FROM audit;'], { encoding: 'utf8' }).trim());
  const victim = Math.floor(total / 2);
  execFileSync('sqlite3', [
    db(),
    `DROP TRIGGER audit_no_update; UPDATE audit SET actor = 'personne' WHERE seq = ${victim};`,
  ]);
  await page.getByTestId('audit-verify').click();
  await expect(page.getByTestId('audit-result')).toHaveAttribute('data-first-bad', String(victim));
  await expect(page.getByTestId('audit-result')).toContainText(`l'entrée n° ${victim} ne se vérifie pas`);
  await expect(page.getByTestId('audit-result')).toContainText('personne');
  await expect(page.locator(`[data-testid=audit-row][data-seq="${victim}"]`)).toHaveClass(/adm-bad/);
  await page.screenshot({ path: join(artifacts, 'admin-audit-tampered.png'), fullPage: true });
  // The command line agrees.
  const r = spawnSync(cli, ['--db', db(), 'audit', 'verify'], { encoding: 'utf8' });
  expect(r.status).toBe(1);
  expect(r.stderr).toContain(`l'entrée d'audit ${victim} ne se vérifie pas`);
});

test('the console in English, and only for admins', async ({ page }) => {
  await page.goto(`${station}/`);
  await page.getByTestId('lang-en').click();
  // Only organisers are offered here: a gate officer's name is not in the list.
  await expect(page.getByTestId('signin-person')).toHaveText([/Admin démo\s*Organiser/]);
  await page.getByTestId('signin-search').fill('Contr');
  await expect(page.getByTestId('signin-nobody')).toHaveText('No name starts with “Contr”.');
  await page.screenshot({ path: join(artifacts, 'admin-signin-en.png') });
  await signInAs(page, 'Admin démo', '1111');
  await expect(page.getByTestId('station-title')).toHaveText('Organiser console');
  await page.getByTestId('admin-tab-rollcall').click();
  await page.getByTestId('rc-zone-HALL').click();
  await expect(page.getByTestId('rc-count')).toContainText('people inside');
  await page.screenshot({ path: join(artifacts, 'admin-rollcall-en.png'), fullPage: true });
  await page.getByTestId('lang-fr').click();
});

test('signing keys: a new key, then the old one retired refuses the badges it signed', async ({ page }) => {
  const old = token(serial(12));
  await signIn(page);
  await page.getByTestId('admin-tab-setup').click();
  await expect(page.getByTestId('key-row')).toHaveCount(1);
  const oldKid = await page.getByTestId('key-row').first().getAttribute('data-kid');
  await page.getByTestId('key-rotate').click();
  await expect(page.getByTestId('key-row')).toHaveCount(2);
  await page.locator(`[data-testid=key-row][data-kid="${oldKid}"] [data-testid=key-retire]`).click();
  await page.getByTestId('key-retire-yes').click();
  await expect(page.locator(`[data-testid=key-row][data-kid="${oldKid}"]`)).toHaveAttribute('data-retired', 'true');
  await expect(page.locator(`[data-testid=key-row][data-kid="${oldKid}"]`)).toContainText('retirée');
  await page.getByTestId('key-row').last().scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(artifacts, 'admin-keys.png') });
  const r = spawnSync(cli, ['--db', db(), '--json', 'verify', '--zone', 'HALL', old], { encoding: 'utf8' });
  expect((JSON.parse(r.stdout) as { reason: string }).reason).toBe('unknown_key');
});

test('a removed zone is retired: printed badges keep their meaning, its code is not given again', async ({ page }) => {
  const verify = (tok: string, zone: string): string => {
    const r = spawnSync(cli, ['--db', db(), '--json', 'verify', '--zone', zone, tok], { encoding: 'utf8' });
    return (JSON.parse(r.stdout) as { reason: string }).reason;
  };
  // A printed exhibitor badge: HALL, BIZ and DEMO, not VIP.
  const exhibitor = execFileSync(
    'sqlite3',
    [
      db(),
      "SELECT serial FROM attendee WHERE category = 'EXH' AND zones_override IS NULL AND serial NOT IN (SELECT serial FROM revocation) AND serial NOT IN (SELECT serial FROM scan) LIMIT 1;",
    ],
    { encoding: 'utf8' },
  ).trim();
  expect(exhibitor).toMatch(/^BMX-/);
  const printed = token(exhibitor);
  expect([verify(printed, 'HALL'), verify(printed, 'BIZ'), verify(printed, 'VIP')]).toEqual([
    'ok',
    'ok',
    'zone_not_allowed',
  ]);

  await signIn(page);
  await page.getByTestId('admin-tab-setup').click();
  const biz = page.locator('[data-testid=setup-zone][data-code="BIZ"]');
  await biz.getByTestId('zone-retire').click();
  const confirm = page.locator('[data-testid=zone-retire-confirm][data-code="BIZ"]');
  await expect(confirm.getByTestId('zone-retire-explain')).toContainText('Les badges déjà imprimés gardent leur sens');
  await page.locator('table:has([data-testid=setup-zone])').screenshot({ path: join(artifacts, 'admin-setup-retire-confirm.png') });
  await confirm.getByTestId('zone-retire-yes').click();
  await expect(biz).toHaveCount(0);
  const retired = page.locator('[data-testid=setup-retired-zone][data-code="BIZ"]');
  await expect(retired).toContainText('retirée');
  await expect(page.getByTestId('matrix-EXH-BIZ')).toHaveCount(0);
  await page.getByTestId('setup-save').click();
  await expect(page.getByTestId('setup-status')).toContainText('Configuration enregistrée');
  await expect(retired).toContainText('Salon d');
  await page.getByTestId('setup-retired-zone').first().scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(artifacts, 'admin-setup-retired-zone.png') });

  type Ev = { zones: { code: string; bit: number }[]; retired_zones: { code: string; bit: number }[] };
  const event = (): Ev => JSON.parse(gh('--json', 'event')) as Ev;
  expect(event().retired_zones).toEqual([expect.objectContaining({ code: 'BIZ', bit: 1 })]);
  expect(event().zones.map((z) => z.code)).toEqual(['HALL', 'VIP', 'PRESS', 'DEMO']);
  // VIP does not take BIZ's place on the badge; BIZ itself is closed.
  expect([verify(printed, 'HALL'), verify(printed, 'BIZ'), verify(printed, 'VIP')]).toEqual([
    'ok',
    'zone_closed',
    'zone_not_allowed',
  ]);

  // Reordering changes the display order only.
  await page.getByRole('button', { name: 'Monter VIP' }).click();
  await page.getByTestId('setup-save').click();
  await expect(page.getByTestId('setup-status')).toContainText('Configuration enregistrée');
  expect(event().zones.map((z) => [z.code, z.bit])).toEqual([
    ['VIP', 2],
    ['HALL', 0],
    ['PRESS', 3],
    ['DEMO', 4],
  ]);
  expect([verify(printed, 'HALL'), verify(printed, 'VIP'), verify(token(exhibitor), 'VIP')]).toEqual([
    'ok',
    'zone_not_allowed',
    'zone_not_allowed',
  ]);

  // A new zone cannot take the retired zone's code.
  await page.getByRole('button', { name: 'Ajouter une zone' }).click();
  const added = page.getByTestId('setup-zone').last();
  await added.getByLabel('Code').fill('biz');
  await added.getByLabel('Nom (français)').fill('Affaires');
  await added.getByLabel('Nom (anglais)').fill('Business');
  await page.getByTestId('setup-save').click();
  await expect(page.getByTestId('setup-status')).toContainText('Le code BIZ est celui d’une zone retirée');
  await page.getByRole('button', { name: 'Annuler les modifications' }).click();
  expect(event().zones).toHaveLength(4);
});
