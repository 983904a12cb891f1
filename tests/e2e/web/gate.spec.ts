import { expect, test, type Page } from '@playwright/test';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { azertyReported } from '../../../ui/src/lib/gate/keymap';
import { chromiumFilming, qrVideo } from './qr-video';
import { currentScan, expectVerdict, nextVerdict, scan, scannerBurst, VERDICT_COLOURS } from './scanner';
import { nameOf, pickName, signInAs } from './signin';
import { e2ePort } from './ports';

// The gate station of `gatehouse serve --role gate --zone HALL` on port 18083, whose demo
// event started two days ago (see playwright.config.ts). Tokens, revocations and reprints
// are made with the real CLI on the server's own database, whose path serve.sh writes
// to a file. Every scan is a burst typed at the document: nothing is clicked first.
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const artifacts = join(here, '..', 'artifacts');
const cli = process.env.GATEHOUSE_BIN ?? join(root, 'target/debug/gatehouse');
const port = Number(process.env.GATEHOUSE_GATE_PORT ?? e2ePort(18083));
const kiosk = `http://127.0.0.1:${port}`;

test.skip(process.env.GATEHOUSE_EXTERNAL_SERVER === '1', 'needs the gate server of the config and its database');
test.describe.configure({ mode: 'serial' });

function db(): string {
  return readFileSync(join(process.env.TMPDIR ?? tmpdir(), `gatehouse-e2e-${port}.db-path`), 'utf8').trim();
}

function gh(...args: string[]): string {
  return execFileSync(cli, ['--db', db(), ...args], { encoding: 'utf8' });
}

function token(serial: string): string {
  return (JSON.parse(gh('--json', 'token', serial)) as { token: string }).token;
}

interface Person {
  serial: string;
  name: string;
  category: string;
  photo: boolean;
}

/** The demo attendees, from the CLI's CSV export. */
function people(): Person[] {
  const file = join(dirname(db()), 'people.csv');
  gh('export', file);
  const lines = readFileSync(file, 'utf8').replace(/^\uFEFF/, '').trim().split('\n');
  const head = lines[0].split(';');
  const col = (name: string) => head.indexOf(name);
  return lines.slice(1).map((line) => {
    const f = line.split(';');
    return {
      serial: f[col('N° badge')],
      name: `${f[col('Prénom')]} ${f[col('Nom')]}`,
      category: f[col('Catégorie')],
      photo: f[col('Photo')] !== '',
    };
  });
}

async function signIn(page: Page, pin = '3333'): Promise<void> {
  await page.goto(`${kiosk}/`);
  await expect(page).toHaveURL(/#\/gate\/HALL$/);
  await signInAs(page, nameOf(pin), pin);
  await expect(page.getByTestId('gate-screen')).toBeVisible();
}

/** The verdict on screen now (after an override, which changes it in place). */
async function expectVerdictNow(
  page: Page,
  decision: 'admit' | 'warn' | 'deny',
  reason: string | RegExp,
  name?: string,
): Promise<void> {
  const v = page.getByTestId('verdict');
  await expect(v).toHaveAttribute('data-decision', decision);
  await expect(v).toHaveCSS('background-color', VERDICT_COLOURS[decision]);
  await expect(page.getByTestId('verdict-reason')).toHaveText(reason);
  if (name) await expect(page.getByTestId('verdict-name')).toHaveText(name);
}

test('sign-in: the gate lists who may open it, a wrong PIN says so in place, the gate PIN opens the gate', async ({
  page,
}) => {
  mkdirSync(artifacts, { recursive: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${kiosk}/`);
  await expect(page.getByTestId('station-title')).toContainText("Hall d'exposition");
  // Names first: the accounts that open a gate, not the desk's; the search field has the focus.
  await expect(page.getByTestId('signin-person')).toHaveText([/Admin démo/, /Contrôle démo/, /Superviseur démo/]);
  await expect(page.getByTestId('signin-search')).toBeFocused();
  await page.screenshot({ path: join(artifacts, 'signin-names-fr.png') });
  // The keyboard alone: the start of a name without its accent, arrows, Enter.
  await page.keyboard.type('contro');
  await expect(page.getByTestId('signin-person')).toHaveText([/Contrôle démo/]);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('signin-chosen')).toHaveText('Contrôle démo');
  await expect(page.getByTestId('signin-pin')).toBeFocused();
  for (let i = 0; i < 4; i++) await page.getByTestId('signin-key-9').click();
  await page.getByTestId('signin-submit').click();
  await expect(page.getByTestId('signin-error')).toHaveText('PIN incorrect');
  await page.screenshot({ path: join(artifacts, 'gate-signin-wrong.png') });
  // Escape goes back to the names; arrows move through them.
  await page.getByTestId('signin-pin').press('Escape');
  await expect(page.getByTestId('signin-search')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('signin-chosen')).toHaveText('Superviseur démo');
  await page.getByTestId('signin-other').click();
  // In English, at a narrow gate screen.
  await page.getByTestId('lang-en').click();
  await page.setViewportSize({ width: 480, height: 800 });
  await expect(page.getByTestId('signin-search')).toHaveAttribute('placeholder', 'Start of your name…');
  await page.screenshot({ path: join(artifacts, 'signin-names-en-narrow.png') });
  await pickName(page, 'Contrôle démo');
  await page.screenshot({ path: join(artifacts, 'signin-pin-en-narrow.png') });
  await page.getByTestId('lang-fr').click();
  await page.screenshot({ path: join(artifacts, 'signin-pin-fr-narrow.png') });
  await page.setViewportSize({ width: 1280, height: 900 });
  await signInAs(page, 'Contrôle démo', '3333');
  await expect(page.getByTestId('gate-screen')).toBeVisible();
  await expect(page.getByTestId('gate-direction')).toContainText('Entrée');
  // In English, the verdict speaks English.
  await page.getByTestId('lang-en').click();
  await expect(page.getByTestId('gate-ready')).toContainText('Ready');
  const v = await scan(page, 'NOT-A-BADGE-0042');
  expect(v.text.decision).toBe('Denied');
  expect(v.text.reason).toBe('Unrecognised code — not a badge');
  await page.keyboard.press('Escape');
  await page.getByTestId('lang-fr').click();
  await expect(page.getByTestId('gate-ready')).toContainText('Prêt');
  // A reload keeps the direction and the officer's session (closing the tab ends it).
  await page.getByTestId('gate-dir-out').click();
  await page.reload();
  await expect(page.getByTestId('gate-screen')).toBeVisible();
  await expect(page.getByTestId('gate-direction')).toContainText('Sortie');
  await page.getByTestId('gate-dir-in').click();
  await expect(page.getByTestId('gate-direction')).toContainText('Entrée');
  // The scan API itself refuses a caller without a session.
  const res = await page.request.post(`${kiosk}/api/op/scan`, { data: { token: 'x', zone: 'HALL' } });
  expect(res.status()).toBe(401);
});

test('verdicts: admit, re-entry, exit, every denial, AZERTY input, override, counters', async ({ page }) => {
  test.setTimeout(120_000); // some forty scans and CLI calls, on a machine shared with builds
  const external: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(kiosk) && !r.url().startsWith('data:')) external.push(r.url());
  });
  const all = people();
  const pick = (pred: (p: Person) => boolean, skip = 0): Person => {
    const found = all.filter(pred)[skip];
    if (!found) throw new Error('no such demo attendee');
    return found;
  };
  const org = pick((p) => p.category === 'ORG' && p.photo);
  const exh = pick((p) => p.category === 'EXH');
  const del = pick((p) => p.category === 'DEL');
  const vis = pick((p) => p.category === 'VIS');
  const ctr = pick((p) => p.category === 'CTR');
  const stf = pick((p) => p.category === 'STF');

  await signIn(page);
  await page.screenshot({ path: join(artifacts, 'gate-ready.png') });

  // Admit, with the photo on file matching the badge.
  let v = await scan(page, token(org.serial));
  expectVerdict(v, 'admit', 'Accès autorisé', org.name);
  expect(v.text.category).toBe('Organisateur');
  expect(v.text['photo-check']).toMatch(/Photo vérifiée/);
  await page.screenshot({ path: join(artifacts, 'gate-admit.png') });

  // Again: the hall warns on re-entry.
  v = await scan(page, token(org.serial));
  expectVerdict(v, 'warn', 'Déjà entré — réentrée', org.name);
  await page.screenshot({ path: join(artifacts, 'gate-warn.png') });

  // Exit.
  await page.getByTestId('gate-dir-out').click();
  await expect(page.getByTestId('gate-direction')).toContainText('Sortie');
  v = await scan(page, token(org.serial));
  expectVerdict(v, 'admit', 'Sortie autorisée', org.name);
  await page.getByTestId('gate-dir-in').click();

  // Not one of ours.
  v = await scan(page, 'HELLO-BAMEX-2025');
  expectVerdict(v, 'deny', 'Code non reconnu — pas un badge');
  await page.screenshot({ path: join(artifacts, 'gate-deny-malformed.png') });

  // Forged: one character of the signature changed (the CLI finds a variant that still parses).
  const good = token(del.serial);
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let forged = '';
  for (let i = good.length - 8; i > good.length - 40 && !forged; i--) {
    for (const c of alphabet) {
      if (c === good[i]) continue;
      const candidate = good.slice(0, i) + c + good.slice(i + 1);
      const out = spawnSync(cli, ['--db', db(), '--json', 'verify', '--zone', 'HALL', candidate], { encoding: 'utf8' });
      if (out.stdout.includes('"forged"')) {
        forged = candidate;
        break;
      }
    }
  }
  expect(forged).not.toBe('');
  v = await scan(page, forged);
  expectVerdict(v, 'deny', 'Badge falsifié');

  // Revoked.
  const exhToken = token(exh.serial);
  gh('revoke', exh.serial, '--reason', 'badge déclaré perdu');
  v = await scan(page, exhToken);
  // The reason given at revocation, and no override: a revoked badge goes to the desk.
  expectVerdict(v, 'deny', 'Badge révoqué — badge déclaré perdu', exh.name);
  expect(v.text.category).toBe('Exposant');
  await expect(page.getByTestId('override-open')).toHaveCount(0);
  await page.screenshot({ path: join(artifacts, 'gate-deny-revoked.png') });

  // Superseded: the old badge after a reprint.
  const old = token(stf.serial);
  gh('reprint', stf.serial);
  v = await scan(page, old);
  expectVerdict(v, 'deny', 'Ancien badge — remplacé', stf.name);
  // The new one passes.
  v = await scan(page, token(stf.serial));
  expectVerdict(v, 'admit', 'Accès autorisé', stf.name);

  // A contractor's badge was for day 1 only; today is day 3.
  v = await scan(page, token(ctr.serial));
  expectVerdict(v, 'deny', /Badge non valable aujourd'hui|Expiré le/, ctr.name);
  await page.screenshot({ path: join(artifacts, 'gate-deny-day.png') });

  // AZERTY: a US-layout scanner on a French system. `key` is what AZERTY reports, `code` the key.
  const delToken = token(del.serial);
  const events = [...delToken].map((ch) => {
    const r = azertyReported(ch);
    if (!r) throw new Error(`no key for ${ch}`);
    return r;
  });
  expect(events.map((e) => e.key).join('')).not.toBe(delToken);
  const before = await currentScan(page);
  await scannerBurst(page, events);
  v = await nextVerdict(page, before, 'the AZERTY burst');
  expectVerdict(v, 'admit', 'Accès autorisé', del.name);

  // Stray keys typed by a person are not a scan.
  const still = await currentScan(page);
  await page.keyboard.type('abc', { delay: 150 });
  await page.keyboard.press('Enter');
  await page.waitForTimeout(400);
  expect(await currentScan(page)).toBe(still);

  // Supervisor override of a denial (the contractor's day-one badge): wrong PIN, then the admin's.
  const ctrToken = token(ctr.serial);
  v = await scan(page, ctrToken);
  expectVerdict(v, 'deny', /Badge non valable aujourd'hui|Expiré le/, ctr.name);
  const ctrDenial = v.code;
  await page.getByTestId('override-open').click();
  // The supervisor picks their name, then types their own PIN: a gate officer's PIN is not theirs.
  await page.getByTestId('override-supervisor').selectOption({ label: 'Superviseur démo' });
  await page.getByTestId('override-pin').fill('3333');
  await page.getByTestId('override-reason').fill('Badge retrouvé, identité vérifiée');
  await page.getByTestId('override-submit').click();
  await expect(page.getByTestId('override-error')).toHaveText("Ce PIN n'est pas celui d'un superviseur");
  await expect(page.getByTestId('gate-screen')).toBeAttached(); // still signed in
  await page.getByTestId('override-pin').fill('4444');
  await page.screenshot({ path: join(artifacts, 'gate-override.png') });
  await page.getByTestId('override-submit').click();
  await expectVerdictNow(page, 'admit', 'Passage autorisé par dérogation', ctr.name);
  await expect(page.getByTestId('verdict-override')).toContainText('Superviseur démo');
  const scans = JSON.parse(gh('--json', 'scans', '--serial', ctr.serial)) as { reason: string; operator?: string }[];
  expect(scans.map((s) => s.reason)).toEqual([ctrDenial, ctrDenial, 'override']);
  expect(gh('audit', 'verify')).toBeTruthy();

  // Other zones of the same station: the visitor may not enter the VIP lounge…
  await page.keyboard.press('Escape');
  await page.evaluate(() => (location.hash = '#/gate/VIP'));
  await expect(page.getByTestId('station-title')).toContainText('Salon VIP');
  v = await scan(page, token(vis.serial));
  expectVerdict(v, 'deny', 'Zone non autorisée pour ce badge', vis.name);
  // …and the demonstration zone refuses a second entry.
  await page.evaluate(() => (location.hash = '#/gate/DEMO'));
  await expect(page.getByTestId('station-title')).toContainText('démonstration');
  v = await scan(page, token(org.serial));
  expectVerdict(v, 'admit', 'Accès autorisé', org.name);
  v = await scan(page, token(org.serial));
  expectVerdict(v, 'deny', 'Déjà dans la zone', org.name);
  await page.screenshot({ path: join(artifacts, 'gate-deny-inside.png') });

  // Back to the hall: the counters come from the scan log.
  await page.keyboard.press('Escape');
  await page.evaluate(() => (location.hash = '#/gate/HALL'));
  await expect(page.getByTestId('gate-ready')).toBeVisible();
  const hall = (JSON.parse(gh('--json', 'scans', '--zone', 'HALL')) as { decision: string }[]).filter(Boolean);
  const admitted = hall.filter((s) => s.decision !== 'deny').length;
  const denied = hall.filter((s) => s.decision === 'deny').length;
  await expect(page.getByTestId('count-admitted')).toHaveText(String(admitted));
  await expect(page.getByTestId('count-denied')).toHaveText(String(denied));
  // Inside the hall now: org went out; stf, del and the overridden ctr are in.
  await expect(page.getByTestId('count-inside')).toHaveText('3');
  await expect(page.getByTestId('gate-revocations')).toHaveText('Révocations connues : 1 · poste autonome, données locales');
  await page.screenshot({ path: join(artifacts, 'gate-ready-counters.png') });

  expect(external, 'requests that left the station').toEqual([]);
});

test('each verdict sounds its own tones, once its colour is on screen, and the sound then rests', async ({ page }) => {
  // Every oscillator the page starts, with the verdict on screen at that moment; and the
  // audio context that plays them.
  await page.addInitScript(() => {
    const w = window as unknown as {
      __tones: { freq: number; type: string; shown: string | null; scan: string | null }[];
      __audio: AudioContext | null;
    };
    w.__tones = [];
    w.__audio = null;
    const create = AudioContext.prototype.createOscillator;
    AudioContext.prototype.createOscillator = function (this: AudioContext) {
      w.__audio = this;
      const osc = create.call(this);
      const set = osc.frequency.setValueAtTime.bind(osc.frequency);
      osc.frequency.setValueAtTime = (freq: number, at: number) => {
        const v = document.querySelector<HTMLElement>('[data-testid="verdict"]');
        w.__tones.push({ freq, type: osc.type, shown: v?.dataset.decision ?? null, scan: v?.dataset.scanId ?? null });
        return set(freq, at);
      };
      return osc;
    };
  });
  const press = people().filter((p) => p.category === 'PRS')[5];
  const tones = () =>
    page.evaluate(() => (window as unknown as { __tones: { freq: number; type: string; shown: string | null; scan: string | null }[] }).__tones.splice(0));
  const heard = async (v: { scanId: string; decision: string }, expected: [number, string][]) => {
    await expect.poll(async () => (await page.evaluate(() => (window as unknown as { __tones: unknown[] }).__tones.length))).toBe(expected.length);
    const got = await tones();
    expect(got.map((t) => [t.freq, t.type])).toEqual(expected);
    // Not before the verdict it goes with is on screen.
    for (const t of got) expect([t.shown, t.scan]).toEqual([v.decision, v.scanId]);
  };
  await signIn(page);
  await page.getByTestId('gate-dir-out').click();
  let v = await scan(page, token(press.serial));
  expectVerdict(v, 'admit', 'Sortie autorisée', press.name);
  await heard(v, [[880, 'sine'], [1320, 'sine']]);
  await page.getByTestId('gate-dir-in').click();
  v = await scan(page, token(press.serial));
  expectVerdict(v, 'admit', 'Accès autorisé', press.name);
  await heard(v, [[880, 'sine'], [1320, 'sine']]);
  v = await scan(page, token(press.serial));
  expectVerdict(v, 'warn', 'Déjà entré — réentrée', press.name);
  await heard(v, [[660, 'triangle'], [660, 'triangle']]);
  v = await scan(page, 'HELLO-BAMEX-2025');
  expectVerdict(v, 'deny', 'Code non reconnu — pas un badge');
  await heard(v, [[196, 'square'], [165, 'square']]);
  // Once the buzz is over, the audio rests: a running context renders silence without end,
  // a core of the gate's laptop taken from painting the next verdict.
  const audioState = () => page.evaluate(() => (window as unknown as { __audio: AudioContext | null }).__audio?.state);
  await expect.poll(audioState, { timeout: 5000 }).toBe('suspended');
  // And the next verdict is heard all the same.
  v = await scan(page, token(press.serial));
  expectVerdict(v, 'warn', 'Déjà entré — réentrée', press.name);
  await heard(v, [[660, 'triangle'], [660, 'triangle']]);
  await expect.poll(audioState).toBe('running');
});

test('scan-to-verdict time over 50 scans (keydown of Enter → verdict painted)', async ({ page }) => {
  // Visitors and press: none of them was revoked by the test above.
  const tokens = people()
    .filter((p) => p.category === 'VIS' || p.category === 'PRS')
    .slice(0, 50)
    .map((p) => token(p.serial));
  await signIn(page);
  const { times, retyped } = await page.evaluate(async (toks) => {
    const out: number[] = [];
    let retyped = 0;
    const next = () => new Promise((r) => requestAnimationFrame(() => r(null)));
    const key = (k: string) => new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true });
    for (const tok of toks) {
      const before = document.querySelector('[data-testid="verdict"]')?.getAttribute('data-scan-id') ?? null;
      const target = document.body;
      // The page tells a scanner from typing by the events' time stamps, set when they are
      // made. A busy machine can stall this loop for longer than a scanner's gap between
      // two keys (80 ms, ui/src/lib/gate/scanner.ts): the page then rightly refuses the
      // burst, and the burst is typed again, as an officer scans again.
      let t0 = 0;
      for (let attempt = 1; ; attempt++) {
        const stamps: number[] = [];
        for (const ch of tok) {
          const ev = key(ch);
          stamps.push(ev.timeStamp);
          target.dispatchEvent(ev);
        }
        const enter = key('Enter');
        const gaps = [...stamps, enter.timeStamp].slice(1).map((t, i) => t - stamps[i]);
        const mean = (stamps[stamps.length - 1] - stamps[0]) / (stamps.length - 1);
        t0 = performance.now();
        target.dispatchEvent(enter);
        if (Math.max(...gaps) <= 80 && mean <= 35) break;
        if (attempt === 5) throw new Error('five bursts in a row stalled by this machine');
        retyped += 1;
      }
      // Poll once per frame: the frame in which the new verdict is in the DOM is the one painted.
      for (;;) {
        await next();
        const id = document.querySelector('[data-testid="verdict"]')?.getAttribute('data-scan-id') ?? null;
        if (id !== null && id !== before) break;
        if (performance.now() - t0 > 5000) throw new Error('no verdict within 5 s');
      }
      out.push(performance.now() - t0);
    }
    return { times: out, retyped };
  }, tokens);
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const line = `scan-to-verdict over ${times.length} scans: p50 ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms (${retyped} bursts typed again after a stall)`;
  console.log(line);
  test.info().annotations.push({ type: 'latency', description: line });
  expect(times).toHaveLength(50);
  // Reported above against the 100 ms target; only a broken verdict path takes a second.
  expect(at(0.5)).toBeLessThan(1000);
});

test('camera: live preview, a badge held up to the lens, decoder served from the station itself', async () => {
  const del = people().filter((p) => p.category === 'DEL')[3];
  const video = join(dirname(db()), 'badge.y4m');
  await qrVideo(token(del.serial), video);
  const browser = await chromiumFilming(video);
  try {
    const context = await browser.newContext({ permissions: ['camera'], locale: 'fr-FR' });
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await signIn(page);
    await page.getByTestId('gate-camera').click();
    await expect(page.getByTestId('gate-camera')).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('gate-camera-error')).toHaveCount(0);
    await expect
      .poll(() => page.evaluate(() => (document.querySelector('video')?.videoWidth ?? 0) > 0))
      .toBe(true);
    // The decoder's WebAssembly comes from our own files, and it reads the badge.
    await expect.poll(() => requests.some((u) => u.startsWith(kiosk) && u.endsWith('.wasm'))).toBe(true);
    expectVerdict(await nextVerdict(page, null, 'the filmed badge'), 'admit', 'Accès autorisé', del.name);
    await page.screenshot({ path: join(artifacts, 'gate-camera-admit.png') });
    await page.keyboard.press('Escape');
    await page.screenshot({ path: join(artifacts, 'gate-camera.png') });
    expect(requests.filter((u) => !u.startsWith(kiosk) && !u.startsWith('data:'))).toEqual([]);
    await page.getByTestId('gate-camera').click();
    await expect(page.getByTestId('gate-camera')).toHaveAttribute('aria-pressed', 'false');
  } finally {
    await browser.close();
  }
});
