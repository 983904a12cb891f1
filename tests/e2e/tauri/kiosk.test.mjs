// Kiosk mode in the real window (`gatehouse-app --kiosk`), driven through tauri-driver: a close
// asked the way a window manager asks it (Alt+F4, a close button: WM_DELETE_WINDOW, sent by
// wm_close.py) is held back for an organiser's or supervisor's PIN; a wrong PIN or another
// role's keeps the window; the supervisor's closes it. Run under a display (xvfb-run).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const artifacts = join(here, '..', 'artifacts');
const app = join(root, 'target/debug/gatehouse-app');
const cli = join(root, 'target/debug/gatehouse');
const port = 5500 + Math.floor(Math.random() * 1000);
const driverUrl = `http://127.0.0.1:${port}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let driver;
let session;

async function wd(method, path, body) {
  const res = await fetch(driverUrl + path, {
    signal: AbortSignal.timeout(120_000),
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json.value)}`);
  return json.value;
}

async function find(css, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return Object.values(await wd('POST', `/session/${session}/element`, { using: 'css selector', value: css }))[0];
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await sleep(200);
    }
  }
}

async function textOf(css) {
  return wd('GET', `/session/${session}/element/${await find(css)}/text`);
}

async function type(css, text) {
  const el = await find(css);
  await wd('POST', `/session/${session}/element/${el}/clear`, {});
  await wd('POST', `/session/${session}/element/${el}/value`, { text });
}

async function click(css) {
  await wd('POST', `/session/${session}/element/${await find(css)}/click`, {});
}

async function screenshot(name) {
  mkdirSync(artifacts, { recursive: true });
  writeFileSync(join(artifacts, name), Buffer.from(await wd('GET', `/session/${session}/screenshot`), 'base64'));
}

/** Asks the window to close as a window manager does; how many windows were asked. */
function askToClose() {
  return Number(execFileSync('python3', [join(here, 'wm_close.py'), String(driver.pid)], { encoding: 'utf8' }).trim());
}

/** Picks `name` in the kiosk prompt's list (by its visible text). */
async function pickUnlocker(name) {
  const id = await wd('POST', `/session/${session}/execute/sync`, {
    script: `const s = document.querySelector('[data-testid="kiosk-who"]');
      const o = [...s.options].find((o) => o.textContent === arguments[0]);
      if (!o) return null;
      s.value = o.value; s.dispatchEvent(new Event('change', { bubbles: true })); return o.value;`,
    args: [name],
  });
  assert.ok(id, `${name} is offered to unlock`);
}

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-kiosk-'));
  const db = join(dir, 'station.db');
  execFileSync(cli, ['--db', db, 'demo', '--starting', 'today', '--attendees', '0']);
  const config = join(dir, 'config');
  mkdirSync(join(config, 'alsa'), { recursive: true });
  writeFileSync(join(config, 'alsa', 'asoundrc'), 'pcm.!default { type null }\n');
  // The native WebDriver's port too: left at its default (4445), a second suite
  // running beside this one reached the first one's WebKitWebDriver.
  driver = spawn('tauri-driver', ['--port', String(port), '--native-port', String(port + 2100)], {
    env: { ...process.env, GATEHOUSE_DB: db, XDG_CONFIG_HOME: config },
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(driverUrl + '/status')).ok) break;
    } catch {
      /* not up yet */
    }
    await sleep(100);
  }
  const start = () =>
    wd('POST', '/session', {
      capabilities: { alwaysMatch: { 'tauri:options': { application: app, args: ['--kiosk', '--role', 'gate', '--zone', 'HALL'] } } },
    });
  session = (await start().catch(() => start())).sessionId;
});

after(async () => {
  if (session) await wd('DELETE', `/session/${session}`).catch(() => {});
  try {
    process.kill(-driver.pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
});

test('a kiosk window fills the screen and closes only with a supervisor’s or organiser’s PIN', async () => {
  assert.match(await textOf('[data-testid="station-title"]'), /Hall d'exposition|Exhibition hall/);
  // Full screen on the 1280×800 test display, without decorations.
  const rect = await wd('GET', `/session/${session}/window/rect`);
  assert.equal(rect.width, 1280, JSON.stringify(rect));
  assert.equal(rect.height, 800, JSON.stringify(rect));

  // "Changer de poste" asks for the PIN too; staying keeps the station.
  await click('[data-testid="station-back"]');
  assert.match(await textOf('[data-testid="kiosk-lock"]'), /Pour changer de poste/);
  await click('[data-testid="kiosk-cancel"]');
  await sleep(300);
  assert.match(await textOf('[data-testid="station-title"]'), /Hall d'exposition|Exhibition hall/);

  // Alt+F4 or a close button: the window stays and asks for a PIN.
  assert.ok(askToClose() >= 1, 'the kiosk window was found on the display');
  await find('[data-testid="kiosk-lock"]');
  assert.match(await textOf('[data-testid="kiosk-lock"]'), /organisateur ou un superviseur/);
  await screenshot('tauri-kiosk-lock.png');
  // A wrong PIN: refused in words, the window stays.
  await pickUnlocker('Superviseur démo');
  await type('[data-testid="kiosk-pin"]', '9999');
  await click('[data-testid="kiosk-submit"]');
  assert.match(await textOf('[data-testid="kiosk-problem"]'), /ne déverrouille pas le kiosque/);
  // Staying: the prompt goes, the station is as it was; asked again, it is asked again.
  await click('[data-testid="kiosk-cancel"]');
  await sleep(500);
  assert.match(await textOf('[data-testid="station-title"]'), /Hall d'exposition|Exhibition hall/);
  askToClose();
  await find('[data-testid="kiosk-lock"]');
  // The gate officer's PIN is not enough: they are not offered, and the core refuses it anyway.
  const offered = await wd('POST', `/session/${session}/execute/sync`, {
    script: `return [...document.querySelectorAll('[data-testid="kiosk-who"] option')].map((o) => o.textContent)`,
    args: [],
  });
  assert.deepEqual([...offered].sort(), ['Admin démo', 'Superviseur démo']);

  // The supervisor's PIN closes the window: the app ends.
  await pickUnlocker('Superviseur démo');
  await type('[data-testid="kiosk-pin"]', '4444');
  await click('[data-testid="kiosk-submit"]');
  let gone = false;
  for (let i = 0; i < 100 && !gone; i++) {
    await sleep(200);
    gone = askToClose() === 0;
  }
  assert.ok(gone, 'the kiosk window closed after the right PIN');
});
