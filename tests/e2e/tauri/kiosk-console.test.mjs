// Kiosk mode set from the hub's console (issue 17), in the real window: a station the organiser
// asked kiosk mode for opens as a kiosk without `--kiosk` (the setting as sync stores it: a
// `station_kiosk` row for this station), and a running window follows a change that a sync
// brings (taken off: an ordinary window, closed at once; asked again: full screen, the close held
// back for a PIN). Run under a display (xvfb-run).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { askToClose, cli, click, cmd, find, openWindow, pickUnlocker, retype, screenshot, sleep, startDriver, stopDriver, textOf } from './window.mjs';

let db;

/** What a sync from the hub writes on the station when the organiser sets its kiosk mode. */
function received(kiosk) {
  const id = execFileSync('sqlite3', [db, 'SELECT uuid FROM station'], { encoding: 'utf8' }).trim();
  execFileSync('sqlite3', [
    '-cmd',
    '.timeout 10000',
    db,
    `INSERT INTO station_kiosk (station, kiosk, set_at, set_by, hlc) VALUES ('${id}', ${kiosk ? 1 : 0}, 'now', 'sync', '{"wall_ms":${Date.now()},"counter":0,"station":"hub"}')
     ON CONFLICT (station) DO UPDATE SET kiosk = excluded.kiosk, hlc = excluded.hlc`,
  ]);
}

/** The window's XDG_CONFIG_HOME: where its user's autostart entry goes. */
let config;

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-kiosk-console-'));
  db = join(dir, 'station.db');
  execFileSync(cli, ['--db', db, 'demo', '--starting', 'today', '--attendees', '0']);
  // The station's id (made on first use).
  execFileSync('sqlite3', [db, "INSERT OR IGNORE INTO station (id, uuid, last_seq) VALUES (1, 'gate-under-test', 0)"]);
  received(true);
  config = join(dir, 'config');
  await startDriver({ db, config });
  // No --kiosk: the console asked for it.
  await openWindow(['--role', 'gate', '--zone', 'HALL']);
});

after(stopDriver);

async function rect() {
  return cmd('GET', `/window/rect`);
}

test('a station the console made a kiosk opens as one, and follows the console while it runs', async () => {
  assert.match(await textOf('[data-testid="station-title"]'), /Hall d'exposition|Exhibition hall/);
  const full = await rect();
  assert.equal(full.width, 1280, JSON.stringify(full));
  assert.equal(full.height, 800, JSON.stringify(full));
  assert.ok(askToClose() >= 1, 'the kiosk window was found on the display');
  await find('[data-testid="kiosk-lock"]');
  await screenshot('tauri-kiosk-console-lock.png');
  // Asked by the console, the kiosk also opens again after a reboot or a crash: the window
  // wrote this user's autostart entry for its own station.
  const entry = join(config, 'autostart', 'gatehouse-kiosk.desktop');
  assert.ok(existsSync(entry), 'the autostart entry is written');
  const exec = readFileSync(entry, 'utf8').split('\n').find((l) => l.startsWith('Exec=')) ?? '';
  for (const part of ['--kiosk', `--db ${db}`, '--role gate', '--zone HALL', 'Restart=on-failure']) {
    assert.ok(exec.includes(part), `${part} in ${exec}`);
  }
  await click('[data-testid="kiosk-cancel"]');

  // Taken off by the organiser: the running window leaves kiosk mode (within a few seconds) and
  // its own audit log says so (the hub reads it as "applied"). Its ordinary size is the test
  // display's, so the window's size cannot tell.
  received(false);
  const applied = () =>
    execFileSync('sqlite3', ['-cmd', '.timeout 10000', db, "SELECT detail FROM audit WHERE action = 'kiosk.applied' ORDER BY seq DESC LIMIT 1"], {
      encoding: 'utf8',
    }).trim();
  for (let i = 0; i < 100 && applied() !== '{"kiosk":false}'; i++) await sleep(200);
  assert.equal(applied(), '{"kiosk":false}');
  assert.ok(!existsSync(entry), 'the autostart entry is removed once the console takes kiosk mode off');
  await screenshot('tauri-kiosk-console-off.png');
  // An ordinary window now: a close is not held back.
  let gone = false;
  for (let i = 0; i < 50 && !gone; i++) {
    askToClose();
    await sleep(200);
    gone = askToClose() === 0;
  }
  assert.ok(gone, 'the window closed without a PIN once kiosk mode was taken off');
});
