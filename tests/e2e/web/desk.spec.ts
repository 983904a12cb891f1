import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { apiSignIn, signInAs } from './signin';
import { e2ePort } from './ports';

// The registration desk of `gatehouse serve --role desk` (port 18082, see playwright.config.ts),
// on a fresh demo database with its 200 synthetic attendees. Tokens are checked with the real
// CLI on the server's own database (serve.sh writes its path to a file).
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const artifacts = join(here, '..', 'artifacts');
const cli = process.env.GATEHOUSE_BIN ?? join(root, 'target/debug/gatehouse');
const port = e2ePort(18082);
const desk = `http://127.0.0.1:${port}`;

test.skip(process.env.GATEHOUSE_EXTERNAL_SERVER === '1', 'needs the desk server of the config and its database');
test.describe.configure({ mode: 'serial' });

// Chromium's fake camera (a moving test pattern) and no permission prompt: the webcam path runs for real.
test.use({
  launchOptions: {
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
    ],
  },
  permissions: ['camera'],
});

function db(): string {
  return readFileSync(join(process.env.TMPDIR ?? tmpdir(), `gatehouse-e2e-${port}.db-path`), 'utf8').trim();
}

function gh(...args: string[]): string {
  return execFileSync(cli, ['--db', db(), ...args], { encoding: 'utf8' });
}

/** `gatehouse verify` exits 3 on a denial: read its JSON either way. */
function verify(token: string): { decision: string; reason: string; version: number } {
  try {
    return JSON.parse(gh('verify', '--zone', 'HALL', '--json', token));
  } catch (err) {
    const out = (err as { stdout?: string }).stdout ?? '';
    return JSON.parse(out);
  }
}

/** The CUPS PDF queue of `make setup-test`, if this machine has it. */
function pdfPrinter(): string | null {
  try {
    const out = execFileSync('lpstat', ['-p'], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
    return /^printer GatehousePDF /m.test(out) ? 'GatehousePDF' : null;
  } catch {
    return null;
  }
}
const printer = pdfPrinter();

/** A small PNG portrait (300 × 400), made here so the test needs no fixture file. */
function portraitPng(): Buffer {
  const w = 300;
  const h = 400;
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    raw[y * (w * 3 + 1)] = 0;
    for (let x = 0; x < w; x++) {
      const head = ((x - 150) / 70) ** 2 + ((y - 165) / 90) ** 2 <= 1;
      const body = y > 270 && Math.abs(x - 150) < 60 + (y - 270);
      const [r, g, b] = head ? [176, 122, 92] : body ? [30, 60, 120] : [180 - y / 8, 200 - y / 8, 215];
      const o = y * (w * 3 + 1) + 1 + x * 3;
      raw[o] = r;
      raw[o + 1] = g;
      raw[o + 2] = b;
    }
  }
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer): number => {
    let c = 0xffffffff;
    for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, `desk-${name}.png`), fullPage: true });
}

/** Opens the kiosk desk, signs in with the desk PIN and chooses the station's printer once. */
async function signIn(page: Page): Promise<void> {
  await page.addInitScript(
    ([p]) => {
      if (!localStorage.getItem('gatehouse.desk.settings')) {
        localStorage.setItem('gatehouse.desk.settings', JSON.stringify({ printer: p, format: 'a6', kiosk: false }));
      }
    },
    [printer],
  );
  await page.goto(`${desk}/`);
  await expect(page).toHaveURL(/#\/desk$/);
  await signInAs(page, 'Accueil démo', '2222');
  await expect(page.getByTestId('desk')).toBeVisible();
}

/** A signed-in API session for setting up data the way an import would. */
async function apiToken(page: Page): Promise<string> {
  void page;
  return apiSignIn(desk, 'Accueil démo', '2222');
}

test('sign-in: the desk opens on its PIN screen; the API refuses without a session', async ({ page }) => {
  const anon = await page.request.post(`${desk}/api/op/search_attendees`, { data: { query: 'goita' } });
  expect(anon.status()).toBe(401);
  expect((await anon.json()).code).toBe('unauthenticated');
  await page.goto(`${desk}/`);
  await expect(page).toHaveURL(/#\/desk$/);
  // The desk lists the accounts that open it (desk and organisers), by name.
  await expect(page.getByTestId('signin-person')).toHaveText([/Accueil démo/, /Admin démo/]);
  await signInAs(page, 'Accueil démo', '9999');
  await expect(page.getByTestId('signin-error')).toHaveText('PIN incorrect');
  await shot(page, 'signin');
  // A gate account may not use the desk, and the core refuses it too.
  const token = await apiSignIn(desk, 'Contrôle démo', '3333');
  const refused = await page.request.post(`${desk}/api/op/create_attendee`, {
    headers: { Authorization: `Bearer ${token}` },
    data: { fields: { family_name: 'X', category: 'VIS' } },
  });
  expect(refused.status()).toBe(403);
  await signInAs(page, 'Accueil démo', '2222');
  await expect(page.getByTestId('desk')).toBeVisible();
  await expect(page.getByTestId('desk-search')).toBeFocused();
  await expect(page.getByTestId('desk-staff')).toHaveText('Accueil démo');
  await shot(page, 'empty');
});

test('station settings: printers from CUPS, chosen once', async ({ page }) => {
  await signIn(page);
  await page.getByTestId('desk-settings').click();
  await expect(page.getByTestId('settings')).toBeVisible();
  if (printer) {
    await expect(page.getByTestId('settings-printer').locator('option', { hasText: printer })).toHaveCount(1);
    await page.getByTestId('settings-printer').selectOption(printer);
  }
  await shot(page, 'settings');
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('desk-search')).toBeFocused();
});

test('search as you type, with and without accents, under 100 ms, arrows and Enter', async ({ page }) => {
  await signIn(page);
  const search = page.getByTestId('desk-search');
  await expect(search).toBeFocused();
  const latencies: number[] = [];
  for (const ch of 'goita') {
    const before = Number(await search.getAttribute('data-painted'));
    await page.keyboard.type(ch);
    // Wait until this keystroke's results are painted (the field records the latency then).
    await expect(search).toHaveAttribute('data-painted', String(before + 1));
    latencies.push(Number(await search.getAttribute('data-latency')));
  }
  const hits = page.getByTestId('desk-hit');
  await expect(hits.first()).toContainText('Goïta');
  const unaccented = await hits.count();
  expect(unaccented).toBeGreaterThan(0);
  latencies.sort((a, b) => a - b);
  const median = latencies[Math.floor(latencies.length / 2)];
  console.log(`search keystroke → results painted: ${latencies.join(', ')} ms (median ${median}, max ${latencies.at(-1)})`);
  // The figure is reported, not held to the 100 ms target here (speed targets live in
  // benchmarks; this debug build shares the machine). A second means search is broken.
  test.info().annotations.push({ type: 'latency', description: `search median ${median} ms` });
  expect(median).toBeLessThan(1000);
  // Each row: photo, name, organisation, category colour, status.
  const first = hits.first();
  await expect(first.getByTestId('thumb').locator('img')).toBeVisible();
  await expect(first.getByTestId('category-chip')).toBeVisible();
  await expect(first.getByTestId('status')).toBeVisible();
  await shot(page, 'search');

  await search.fill('');
  await page.keyboard.type('Goïta');
  await expect(hits).toHaveCount(unaccented);
  await page.keyboard.press('ArrowDown');
  await expect(hits.nth(Math.min(1, unaccented - 1))).toHaveAttribute('aria-selected', 'true');
  const serial = await hits.nth(Math.min(1, unaccented - 1)).getAttribute('data-serial');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('desk-attendee')).toHaveAttribute('data-serial', serial ?? '');
  await expect(page.getByTestId('desk-detail-title')).toContainText('Goïta');
  await expect(page.getByTestId('badge-preview')).toBeVisible();
  await expect(page.getByTestId('print-button')).toBeFocused();
  await shot(page, 'attendee');
});

test('walk-in with a photo file: validation in place, photo shown before saving, print', async ({ page }) => {
  await signIn(page);
  await page.keyboard.press('F2');
  await expect(page.getByTestId('f-family_name')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('err-family_name')).toHaveText('Valeur obligatoire manquante.');
  await expect(page.getByTestId('f-family_name')).toBeFocused();
  await page.keyboard.type('Maïga');
  await page.getByTestId('f-given_names').fill('Aïssata');
  await page.getByTestId('f-country').fill('Atlantide');
  await page.getByText('Coordonnées, pièce d’identité, notes').click();
  await page.getByTestId('f-email').fill('aissata at example');
  await page.getByTestId('cat-PRS').check();
  await page.getByTestId('zones-custom').check();
  await page.getByTestId('f-zones').getByText('VIP').click();
  await page.getByTestId('f-given_names').press('Enter');
  // The core's refusals, each under its field, in French (the core's English message is not shown).
  await expect(page.getByTestId('err-country')).toHaveText(
    'Pays inconnu : « Atlantide ». Saisissez un code (ML) ou un nom (Mali).',
  );
  await expect(page.getByTestId('err-email')).toHaveText('« aissata at example » n’est pas une adresse e-mail.');
  await expect(page.getByTestId('f-country')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('f-email')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('f-country')).toBeFocused();
  await expect(page.getByTestId('f-zones')).toContainText('ajoutée');
  await shot(page, 'form-errors');
  await page.getByTestId('f-country').fill('Mali');
  await page.getByTestId('f-email').fill('aissata@example.ml');
  await page.getByTestId('form-save').click();
  await expect(page.getByTestId('desk-notice')).toContainText('Participant enregistré');
  const serial = (await page.getByTestId('desk-serial').textContent()) ?? '';
  expect(serial).toMatch(/^BMX-\d{6}$/);

  await page.getByTestId('photo-file').setInputFiles({ name: 'portrait.png', mimeType: 'image/png', buffer: portraitPng() });
  await expect(page.getByTestId('photo-preview')).toBeVisible();
  await expect(page.getByTestId('photo-keep')).toBeFocused();
  await shot(page, 'photo-file-preview');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('desk-notice')).toContainText('Photo enregistrée');
  await expect(page.getByTestId('photo').getByTestId('thumb').locator('img')).toBeVisible();
  const attendee = JSON.parse(gh('search', serial, '--json'))[0];
  expect(attendee.has_photo).toBe(true);
  expect(attendee.country).toBe('ML');

  test.skip(!printer, 'no CUPS PDF printer on this machine (make setup-test)');
  await page.getByTestId('print-button').click();
  // Sent, then followed in CUPS until the printer has done it.
  await expect(page.getByTestId('print-status')).toHaveAttribute('data-state', /sent|done/, { timeout: 20_000 });
  await expect(page.getByTestId('print-status')).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await expect(page.getByTestId('print-status')).toHaveAttribute('data-job-state', 'completed');
  await expect(page.getByTestId('print-status')).toContainText('Imprimé sur GatehousePDF');
  await expect(page.getByTestId('desk-attendee').getByTestId('status')).toHaveAttribute('data-status', 'printed');
  await expect(page.getByTestId('badge-preview')).toHaveAttribute('data-stale', 'false');
  await shot(page, 'printed');
  // cups-pdf writes the job into its output directory, named after the job title.
  const out = join(homedir(), 'PDF');
  if (existsSync(out)) {
    await expect
      .poll(() => readdirSync(out).some((f) => f.includes(serial)), {
        timeout: 15_000,
      })
      .toBe(true);
  }
});

test('a walk-in being typed survives a configuration change made elsewhere', async ({ page }) => {
  await signIn(page);
  const banner = page.getByTestId('demo-pins-banner');
  await expect(banner).toContainText('sur 4 comptes');
  await page.keyboard.press('F2');
  await page.getByTestId('f-family_name').fill('Coulibaly');
  await page.getByTestId('f-given_names').fill('Fanta');
  await page.getByTestId('f-country').fill('Mali');
  // The organiser gives the supervisor a real PIN on another console: the screens are told
  // (the banner counts one demo PIN fewer) while the desk officer is still typing.
  execFileSync(cli, ['--db', db(), 'staff', 'pin', 'Superviseur démo'], { input: '62079148\n', encoding: 'utf8' });
  await expect(banner).toContainText('sur 3 comptes');
  await expect(page.getByTestId('f-family_name')).toHaveValue('Coulibaly');
  await expect(page.getByTestId('f-given_names')).toHaveValue('Fanta');
  await expect(page.getByTestId('f-country')).toHaveValue('Mali');
  await page.getByTestId('form-save').click();
  await expect(page.getByTestId('desk-notice')).toContainText('Participant enregistré');
  await expect(page.getByTestId('desk-detail-title')).toHaveText('Fanta Coulibaly');
});

test('walk-in entirely from the keyboard with the webcam, timed', async ({ page }) => {
  test.skip(!printer, 'no CUPS PDF printer on this machine (make setup-test)');
  await signIn(page);
  const t0 = Date.now();
  await page.keyboard.press('F2');
  await page.keyboard.type('Traoré', { delay: 20 });
  await page.keyboard.press('Tab');
  await page.keyboard.type('Bintou', { delay: 20 });
  await page.keyboard.press('Tab');
  await page.keyboard.type('Radio Kledu', { delay: 20 });
  await page.keyboard.press('Enter');
  // Saved: the webcam opens with its framing guide, Enter captures.
  await expect(page.getByTestId('photo')).toHaveAttribute('data-mode', 'live');
  await expect(page.getByTestId('photo-capture')).toBeFocused();
  await page.waitForFunction(() => (document.querySelector('video')?.videoWidth ?? 0) > 0);
  await shot(page, 'photo-live');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('photo-preview')).toBeVisible();
  await expect(page.getByTestId('photo-keep')).toBeFocused();
  await shot(page, 'photo-captured');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('print-button')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('desk-notice')).toContainText('envoyé à l’impression', { timeout: 20_000 });
  // Ready for the next person in the queue.
  await expect(page.getByTestId('desk-search')).toBeFocused();
  const seconds = (Date.now() - t0) / 1000;
  console.log(`keyboard-only walk-in (3 fields, webcam photo, print): ${seconds.toFixed(1)} s of wall time`);
  const serial = (await page.getByTestId('desk-serial').textContent()) ?? '';
  const a = JSON.parse(gh('search', serial, '--json'))[0];
  expect(a.status).toBe('printed');
  expect(a.has_photo).toBe(true);
  expect(a.category).toBe('VIS');
});

test('reprint: confirm, a new version, the old badge is superseded', async ({ page }) => {
  test.skip(!printer, 'no CUPS PDF printer on this machine (make setup-test)');
  await signIn(page);
  await page.keyboard.type('Traoré Bintou');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('desk-attendee').getByTestId('status')).toHaveAttribute('data-status', 'printed');
  const serial = (await page.getByTestId('desk-serial').textContent()) ?? '';
  const old = JSON.parse(gh('token', serial, '--json'));
  expect(verify(old.token).decision).not.toBe('deny');
  await page.keyboard.press('F9');
  await expect(page.getByTestId('reprint-confirm')).toBeVisible();
  await expect(page.getByTestId('reprint-yes')).toBeFocused();
  await shot(page, 'reprint-confirm');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('print-status')).toHaveAttribute('data-state', 'done', { timeout: 20_000 });
  await expect(page.getByTestId('print-status')).toContainText(`version ${old.version + 1}`);
  const verdict = verify(old.token);
  expect(verdict.decision).toBe('deny');
  expect(verdict.reason).toBe('superseded');
  const fresh = JSON.parse(gh('token', serial, '--json'));
  expect(fresh.version).toBe(old.version + 1);
  expect(verify(fresh.token).reason).not.toBe('superseded');
});

test('an offline printer: the panel says so in plain words while the job waits', async ({ page }) => {
  const offline = /^printer GatehouseOffline /m.test(
    execFileSync('lpstat', ['-p'], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } }),
  );
  test.skip(!offline, 'no GatehouseOffline queue on this machine (make setup-test)');
  await page.addInitScript(() => {
    localStorage.setItem('gatehouse.desk.settings', JSON.stringify({ printer: 'GatehouseOffline', format: 'cr80', kiosk: false }));
  });
  await signIn(page);
  await page.keyboard.type('Maïga');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('desk-serial')).toHaveText(/^BMX-\d{6}$/);
  await page.keyboard.press('F9');
  if (await page.getByTestId('reprint-confirm').isVisible()) await page.getByTestId('reprint-yes').click();
  await expect(page.getByTestId('print-status')).toHaveAttribute('data-state', 'sent', { timeout: 20_000 });
  // This test's own job only: the print server is the machine's, and another
  // suite running beside this one may have a job waiting on the same queue.
  const job = ((await page.getByTestId('print-status').locator('.job').textContent()) ?? '').replace(/[()]/g, '').trim();
  expect(job).toMatch(/^GatehouseOffline-\d+$/);
  try {
    await expect(page.getByTestId('print-problem')).toContainText('hors ligne', { timeout: 30_000 });
    await expect(page.getByTestId('print-status')).toContainText('Envoyé à GatehouseOffline');
    await shot(page, 'print-offline');
  } finally {
    execFileSync('cancel', [job]);
  }
  // Canceled at the print server: the panel hears that the job ended unprinted.
  await expect(page.getByTestId('print-status')).toHaveAttribute('data-state', 'jobfailed', { timeout: 20_000 });
  await expect(page.getByTestId('print-status')).toContainText('Impression annulée');
});

test('batch print a delegation with a progress bar and a summary', async ({ page }) => {
  test.skip(!printer, 'no CUPS PDF printer on this machine (make setup-test)');
  await signIn(page);
  await page.getByTestId('desk-batch').click();
  await page.getByTestId('batch-delegation').selectOption('Délégation du Ghana');
  await expect(page.getByTestId('batch-count')).toContainText('sur 4');
  await shot(page, 'batch-choose');
  await page.getByTestId('batch-start').click();
  await expect(page.getByTestId('batch-progress')).toBeVisible();
  await expect(page.getByTestId('batch-summary')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('batch-progress-text')).toHaveText('4 / 4');
  await expect(page.getByTestId('batch-summary')).toContainText('4 envoyé(s)');
  // Then followed in CUPS until the printer has done all four.
  await expect(page.getByTestId('batch-jobs')).toHaveAttribute('data-done', 'true', { timeout: 60_000 });
  await expect(page.getByTestId('batch-jobs')).toContainText('4 / 4 imprimé(s)');
  await expect(page.getByTestId('batch-summary')).toContainText('0 en échec');
  await shot(page, 'batch-summary');
  const token = await apiToken(page);
  const res = await page.request.post(`${desk}/api/op/delegation_members`, {
    headers: { Authorization: `Bearer ${token}` },
    data: { name: 'Délégation du Ghana' },
  });
  const members = (await res.json()) as { status: string }[];
  expect(members).toHaveLength(4);
  for (const m of members) expect(m.status).toBe('printed');
});

test('hostile names stay inert text everywhere on the desk', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const token = await apiToken(page);
  const created = await page.request.post(`${desk}/api/op/create_attendee`, {
    headers: { Authorization: `Bearer ${token}` },
    data: {
      fields: {
        family_name: '<img src=x onerror=alert(1)>',
        given_names: '<script>alert(2)</script>',
        organisation: 'Zyxhostile "><svg onload=alert(3)>',
        delegation: '<b onmouseover=alert(4)>Délégation piégée</b>',
        category: 'VIS',
      },
    },
  });
  expect(created.ok()).toBeTruthy();
  await signIn(page);
  await page.keyboard.type('zyxhostile');
  const hit = page.getByTestId('desk-hit').first();
  await expect(hit).toContainText('<img src=x onerror=alert(1)>');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('desk-detail-title')).toContainText('<script>alert(2)</script>');
  await expect(page.getByTestId('f-organisation')).toHaveValue('Zyxhostile "><svg onload=alert(3)>');
  await expect(page.getByTestId('badge-preview')).toBeVisible();
  await page.getByTestId('desk-batch').click();
  await expect(page.getByTestId('batch-delegation')).toContainText('<b onmouseover=alert(4)>');
  await shot(page, 'hostile');
  expect(await page.locator('img[src="x"], svg[onload], b[onmouseover], script:not([src])').count()).toBe(0);
  expect(dialogs).toEqual([]);
});

test('touch targets are at least 44 px; kiosk mode has no context menu or text selection', async ({ page }) => {
  await signIn(page);
  await page.keyboard.press('F2');
  await page.getByText('Coordonnées, pièce d’identité, notes').click();
  const small = await page.evaluate(() =>
    [
      ...document.querySelectorAll<HTMLElement>(
        '[data-testid=desk] button, [data-testid=desk] input:not([type=radio]):not([type=checkbox]):not([type=file]), [data-testid=desk] select, [data-testid=desk] label:not([for]), [data-testid=desk] summary',
      ),
    ]
      .filter((el) => el.offsetParent !== null && !el.closest('.field'))
      .map((el) => ({ what: el.outerHTML.slice(0, 80), h: el.getBoundingClientRect().height }))
      .filter((x) => x.h < 44),
  );
  expect(small).toEqual([]);
  await page.keyboard.press('Escape');
  await page.getByTestId('desk-settings').click();
  await page.getByTestId('settings-kiosk').check();
  await page.getByTestId('settings-save').click();
  expect(await page.evaluate(() => document.body.classList.contains('kiosk'))).toBe(true);
  expect(await page.evaluate(() => getComputedStyle(document.body).userSelect)).toBe('none');
  const prevented = await page.evaluate(() => {
    const e = new MouseEvent('contextmenu', { bubbles: true, cancelable: true });
    document.querySelector('[data-testid=desk]')?.dispatchEvent(e);
    return e.defaultPrevented;
  });
  expect(prevented).toBe(true);
  // A kiosk desk does not offer to change station.
  await expect(page.getByTestId('station-back')).toHaveCount(0);
  await shot(page, 'kiosk');
  await page.getByTestId('desk-settings').click();
  await page.getByTestId('settings-kiosk').uncheck();
  await page.getByTestId('settings-save').click();
});

test('English is complete on the desk', async ({ page }) => {
  await signIn(page);
  await page.getByTestId('lang-en').click();
  await expect(page.getByTestId('desk-new')).toContainText('New attendee');
  await page.keyboard.press('F2');
  await expect(page.getByText('Family name')).toBeVisible();
  await shot(page, 'english-form');
  await page.getByTestId('lang-fr').click();
});
