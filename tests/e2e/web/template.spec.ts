import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiSignIn, signInAs } from './signin';
import { e2ePort } from './ports';

// The badge template editor of the organiser console (`serve --role admin` on port 18086, see
// playwright.config.ts): a change of colour or of the printed parts shows in the live preview,
// and once saved in the badges that `gatehouse badges` renders from the same database.
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const artifacts = join(here, '..', 'artifacts');
const cli = process.env.GATEHOUSE_BIN ?? join(root, 'target/debug/gatehouse');
const port = e2ePort(18086);
const station = `http://127.0.0.1:${port}`;

test.skip(process.env.GATEHOUSE_EXTERNAL_SERVER === '1', 'needs the admin server of the config and its database');
test.describe.configure({ mode: 'serial' });

function gh(...args: string[]): string {
  const db = readFileSync(join(process.env.TMPDIR ?? tmpdir(), `gatehouse-e2e-${port}.db-path`), 'utf8').trim();
  return execFileSync(cli, ['--db', db, ...args], { encoding: 'utf8' });
}

async function signIn(page: Page): Promise<void> {
  await page.goto(`${station}/`);
  await expect(page).toHaveURL(/#\/admin$/);
  await signInAs(page, 'Admin démo', '1111');
  await expect(page.getByTestId('station-title')).toBeVisible();
}

type Rgb = [number, number, number];
const near = (a: Rgb, b: Rgb): boolean => a.every((v, i) => Math.abs(v - b[i]) <= 24);

/** Pixels of `color` in the A6 preview's header right of the logo (where the event name is). */
async function previewCount(page: Page, color: Rgb): Promise<number> {
  return page.getByTestId('tpl-preview').evaluate((img: HTMLImageElement, c: Rgb) => {
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const ctx = canvas.getContext('2d');
    if (!ctx) return -1;
    ctx.drawImage(img, 0, 0);
    const x0 = Math.round(img.naturalWidth * 0.24);
    const d = ctx.getImageData(x0, 0, img.naturalWidth - x0, Math.round(img.naturalHeight * 0.11)).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (Math.abs(d[i] - c[0]) <= 24 && Math.abs(d[i + 1] - c[1]) <= 24 && Math.abs(d[i + 2] - c[2]) <= 24) n += 1;
    }
    return n;
  }, color);
}

/** The PDF's first page at 50 dpi, as rows of RGB pixels (pdftoppm's binary PPM). */
function firstPage(pdf: string): { w: number; h: number; px: (x: number, y: number) => Rgb } {
  const ppm = execFileSync('pdftoppm', ['-r', '50', '-f', '1', '-l', '1', pdf]);
  const header = ppm.subarray(0, 20).toString('latin1').split(/\s+/);
  const [w, h] = [Number(header[1]), Number(header[2])];
  const start = ppm.length - w * h * 3;
  return { w, h, px: (x, y) => [...ppm.subarray(start + (y * w + x) * 3, start + (y * w + x) * 3 + 3)] as Rgb };
}

function countIn(page: ReturnType<typeof firstPage>, color: Rgb, rows: number): number {
  let n = 0;
  for (let y = 0; y < rows; y += 1) for (let x = 0; x < page.w; x += 1) if (near(page.px(x, y), color)) n += 1;
  return n;
}

const GREEN: Rgb = [0x14, 0x53, 0x2d];
const RED: Rgb = [0xc8, 0x10, 0x2e];

test('the template editor: a new colour and a hidden field reach the preview and the printed PDF', async ({ page }) => {
  const serial = 'BMX-000001';
  const organisation = (JSON.parse(gh('--json', 'search', serial)) as { organisation: string }[])[0].organisation;
  expect(organisation.length).toBeGreaterThan(0);
  const dir = mkdtempSync(join(tmpdir(), 'gh-template-'));
  const before = join(dir, 'before.pdf');
  gh('badges', '--serial', serial, '--out', before);
  expect(execFileSync('pdftotext', [before, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ')).toContain(
    organisation.split(' ')[0],
  );
  expect(countIn(firstPage(before), GREEN, 60)).toBeGreaterThan(20);

  await signIn(page);
  await page.getByTestId('admin-tab-badge').click();
  const preview = page.getByTestId('tpl-preview');
  await expect(preview).toBeVisible();
  await expect.poll(() => previewCount(page, GREEN)).toBeGreaterThan(50);
  expect(await previewCount(page, RED)).toBe(0);
  await page.screenshot({ path: join(artifacts, 'template-editor.png'), fullPage: true });

  // A red event name: the preview follows before anything is saved.
  const first = await preview.getAttribute('src');
  await page.getByTestId('tpl-accent').fill('#C8102E');
  await expect(preview).not.toHaveAttribute('src', first ?? '');
  await expect.poll(() => previewCount(page, RED)).toBeGreaterThan(50);
  expect(await previewCount(page, GREEN)).toBe(0);
  // No organisation: the preview is redrawn without it.
  const src = await preview.getAttribute('src');
  await page.getByTestId('tpl-field-organisation').uncheck();
  await expect(preview).not.toHaveAttribute('src', src ?? '');
  // The card as the default format, seen in its preview.
  await page.getByTestId('tpl-format').selectOption('cr80');
  await page.getByTestId('tpl-preview-cr80').click();
  await expect(preview).toHaveAttribute('data-format', 'cr80');
  await expect(page.getByTestId('tpl-save')).toBeEnabled();
  await page.getByTestId('tpl-save').click();
  await expect(page.getByTestId('tpl-status')).toContainText('Modèle enregistré');
  await expect(page.getByTestId('tpl-save')).toBeDisabled();
  await page.screenshot({ path: join(artifacts, 'template-saved.png'), fullPage: true });

  // Saved for the event, and audited.
  const admin = await apiSignIn(station, 'Admin démo', '1111');
  const tpl = await fetch(`${station}/api/op/get_badge_template`, { method: 'POST', headers: { Authorization: `Bearer ${admin}` } }).then(
    (r) => r.json(),
  );
  expect(tpl.accent).toBe('#C8102E');
  expect(tpl.fields).not.toContain('organisation');
  expect(tpl.default_format).toBe('cr80');

  // The next badge printed from this database: a card, red title, no organisation.
  const after = join(dir, 'after.pdf');
  gh('badges', '--serial', serial, '--out', after);
  const info = execFileSync('pdfinfo', [after], { encoding: 'utf8' });
  expect(info).toMatch(/Page size:\s+242\.\d+ x 153\.\d+ pts/);
  const text = execFileSync('pdftotext', [after, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  expect(text).not.toContain(organisation);
  expect(text).toContain("BAMEX'25");
  const card = firstPage(after);
  expect(countIn(card, RED, 20)).toBeGreaterThan(10);
});

test('a template that could not print is refused by name, the saved one kept', async ({ page }) => {
  await signIn(page);
  await page.getByTestId('admin-tab-badge').click();
  await expect(page.getByTestId('tpl-preview')).toBeVisible();
  await page.getByTestId('tpl-subtitle').fill('Salon ب');
  await page.getByTestId('tpl-save').click();
  await expect(page.getByTestId('tpl-status')).toContainText('U+0628');
  await page.getByTestId('tpl-accent').fill('rouge');
  await expect(page.getByTestId('tpl-save')).toBeDisabled();
  await page.getByTestId('tpl-revert').click();
  await expect(page.getByTestId('tpl-accent')).toHaveValue('#C8102E');
});
