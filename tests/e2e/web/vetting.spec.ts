import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signInAs } from './signin';
import { e2ePort } from './ports';

// The console's "Accréditation / Vetting" screen (issue 16) on `gatehouse serve --role admin`
// on port 18106 (playwright.config.ts): the queue filtered by category, a bulk decision with a
// reason, what the gate then says, and the screen in English. The CLI on the server's own
// database checks what was recorded.
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const artifacts = join(here, '..', 'artifacts');
const cli = process.env.GATEHOUSE_BIN ?? join(root, 'target/debug/gatehouse');
const port = e2ePort(18106);
const station = `http://127.0.0.1:${port}`;

test.skip(process.env.GATEHOUSE_EXTERNAL_SERVER === '1', 'needs the vetting server of the config and its database');
test.describe.configure({ mode: 'serial' });

function db(): string {
  return readFileSync(join(process.env.TMPDIR ?? tmpdir(), `gatehouse-e2e-${port}.db-path`), 'utf8').trim();
}

function gh(...args: string[]): string {
  return execFileSync(cli, ['--db', db(), ...args], { encoding: 'utf8' });
}

interface Row {
  serial: string;
  category: string;
  status: string;
}

const queue = (...args: string[]): Row[] => JSON.parse(gh('--json', 'vetting', 'list', ...args)) as Row[];

const tokenOf = (serial: string): string => (JSON.parse(gh('--json', 'token', serial)) as { token: string }).token;

function verdict(serialOrToken: string): string {
  const tok = serialOrToken.startsWith('GH1:') ? serialOrToken : tokenOf(serialOrToken);
  return (JSON.parse(gh('--json', 'verify', '--zone', 'HALL', tok)) as { reason: string }).reason;
}

async function open(page: Page): Promise<void> {
  await page.goto(`${station}/`);
  await expect(page).toHaveURL(/#\/admin$/);
  await signInAs(page, 'Admin démo', '1111');
  await page.getByTestId('admin-tab-vetting').click();
  await expect(page.getByTestId('vetting-table')).toBeVisible();
}

test('badges are held until cleared: the organiser chooses print_held in the setup', async ({ page }) => {
  await page.goto(`${station}/`);
  await signInAs(page, 'Admin démo', '1111');
  await page.getByTestId('admin-tab-setup').click();
  // The demo asks vetting of every category but visitors; nothing is held until chosen.
  await expect(page.getByTestId('setup-vetting-EXH')).toBeChecked();
  await expect(page.getByTestId('setup-vetting-VIS')).not.toBeChecked();
  await expect(page.getByTestId('setup-vetting-off')).toBeChecked();
  await page.getByTestId('setup-vetting-print_held').check();
  await page.getByTestId('setup-vetting-policy').screenshot({ path: join(artifacts, 'vetting-setup-fr.png') });
  await page.getByTestId('setup-save').click();
  await expect(page.getByTestId('setup-status')).toContainText('Configuration enregistrée');
  const exh = queue('--category', 'EXH');
  expect(exh.length).toBeGreaterThan(2);
  expect(verdict(exh[0].serial)).toBe('not_cleared');
});

test('the queue filtered by category, then a bulk decision with a reason', async ({ page }) => {
  const exh = queue('--category', 'EXH');
  await open(page);
  await expect(page.getByTestId('admin-tab-vetting')).toHaveText('Accréditation');
  await page.getByTestId('vetting-category').selectOption('EXH');
  await expect(page.getByTestId('vetting-row')).toHaveCount(exh.length);
  await expect(page.getByTestId('vetting-count')).toHaveText(`${exh.length} personne(s)`);
  await page.screenshot({ path: join(artifacts, 'vetting-queue.png') });

  // Nothing chosen, or no reason: said in place, nothing recorded.
  await page.getByTestId('vetting-clear').click();
  await expect(page.getByTestId('vetting-problem')).toHaveText('Choisissez au moins une personne');
  await page.getByTestId('vetting-all').check();
  await expect(page.getByTestId('vetting-selected')).toHaveText(`${exh.length} choisie(s)`);
  await page.getByTestId('vetting-clear').click();
  await expect(page.getByTestId('vetting-problem')).toHaveText('Indiquez le motif de la décision');

  await page.getByTestId('vetting-reason').fill('Avis favorable des services, lot 1');
  await page.getByTestId('vetting-clear').click();
  await expect(page.getByTestId('vetting-done')).toHaveText(`${exh.length} décision(s) enregistrée(s) : Accordée.`);
  await expect(page.getByTestId('vetting-row-status')).toHaveText(Array(exh.length).fill('Accordée'));
  await expect(page.getByTestId('vetting-row').first()).toContainText('Avis favorable des services, lot 1');
  await page.screenshot({ path: join(artifacts, 'vetting-cleared.png') });

  // Recorded, audited, and the gate now admits them.
  expect(queue('--category', 'EXH').every((r) => r.status === 'cleared')).toBe(true);
  expect(verdict(exh[0].serial)).toBe('ok');
  const audit = JSON.parse(gh('--json', 'audit', 'verify')) as { entries: number };
  expect(audit.entries).toBeGreaterThan(exh.length);
});

test('a refusal asks for confirmation, then revokes the badge', async ({ page }) => {
  const del = queue('--category', 'DEL', '--status', 'applied');
  expect(del.length).toBeGreaterThan(0);
  const target = del[0].serial;
  // Printed as held before the decision (a revoked badge gets no token).
  const tok = tokenOf(target);
  expect(verdict(tok)).toBe('not_cleared');
  await open(page);
  await page.getByTestId('vetting-category').selectOption('DEL');
  const row = page.locator(`[data-testid="vetting-row"][data-serial="${target}"]`);
  await row.getByTestId('vetting-pick').check();
  await page.getByTestId('vetting-reason').fill('Avis défavorable');
  await page.getByTestId('vetting-refuse').click();
  await expect(page.getByRole('alertdialog')).toContainText('Leur badge sera révoqué');
  await page.getByTestId('vetting-confirm').click();
  await expect(row).toHaveAttribute('data-status', 'refused');
  expect(verdict(tok)).toBe('revoked');
  // A refusal is final: the screen says why another decision is refused.
  await row.getByTestId('vetting-pick').check();
  await page.getByTestId('vetting-reason').fill('Erreur');
  await page.getByTestId('vetting-clear').click();
  await expect(page.getByTestId('vetting-problem')).toContainText(`badge ${target} : l'accréditation est refusée`);
});

test('the desk says the accreditation plainly, and a refused person does not print', async ({ page }) => {
  const refused = queue('--status', 'refused')[0].serial;
  const cleared = queue('--status', 'cleared')[0].serial;
  await page.goto(`${station}/#/desk`);
  await signInAs(page, 'Admin démo', '1111');
  const search = page.getByTestId('desk-search');
  for (const [serial, status, print, words] of [
    [refused, 'refused', 'refuse', 'Accréditation : Refusée — ne pas imprimer'],
    [cleared, 'cleared', 'print', 'Accréditation : Accordée'],
  ]) {
    await search.fill(serial);
    await expect(page.getByTestId('desk-hit').first()).toHaveAttribute('data-serial', serial);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('desk-attendee')).toHaveAttribute('data-serial', serial);
    const tag = page.getByTestId('desk-accreditation');
    await expect(tag).toHaveAttribute('data-status', status);
    await expect(tag).toHaveAttribute('data-print', print);
    await expect(tag).toHaveText(words);
    if (status === 'refused') await page.screenshot({ path: join(artifacts, 'vetting-desk-refused.png') });
  }
});

test('the screen in English', async ({ page }) => {
  await page.goto(`${station}/`);
  await page.getByTestId('lang-en').click();
  await signInAs(page, 'Admin démo', '1111');
  await page.getByTestId('admin-tab-vetting').click();
  await expect(page.getByTestId('admin-tab-vetting')).toHaveText('Vetting');
  await page.getByTestId('vetting-status').selectOption('cleared');
  await expect(page.getByTestId('vetting-row-status').first()).toHaveText('Cleared');
  await expect(page.getByTestId('vetting-hits').first()).toHaveText('—');
  await page.screenshot({ path: join(artifacts, 'vetting-en.png') });
  await page.getByTestId('lang-fr').click();
});

function sql(statement: string): string {
  return execFileSync('sqlite3', ['-cmd', '.timeout 10000', db(), statement], { encoding: 'utf8' }).trim();
}

test('a security officer sees only the vetting screen, decides, and reveals a document number (audited)', async ({ page }) => {
  // The organiser adds the account (the PIN read from standard input).
  execFileSync(cli, ['--db', db(), 'staff', 'add', 'Officier sécurité', '--role', 'vetting'], {
    input: '73915284\n',
    encoding: 'utf8',
  });
  await page.goto(`${station}/`);
  await signInAs(page, 'Officier sécurité', '73915284');
  // One tab: the vetting screen, open at once; nothing else of the console.
  await expect(page.getByRole('tab')).toHaveCount(1);
  await expect(page.getByTestId('admin-tab-vetting')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('admin-tab-setup')).toHaveCount(0);
  await expect(page.getByTestId('vetting-table')).toBeVisible();
  // Titled for what the officer does, not as the organisers' console.
  await expect(page.getByTestId('station-title')).toHaveText('Accréditation de sécurité');
  await page.screenshot({ path: join(artifacts, 'vetting-officer-top.png') });

  // A person awaiting a decision with a document on file.
  const waiting = queue('--status', 'applied').map((r) => r.serial);
  const withDoc = sql(
    `SELECT serial FROM attendee WHERE doc_number <> '' AND serial IN (${waiting.map((s) => `'${s}'`).join(',')}) ORDER BY serial LIMIT 1`,
  );
  expect(withDoc).not.toBe('');
  const number = sql(`SELECT doc_number FROM attendee WHERE serial = '${withDoc}'`);
  const row = page.locator(`[data-testid="vetting-row"][data-serial="${withDoc}"]`);
  await expect(row.getByTestId('vetting-doc-number')).toHaveCount(0);
  const reads = (): number =>
    Number(sql(`SELECT COUNT(*) FROM audit WHERE action = 'attendee.document_read' AND detail LIKE '%${withDoc}%' AND detail LIKE '%vetting%'`));
  const before = reads();
  await expect(row.getByTestId('vetting-reveal')).toHaveText('Voir le n°');
  await row.getByTestId('vetting-reveal').click();
  await expect(row.getByTestId('vetting-doc-number')).toHaveText(number);
  expect(reads()).toBe(before + 1);
  expect(sql(`SELECT actor FROM audit WHERE action = 'attendee.document_read' ORDER BY seq DESC LIMIT 1`)).toContain('Officier sécurité');
  expect(sql(`SELECT COUNT(*) FROM audit WHERE detail LIKE '%${number}%'`)).toBe('0');
  await row.screenshot({ path: join(artifacts, 'vetting-officer-reveal.png') });

  // The officer decides, and the decision names them.
  await row.getByTestId('vetting-pick').check();
  await page.getByTestId('vetting-reason').fill('Pièce à compléter');
  await page.getByTestId('vetting-more-info').click();
  await expect(row).toHaveAttribute('data-status', 'more_info');
  await expect(row).toContainText('Officier sécurité');
  await page.screenshot({ path: join(artifacts, 'vetting-officer.png'), fullPage: false });
});
