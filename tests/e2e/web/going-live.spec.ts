import { expect, test, type Browser, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nameOf, signInAs } from './signin';
import { e2ePort } from './ports';

// Going live (issue 21, items 2, 4, 6, 15) on `gatehouse serve`, port 18110 (see
// playwright.config.ts), a fresh demo event starting today: a change of access says how many
// printed badges keep their old access and reissues them; a configuration saved on one
// console reaches the other open screens live, nobody signed out, and a reload keeps the
// session; the desk without a printer makes the badge as a PDF, recorded as printed, and its
// batch print makes one PDF of several badges, one page each, every badge recorded.
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const artifacts = join(here, '..', 'artifacts');
const cli = process.env.GATEHOUSE_BIN ?? join(root, 'target/debug/gatehouse');
const port = e2ePort(18110);
const station = `http://127.0.0.1:${port}`;

test.skip(process.env.GATEHOUSE_EXTERNAL_SERVER === '1', 'needs the server of the config and its database');
test.describe.configure({ mode: 'serial' });

function db(): string {
  return readFileSync(join(process.env.TMPDIR ?? tmpdir(), `gatehouse-e2e-${port}.db-path`), 'utf8').trim();
}

function gh(...args: string[]): string {
  return execFileSync(cli, ['--db', db(), ...args], { encoding: 'utf8' });
}

function sql(query: string): string {
  return execFileSync('sqlite3', [db(), query], { encoding: 'utf8' }).trim();
}

type Event = { name: string; city: string; days: { date: string }[] };
const storedEvent = (): Event => JSON.parse(gh('--json', 'event')) as Event;

/** A screen of its own (a browser context: its own session), signed in with `pin`. */
async function screen(browser: Browser, hash: string, pin: string, lang: 'fr' | 'en' = 'fr'): Promise<Page> {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${station}/${hash}`);
  if (lang === 'en') await page.getByTestId('lang-en').click();
  await signInAs(page, nameOf(pin), pin);
  return page;
}

test('demo PINs are said on every screen while they are active', async ({ browser }) => {
  for (const [hash, pin, ready] of [
    ['#/admin', '1111', 'station-title'],
    ['#/desk', '2222', 'desk'],
    ['#/gate/HALL', '3333', 'gate-ready'],
  ] as const) {
    const page = await screen(browser, hash, pin);
    await expect(page.getByTestId(ready)).toBeVisible();
    await expect(page.getByTestId('demo-pins-banner')).toContainText('PIN de démonstration encore actifs sur 4 comptes');
    await page.screenshot({ path: join(artifacts, `going-live-demo-pins-${hash.split('/')[1]}-fr.png`) });
    await page.getByTestId('lang-en').click();
    await expect(page.getByTestId('demo-pins-banner')).toContainText('Demo PINs still active on 4 accounts');
    await page.screenshot({ path: join(artifacts, `going-live-demo-pins-${hash.split('/')[1]}-en.png`) });
    await page.context().close();
  }
});

test('a change of access says which printed badges keep their old access, and reissues them', async ({
  browser,
}) => {
  // Two badges printed elsewhere (PDF recorded), one only previewed.
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-e2e-going-live-'));
  try {
    gh('badges', '--serial', 'BMX-000001', 'BMX-000002', '--out', join(dir, 'lot.pdf'), '--record');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const before = gh('token', 'BMX-000001').trim();
  const category = sql("SELECT category FROM attendee WHERE serial = 'BMX-000001'");
  const other = sql("SELECT category FROM attendee WHERE serial = 'BMX-000002'");

  const page = await screen(browser, '#/admin', '1111');
  await page.getByTestId('admin-tab-setup').click();
  const first = storedEvent().days[0].date;
  const eve = new Date(Date.parse(`${first}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  await page.getByTestId('setup-new-day').fill(eve);
  await page.getByRole('button', { name: 'Ajouter la journée' }).click();
  // The badge holders' categories now also grant the day before.
  for (const c of new Set([category, other])) await page.getByLabel(`${c} × ${eve}`).check();
  await page.getByTestId('setup-save').click();
  const impact = page.getByTestId('setup-impact');
  await expect(impact).toContainText('2 badges déjà imprimés gardent leurs anciens accès');
  await expect(page.getByTestId('setup-impact-list')).toContainText('BMX-000001, BMX-000002');
  await impact.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(artifacts, 'going-live-reissue-fr.png') });
  await page.getByTestId('lang-en').click();
  await expect(impact).toContainText('2 badges already printed keep their old access');
  await expect(page.getByTestId('setup-reissue')).toHaveText('Save and reissue these 2 badges');
  await page.screenshot({ path: join(artifacts, 'going-live-reissue-en.png') });
  // Nothing is saved until the organiser answers.
  expect(storedEvent().days.map((d) => d.date)).not.toContain(eve);
  await page.getByTestId('lang-fr').click();
  await page.getByTestId('setup-reissue').click();
  await expect(page.getByTestId('setup-status')).toContainText('2 badge(s) réémis');
  expect(storedEvent().days.map((d) => d.date)).toContain(eve);

  // A new version each; the printed QR answers as superseded; back to pre-registered.
  expect(sql("SELECT MAX(version) FROM badge WHERE serial = 'BMX-000001'")).toBe('2');
  expect(sql("SELECT status FROM attendee WHERE serial IN ('BMX-000001', 'BMX-000002')")).toBe(
    'preregistered\npreregistered',
  );
  const verdict = JSON.parse(
    execFileSync(cli, ['--db', db(), '--json', 'verify', before, '--zone', 'HALL'], { encoding: 'utf8' }).toString(),
  ) as { reason: string };
  expect(verdict.reason).toBe('superseded');
  // The badge made now carries the new day, under its new version (never under the old one).
  const now = gh('token', 'BMX-000001').trim();
  expect(now).not.toBe(before);
  await page.context().close();
});

test('a configuration saved on one console reaches the open screens live; a reload keeps the session', async ({
  browser,
}) => {
  const editor = await screen(browser, '#/admin', '1111');
  await editor.getByTestId('admin-tab-setup').click();
  const watcher = await screen(browser, '#/admin', '1111', 'en');
  await watcher.getByTestId('admin-tab-setup').click();
  const desk = await screen(browser, '#/desk', '2222');
  await expect(desk.getByTestId('desk')).toBeVisible();
  await desk.getByTestId('desk-search').fill('BMX-000003');

  await editor.getByTestId('setup-city').fill('Ségou');
  await editor.getByTestId('setup-event-name').fill('BAMEX’25 — répétition');
  await editor.getByTestId('setup-save').click();
  await expect(editor.getByTestId('setup-status')).toContainText('Configuration enregistrée');

  // The other console's untouched form follows, without a reload or a sign-in.
  await expect(watcher.getByTestId('setup-city')).toHaveValue('Ségou');
  await expect(watcher.getByTestId('setup-status')).toContainText('The setup changed on another station');
  await expect(watcher.getByTestId('signin-pin')).toHaveCount(0);
  await watcher.screenshot({ path: join(artifacts, 'going-live-pushed-en.png') });
  // The desk too: its title follows the event's name; the search typed is still there.
  await expect(desk).toHaveTitle(/BAMEX’25 — répétition/);
  await expect(desk.getByTestId('desk-search')).toHaveValue('BMX-000003');
  await expect(desk.getByTestId('signin-pin')).toHaveCount(0);
  await desk.screenshot({ path: join(artifacts, 'going-live-pushed-desk-fr.png') });

  // A console being edited keeps its edit and says a save would be refused.
  await watcher.getByTestId('setup-venue').fill('Palais des congrès');
  await editor.getByTestId('setup-city').fill('Mopti');
  await editor.getByTestId('setup-save').click();
  await expect(watcher.getByTestId('setup-changed-elsewhere')).toContainText('changed on another station while you were editing');
  await expect(watcher.getByTestId('setup-venue')).toHaveValue('Palais des congrès');
  await watcher.getByTestId('lang-fr').click();
  await expect(watcher.getByTestId('setup-changed-elsewhere')).toContainText('pendant votre modification');
  await watcher.screenshot({ path: join(artifacts, 'going-live-pushed-editing-fr.png') });

  // A reload keeps the operator signed in.
  await desk.reload();
  await expect(desk.getByTestId('desk')).toBeVisible();
  await expect(desk.getByTestId('signin-pin')).toHaveCount(0);
  await watcher.reload();
  await expect(watcher.getByTestId('station-title')).toBeVisible();
  await expect(watcher.getByTestId('signin-pin')).toHaveCount(0);
  // Signing out, then reloading, asks for the PIN again.
  for (const p of [editor, watcher, desk]) await p.context().close();
});

test('the desk without a printer makes the badge as a PDF, recorded as printed', async ({ browser }) => {
  const page = await screen(browser, '#/desk', '2222');
  await expect(page.getByTestId('desk')).toBeVisible();
  await page.getByTestId('desk-search').fill('BMX-000004');
  await page.getByTestId('desk-hit').first().click();
  await expect(page.getByTestId('badge-preview')).toBeVisible();
  await expect(page.getByTestId('pdf-hint')).toContainText('Aucune imprimante choisie pour ce poste');
  await expect(page.getByTestId('print-button')).toContainText('Badge en PDF');
  await page.screenshot({ path: join(artifacts, 'going-live-desk-pdf-fr.png') });
  // The settings show no printer chosen, as the desk says (none pre-selected).
  await page.getByTestId('desk-settings').click();
  await expect(page.getByTestId('settings-printer')).toHaveValue('');
  await page.getByTestId('settings-save').click();

  const download = page.waitForEvent('download');
  await page.getByTestId('print-button').click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('BMX-000004-v1.pdf');
  await expect(page.getByTestId('pdf-made')).toContainText('PDF BMX-000004-v1.pdf téléchargé');
  await expect(page.getByTestId('pdf-open')).toBeVisible();
  await page.screenshot({ path: join(artifacts, 'going-live-desk-pdf-done-fr.png') });
  expect(sql("SELECT status FROM attendee WHERE serial = 'BMX-000004'")).toBe('printed');
  expect(sql("SELECT printer || ' ' || job || ' ' || outcome FROM print_log WHERE serial = 'BMX-000004'")).toBe(
    'PDF pdf:BMX-000004-v1.pdf completed',
  );
  // The PDF's QR scans and passes the gate.
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-e2e-pdf-'));
  try {
    const pdf = join(dir, 'badge.pdf');
    await file.saveAs(pdf);
    execFileSync('pdftoppm', ['-r', '203', '-png', pdf, join(dir, 'page')]);
    const qr = execFileSync('zbarimg', ['--raw', '-q', join(dir, 'page-1.png')], { encoding: 'utf8' }).trim();
    const verdict = JSON.parse(gh('--json', 'verify', qr, '--zone', 'HALL')) as { serial: string; version: number };
    expect(verdict).toMatchObject({ serial: 'BMX-000004', version: 1 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  await page.getByTestId('lang-en').click();
  await expect(page.getByTestId('print-button')).toContainText('New badge as PDF');
  await page.screenshot({ path: join(artifacts, 'going-live-desk-pdf-en.png') });
  await page.context().close();
});

test('the template takes the event’s own logo, name and days; its badges still scan', async ({ browser }) => {
  const page = await screen(browser, '#/admin', '1111');
  await page.getByTestId('admin-tab-badge').click();
  await expect(page.getByTestId('tpl-preview')).toBeVisible();
  // The event's own name (changed in Setup by an earlier test), not a field of its own.
  await expect(page.getByTestId('tpl-event-name')).toContainText('BAMEX’25 — répétition');
  await expect(page.getByTestId('tpl-logo-builtin')).toBeVisible();

  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-e2e-logo-'));
  try {
    // Not an image: refused by name, in words.
    const text = join(dir, 'logo.txt');
    writeFileSync(text, 'not a logo');
    await page.getByTestId('tpl-logo-file').setInputFiles(text);
    await expect(page.getByTestId('tpl-logo-problem')).toHaveText('« logo.txt » n’est ni un PNG ni un SVG.');
    // A wide SVG: drawn to PNG, shown, and the preview follows.
    const svg = join(dir, 'logo.svg');
    writeFileSync(
      svg,
      '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100"><rect width="300" height="100" fill="#7a1f8c"/><circle cx="50" cy="50" r="40" fill="#ffd400"/></svg>',
    );
    const before = await page.getByTestId('tpl-preview').getAttribute('src');
    await page.getByTestId('tpl-logo-file').setInputFiles(svg);
    await expect(page.getByTestId('tpl-logo-thumb')).toBeVisible();
    await expect(page.getByTestId('tpl-preview')).not.toHaveAttribute('src', before ?? '');
    await page.getByTestId('tpl-save').click();
    await expect(page.getByTestId('tpl-status')).toContainText('enregistré');
    await page.getByTestId('tpl-preview').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(artifacts, 'going-live-template-logo-fr.png') });
    await page.getByTestId('lang-en').click();
    await expect(page.getByTestId('tpl-event-name')).toContainText('Event name on the badge');
    await page.screenshot({ path: join(artifacts, 'going-live-template-logo-en.png') });

    // Printed with the event's name and the logo; the QR still scans and passes.
    const pdf = join(dir, 'badge.pdf');
    gh('badges', '--serial', 'BMX-000005', '--out', pdf);
    const words = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
    expect(words).toContain('répétition');
    const images = execFileSync('pdfimages', ['-list', pdf], { encoding: 'utf8' });
    expect(images).toMatch(/\b512\s+171\b/);
    execFileSync('pdftoppm', ['-r', '203', '-png', pdf, join(dir, 'page')]);
    const qr = execFileSync('zbarimg', ['--raw', '-q', join(dir, 'page-1.png')], { encoding: 'utf8' }).trim();
    const verdict = JSON.parse(gh('--json', 'verify', qr, '--zone', 'HALL')) as { serial: string };
    expect(verdict.serial).toBe('BMX-000005');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await page.context().close();
});

test('the desk’s batch print without a printer makes one PDF of all the badges, each recorded', async ({ browser }) => {
  const page = await screen(browser, '#/desk', '2222');
  await expect(page.getByTestId('desk')).toBeVisible();
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-e2e-batch-pdf-'));
  /** The batch's PDF downloaded: its name, its pages, the badges the print log holds for it. */
  async function made(start: () => Promise<void>): Promise<{ name: string; pages: number; serials: string[] }> {
    const download = page.waitForEvent('download');
    await start();
    const file = await download;
    const name = file.suggestedFilename();
    expect(name).toMatch(/^badges-\d{8}-\d{6}-\d{3}\.pdf$/);
    const pdf = join(dir, name);
    await file.saveAs(pdf);
    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
    const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1] ?? '0');
    const serials = sql(`SELECT serial FROM print_log WHERE printer = 'PDF' AND job = 'pdf:${name}' ORDER BY serial`)
      .split('\n')
      .filter((s) => s !== '');
    // Each page's QR scans and names one of the badges recorded.
    execFileSync('pdftoppm', ['-r', '203', '-png', pdf, join(dir, name)]);
    for (const page of [1, pages]) {
      const png = join(dir, `${name}-${page}.png`);
      const qr = execFileSync('zbarimg', ['--raw', '-q', png], { encoding: 'utf8' }).trim();
      const verdict = JSON.parse(gh('--json', 'verify', qr, '--zone', 'HALL')) as { serial: string };
      expect(serials).toContain(verdict.serial);
    }
    return { name, pages, serials };
  }
  try {
    // French: no printer chosen, so the batch offers its badges as one PDF.
    await page.getByTestId('desk-batch').click();
    await page.getByTestId('batch-delegation').selectOption('Délégation du Ghana');
    await expect(page.getByTestId('batch-count')).toContainText('4 badge(s) à imprimer sur 4');
    await expect(page.getByTestId('batch-pdf-note')).toContainText('les badges sortent dans un seul PDF, une page par badge');
    await expect(page.getByTestId('batch-pdf-start')).toHaveText('Badges en PDF (4)');
    await page.screenshot({ path: join(artifacts, 'going-live-batch-pdf-fr.png') });
    const fr = await made(() => page.getByTestId('batch-pdf-start').click());
    expect(fr.pages).toBe(4);
    expect(fr.serials).toHaveLength(4);
    await expect(page.getByTestId('batch-pdf-made')).toContainText(
      `PDF ${fr.name} téléchargé : 4 badge(s), une page chacun, inscrits au journal d’impression`,
    );
    await expect(page.getByTestId('batch-pdf-open')).toBeVisible();
    await page.screenshot({ path: join(artifacts, 'going-live-batch-pdf-done-fr.png') });
    for (const serial of fr.serials) {
      expect(sql(`SELECT status FROM attendee WHERE serial = '${serial}'`)).toBe('printed');
    }
    await page.getByTestId('batch-done').click();

    // English, reprinting them: a new version each, one PDF again.
    await page.getByTestId('lang-en').click();
    await page.getByTestId('desk-batch').click();
    await page.getByTestId('batch-delegation').selectOption('Délégation du Ghana');
    await expect(page.getByTestId('batch-count')).toContainText('0 badge(s) to print out of 4');
    await page.getByTestId('batch-include-printed').check();
    await expect(page.getByTestId('batch-pdf-note')).toContainText('the badges come out in one PDF, one page per badge');
    await expect(page.getByTestId('batch-pdf-start')).toHaveText('Badges as PDF (4)');
    await page.screenshot({ path: join(artifacts, 'going-live-batch-pdf-en.png') });
    const en = await made(() => page.getByTestId('batch-pdf-start').click());
    expect(en.pages).toBe(4);
    expect(en.serials).toEqual(fr.serials);
    await expect(page.getByTestId('batch-pdf-made')).toContainText(
      `PDF ${en.name} downloaded: 4 badge(s), one page each, recorded in the print log`,
    );
    await page.screenshot({ path: join(artifacts, 'going-live-batch-pdf-done-en.png') });
    expect(sql(`SELECT DISTINCT version FROM print_log WHERE job = 'pdf:${en.name}'`)).toBe('2');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await page.context().close();
});
