// Kiosk mode in the real window (`gatehouse-app --kiosk`), driven through tauri-driver: a close
// asked the way a window manager asks it (Alt+F4, a close button: WM_DELETE_WINDOW, sent by
// wm_close.py) is held back for an organiser's or supervisor's PIN; a wrong PIN or another
// role's keeps the window; the supervisor's closes it. Run under a display (xvfb-run).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { askToClose, cli, click, cmd, find, openWindow, pickUnlocker, retype, screenshot, sleep, startDriver, stopDriver, textOf } from './window.mjs';

before(async () => {
  const db = join(mkdtempSync(join(tmpdir(), 'gatehouse-kiosk-')), 'station.db');
  execFileSync(cli, ['--db', db, 'demo', '--starting', 'today', '--attendees', '0']);
  await startDriver({ db });
  await openWindow(['--kiosk', '--role', 'gate', '--zone', 'HALL']);
});

after(stopDriver);

test('a kiosk window fills the screen and closes only with a supervisor’s or organiser’s PIN', async () => {
  assert.match(await textOf('[data-testid="station-title"]'), /Hall d'exposition|Exhibition hall/);
  // Full screen on the 1280×800 test display, without decorations.
  const rect = await cmd('GET', `/window/rect`);
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
  await retype('[data-testid="kiosk-pin"]', '9999');
  await click('[data-testid="kiosk-submit"]');
  assert.match(await textOf('[data-testid="kiosk-problem"]'), /ne déverrouille pas le kiosque/);
  // Staying: the prompt goes, the station is as it was; asked again, it is asked again.
  await click('[data-testid="kiosk-cancel"]');
  await sleep(500);
  assert.match(await textOf('[data-testid="station-title"]'), /Hall d'exposition|Exhibition hall/);
  askToClose();
  await find('[data-testid="kiosk-lock"]');
  // The gate officer's PIN is not enough: they are not offered, and the core refuses it anyway.
  const offered = await cmd('POST', `/execute/sync`, {
    script: `return [...document.querySelectorAll('[data-testid="kiosk-who"] option')].map((o) => o.textContent)`,
    args: [],
  });
  assert.deepEqual([...offered].sort(), ['Admin démo', 'Superviseur démo']);

  // The supervisor's PIN closes the window: the app ends.
  await pickUnlocker('Superviseur démo');
  await retype('[data-testid="kiosk-pin"]', '4444');
  await click('[data-testid="kiosk-submit"]');
  let gone = false;
  for (let i = 0; i < 100 && !gone; i++) {
    await sleep(200);
    gone = askToClose() === 0;
  }
  assert.ok(gone, 'the kiosk window closed after the right PIN');
});
