import { expect, test, type Page } from '@playwright/test';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signInAs } from './signin';
import { e2ePort } from './ports';

// Reports and the dashboard's day picker in the organiser console of `gatehouse serve
// --role admin` on port 18088, whose demo event started yesterday (playwright.config.ts).
// Scans are recorded with the real CLI on the server's own database, yesterday and today;
// the console's tables, its downloaded files and the dashboard of yesterday must agree.
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const artifacts = join(here, '..', 'artifacts');
const cli = process.env.GATEHOUSE_BIN ?? join(root, 'target/debug/gatehouse');
const port = e2ePort(18088);
const station = `http://127.0.0.1:${port}`;

test.skip(process.env.GATEHOUSE_EXTERNAL_SERVER === '1', 'needs the reports server of the config and its database');
test.describe.configure({ mode: 'serial' });

function db(): string {
  return readFileSync(join(process.env.TMPDIR ?? tmpdir(), `gatehouse-e2e-${port}.db-path`), 'utf8').trim();
}

function gh(...args: string[]): string {
  return execFileSync(cli, ['--db', db(), ...args], { encoding: 'utf8' });
}

const serial = (n: number): string => `BMX-${String(n).padStart(6, '0')}`;
const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const yesterday = day(-1);
const today = day(0);

/** A scan through the CLI at `at`; true when the holder was let in. */
function enter(n: number, at: string): boolean {
  const tok = (JSON.parse(gh('--json', 'token', serial(n))) as { token: string }).token;
  const r = spawnSync(cli, ['--db', db(), '--json', 'scan', '--zone', 'HALL', '--at', at, tok], { encoding: 'utf8' });
  return (JSON.parse(r.stdout) as { decision: string }).decision !== 'deny';
}

async function signIn(page: Page): Promise<void> {
  await page.goto(`${station}/`);
  await expect(page).toHaveURL(/#\/admin$/);
  await signInAs(page, 'Admin démo', '1111');
  await expect(page.getByTestId('station-title')).toBeVisible();
}

let cameYesterday = 0;
let cameToday = 0;

test('scripted scans yesterday and today', () => {
  for (let n = 1; n <= 6; n++) {
    if (enter(n, `${yesterday}T09:${String(10 + n)}:00Z`)) cameYesterday += 1;
    spawnSync(cli, ['--db', db(), 'scan', '--zone', 'HALL', '--direction', 'out', '--at', `${yesterday}T18:00:00Z`,
      (JSON.parse(gh('--json', 'token', serial(n))) as { token: string }).token]);
  }
  for (const n of [1, 2]) if (enter(n, new Date(Date.now() - 60_000).toISOString())) cameToday += 1;
  expect(cameYesterday).toBeGreaterThanOrEqual(4);
  expect(cameToday).toBeGreaterThanOrEqual(1);
});

test('the reports tab shows attendance per day and downloads CSV, XLSX and PDF', async ({ page }) => {
  await signIn(page);
  await page.getByTestId('admin-tab-reports').click();
  const total = page.getByTestId('rep-att-total');
  await expect(total).toBeVisible();
  // Columns: label, registered, then the event's four days, then "any day".
  const cells = total.locator('tbody tr').first().locator('td');
  await expect(cells.nth(0)).toHaveText('200');
  await expect(cells.nth(1)).toHaveText(String(cameYesterday));
  await expect(cells.nth(2)).toHaveText(String(cameToday));
  await expect(cells.last()).toHaveText(String(cameYesterday));
  await expect(page.getByTestId('rep-att-category')).toBeVisible();
  await expect(page.getByTestId('rep-att-delegation')).toBeVisible();
  await page.screenshot({ path: join(artifacts, 'reports-attendance.png'), fullPage: true });

  // CSV: the same figures in the file.
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('rep-csv').click()]);
  expect(csv.suggestedFilename()).toMatch(/^presence-BAMEX25-\d{8}-\d{4}\.csv$/);
  const csvPath = join(artifacts, 'report.csv');
  await csv.saveAs(csvPath);
  const text = readFileSync(csvPath, 'utf8');
  expect(text.startsWith('\uFEFFTableau;Ensemble;Inscrits;')).toBe(true);
  expect(text).toContain(`Présence par jour;Total;200;${cameYesterday};${cameToday};0;0;${cameYesterday}\r\n`);
  await expect(page.getByTestId('rep-saved')).toContainText('.csv');

  // XLSX and PDF are files of their kind.
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('rep-xlsx').click()]);
  expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
  const xlsxPath = join(artifacts, 'report.xlsx');
  await xlsx.saveAs(xlsxPath);
  expect(readFileSync(xlsxPath).subarray(0, 2).toString('latin1')).toBe('PK');
  const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByTestId('rep-pdf').click()]);
  const pdfPath = join(artifacts, 'report.pdf');
  await pdf.saveAs(pdfPath);
  const pdfText = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
  expect(pdfText).toContain('Rapport de présence');
  expect(pdfText).toMatch(new RegExp(`Total\\s+200\\s+${cameYesterday}\\s+${cameToday}\\s+0\\s+0\\s+${cameYesterday}`));

  // Print statistics: nothing printed on this station yet, said in words.
  await page.getByTestId('rep-kind-prints').click();
  await expect(page.getByTestId('rep-none-total')).toBeVisible();

  // Then the print log of a desk (as CUPS jobs leave it): BMX-000001 printed, BMX-000002
  // failed then printed on the other printer, BMX-000001 reprinted today.
  const row = (s: string, printer: string, job: string, at: string, outcome: string): string =>
    `INSERT INTO print_log (serial, version, format, printer, job, printed_by, printed_at, outcome)
     VALUES ('${s}', 1, 'a6', '${printer}', '${job}', 'test', '${at}', '${outcome}');`;
  execFileSync('sqlite3', [
    db(),
    row(serial(1), 'Accueil-1', 'Accueil-1-1', `${yesterday}T08:00:00Z`, 'completed') +
      row(serial(2), 'Accueil-1', 'Accueil-1-2', `${yesterday}T08:01:00Z`, 'failed') +
      row(serial(2), 'Accueil-2', 'Accueil-2-1', `${yesterday}T08:02:00Z`, 'completed') +
      row(serial(1), 'Accueil-2', 'Accueil-2-2', `${today}T00:30:00Z`, 'sent'),
  ]);
  await page.getByTestId('rep-refresh').click();
  const overall = page.getByTestId('rep-prn-total').locator('tbody td');
  await expect(overall).toHaveText(['3', '2', '1', '1']);
  const perDay = page.getByTestId('rep-prn-day').locator('tbody tr');
  await expect(perDay).toHaveCount(2);
  await expect(perDay.nth(1).locator('td')).toHaveText(['1', '1', '1', '0']);
  await expect(page.getByTestId('rep-prn-printer').locator('tbody tr')).toHaveCount(2);
  await page.screenshot({ path: join(artifacts, 'reports-prints.png'), fullPage: true });
});

test('the dashboard reviews yesterday with the same count as the report', async ({ page }) => {
  await signIn(page);
  const totals = page.getByTestId('dash-totals');
  await expect(totals).toHaveAttribute('data-day', today);
  await expect(page.getByTestId('dash-entries-today')).toHaveText(String(cameToday));
  await expect(page.getByTestId(`dash-day-${day(1)}`)).toBeDisabled();

  await page.getByTestId(`dash-day-${yesterday}`).click();
  await expect(totals).toHaveAttribute('data-day', yesterday);
  await expect(page.getByTestId('dash-entries-today')).toHaveText(String(cameYesterday));
  await expect(totals).not.toContainText("Aujourd'hui");
  await expect(page.getByTestId(`dash-day-${yesterday}`)).toHaveAttribute('aria-checked', 'true');
  await page.screenshot({ path: join(artifacts, 'dashboard-yesterday.png'), fullPage: true });

  await page.getByTestId('dash-day-today').click();
  await expect(totals).toHaveAttribute('data-day', today);
  await expect(totals).toContainText("Aujourd'hui");
});
