// The real desktop window through tauri-driver and WebKitWebDriver, for the window tests and
// the window's verdict benchmark: plain WebDriver over HTTP, no client library. One driver and
// one window session per process (node --test runs each file in its own process).
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, '../../..');
export const artifacts = join(here, '..', 'artifacts');
export const cli = join(root, 'target/debug/gatehouse');
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The window's debug build, which the tests drive. */
export const debugApp = join(root, 'target/debug/gatehouse-app');
let app = debugApp;
let driver = null;
let driverUrl = null;
let session = null;

/** A raw WebDriver call (`path` from the root: `/session`, `/status`). */
export async function wd(method, path, body) {
  const res = await fetch(driverUrl + path, {
    // A window that dies while starting leaves WebKitWebDriver waiting: give up
    // after two minutes rather than undici's five.
    signal: AbortSignal.timeout(120_000),
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json.value)}`);
  return json.value;
}

/** A call on the open window's session (`path` after `/session/{id}`). */
export const cmd = (method, path, body) => wd(method, `/session/${session}${path}`, body);

/**
 * Starts tauri-driver for the window of `db` (`application`: default the debug build;
 * `config`: its XDG_CONFIG_HOME, default a new folder).
 * Ports are picked at random, the native WebDriver's too: left at its default (4445), a
 * second suite running beside this one reached the first one's WebKitWebDriver.
 */
export async function startDriver({ db, application, config, env = {} }) {
  if (application) app = application;
  config ??= mkdtempSync(join(tmpdir(), 'gatehouse-window-config-'));
  const audio = await soundServer(config);
  const port = 4444 + Math.floor(Math.random() * 2000);
  driverUrl = `http://127.0.0.1:${port}`;
  driver = spawn('tauri-driver', ['--port', String(port), '--native-port', String(port + 2100)], {
    env: { ...process.env, GATEHOUSE_DB: db, XDG_CONFIG_HOME: config, ...audio, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
    // Its own process group, so that stopDriver can end the driver, WebKitWebDriver and
    // any window they leave behind together (a leftover window holds the runner's output open).
    detached: true,
  });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(driverUrl + '/status')).ok) return driver;
    } catch {
      /* not up yet */
    }
    await sleep(100);
  }
  throw new Error('tauri-driver did not start');
}

let sound = null;

/** Where the window's sounds go (said in the verdict bench's header). */
export const soundOutput = () => sound?.what ?? 'none';

/**
 * A sound output for the gate's verdict beeps, as on a gate laptop: the desktop's sound
 * server (PulseAudio or PipeWire), paced by its clock. A machine with none (CI) gets
 * PulseAudio with a null sink for the run, in a private runtime folder. Only where
 * pulseaudio is missing too does ALSA get a null device ($XDG_CONFIG_HOME/alsa/asoundrc),
 * so that WebKit's audio pipeline opens at all, the path no real station takes: GStreamer
 * then plays through OpenAL, whose mixer spins on a device that never waits, a whole core
 * of a two-core machine (the window's verdict p95 52-63 ms against 40-44 with a server).
 * Returns the environment the window needs.
 */
async function soundServer(config) {
  const answers = (env) => {
    try {
      execFileSync('pactl', ['info'], { env, stdio: 'ignore', timeout: 5000 });
      return true;
    } catch {
      return false;
    }
  };
  if (answers(process.env)) {
    sound = { what: "the desktop's sound server", stop: () => {} };
    return {};
  }
  const runtime = mkdtempSync(join(tmpdir(), 'gatehouse-sound-'));
  const env = { ...process.env, XDG_RUNTIME_DIR: runtime };
  // The socket's folder is this user's alone: no cookie needed (the window's own
  // XDG_CONFIG_HOME would not find it).
  const server = spawn(
    'pulseaudio',
    ['--daemonize=no', '--exit-idle-time=-1', '-n', '--load=module-native-protocol-unix auth-anonymous=1', '--load=module-null-sink'],
    { env, stdio: 'ignore' },
  );
  server.on('error', () => {});
  for (let i = 0; i < 50 && server.exitCode === null && !answers(env); i++) await sleep(100);
  if (answers(env)) {
    const stop = () => {
      server.kill('SIGTERM');
      rmSync(runtime, { recursive: true, force: true });
    };
    process.on('exit', stop);
    sound = { what: 'PulseAudio started for the run (null sink)', stop };
    return { XDG_RUNTIME_DIR: runtime };
  }
  server.kill('SIGTERM');
  rmSync(runtime, { recursive: true, force: true });
  mkdirSync(join(config, 'alsa'), { recursive: true });
  writeFileSync(join(config, 'alsa', 'asoundrc'), 'pcm.!default { type null }\n');
  sound = { what: 'ALSA null device (no sound server; install pulseaudio)', stop: () => {} };
  return {};
}

/** The driver's process id (its process group's too). */
export const driverPid = () => driver?.pid;

/** Opens the window with `args` (closing the one open), and returns its session id. */
export async function openWindow(args = []) {
  if (session) await closeWindow();
  const start = () => wd('POST', '/session', { capabilities: { alwaysMatch: { 'tauri:options': { application: app, args } } } });
  try {
    session = (await start()).sessionId;
  } catch (e) {
    // Once in a while on a loaded CI machine the window cannot open the X display
    // ("Failed to initialize GTK", printed above by the window itself): the display
    // server's fault, not the product's. Start it again once, as a user would,
    // saying so; a second failure fails the test.
    console.log(`# the window did not start (${e.message}); starting it again once`);
    session = (await start()).sessionId;
  }
  return session;
}

/** Closes the open window's session (a window that already went away is no error). */
export async function closeWindow() {
  if (session) await wd('DELETE', `/session/${session}`).catch(() => {});
  session = null;
}

/** Forgets the session of a window that ended by itself (a restart). */
export const forgetWindow = () => {
  session = null;
};

/** Ends the window, the driver and everything they started. */
export async function stopDriver() {
  await closeWindow();
  sound?.stop();
  if (driver?.pid) {
    try {
      process.kill(-driver.pid, 'SIGTERM');
    } catch {
      /* the group is already gone */
    }
  }
}

/** Runs `script` in the window and returns what it returns. */
export const exec = (script, args = []) => cmd('POST', '/execute/sync', { script, args });

/** The element `css` finds, waiting up to `timeoutMs`; on timeout, what the window showed. */
export async function find(css, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return Object.values(await cmd('POST', '/element', { using: 'css selector', value: css }))[0];
    } catch (e) {
      if (Date.now() > deadline) {
        await explainMissing(css);
        throw e;
      }
      await sleep(200);
    }
  }
}

/** What the window showed when `css` never came: a screenshot and the screen's words in the log. */
async function explainMissing(css) {
  try {
    await screenshot(`missing-${css.replace(/[^a-z0-9-]+/gi, '_')}.png`);
    const words = await exec('return document.body.innerText.slice(0, 1500)');
    console.error(`# ${css} never appeared; the window read:\n${String(words).replace(/^/gm, '#   ')}`);
  } catch {
    /* the window itself is gone: the error that follows says so */
  }
}

/** The text of `css`. */
export async function textOf(css) {
  // A screen that re-renders (sign-in giving way to the station) can replace the element
  // between finding and reading it: find it again rather than fail on the stale one.
  for (let attempt = 0; ; attempt++) {
    const el = await find(css);
    try {
      return await cmd('GET', `/element/${el}/text`);
    } catch (e) {
      if (attempt >= 20 || !String(e.message).includes('stale element')) throw e;
      await sleep(100);
    }
  }
}

/** Clicks the element `css` finds. */
export const click = async (css) => cmd('POST', `/element/${await find(css)}/click`, {});
/** Types `text` into the element `css` finds. */
export const type = async (css, text) => cmd('POST', `/element/${await find(css)}/value`, { text });
/** Empties the field `css` finds, then types `text` into it. */
export async function retype(css, text) {
  const el = await find(css);
  await cmd('POST', `/element/${el}/clear`, {});
  await cmd('POST', `/element/${el}/value`, { text });
}

/** Saves what the window shows as `artifacts/NAME`. */
export async function screenshot(name) {
  mkdirSync(artifacts, { recursive: true });
  writeFileSync(join(artifacts, name), Buffer.from(await cmd('GET', '/screenshot'), 'base64'));
}

/**
 * Signs in as the product asks it (the same steps as tests/e2e/web/signin.ts): the name typed
 * into the list's search and Enter, then the PIN and the submit button.
 */
export async function signInAs(name, pin) {
  await type('[data-testid="signin-search"]', name + '\uE007');
  await type('[data-testid="signin-pin"]', pin);
  await click('[data-testid="signin-submit"]');
}

/** Asks the window to close as a window manager does (Alt+F4, a close button:
 * WM_DELETE_WINDOW, sent by wm_close.py); how many windows were asked. */
export function askToClose() {
  return Number(execFileSync('python3', [join(here, 'wm_close.py'), String(driver.pid)], { encoding: 'utf8' }).trim());
}

/** Chooses the option whose visible text is `text` in the list `css` finds, as a user
 * picks it; its value, or null when no option reads so. */
export const pickOption = (css, text) =>
  exec(
    `const s = document.querySelector(arguments[0]);
      const o = [...s.options].find((o) => o.textContent === arguments[1]);
      if (!o) return null;
      s.value = o.value; s.dispatchEvent(new Event('change', { bubbles: true })); return o.value;`,
    [css, text],
  );

/** Picks `name` in the kiosk prompt's list of who may unlock. */
export async function pickUnlocker(name) {
  assert.ok(await pickOption('[data-testid="kiosk-who"]', name), `${name} is offered to unlock`);
}
