-- Issue 17: two settings the console makes.
--
-- Kiosk mode asked by the organiser for one paired station. The hub's (or
-- an organiser station's) console writes a row with no clock; the next
-- capture stamps it and logs it as a `station_kiosk` sync record, which
-- only an organiser station may send (`sync::policy`). Received rows carry
-- their clock; per station, the latest clock wins. The station the row
-- names applies it (its window goes to or leaves kiosk mode) and says so in
-- its own audit log (`kiosk.applied`), which reaches the hub like any
-- audit entry.
CREATE TABLE station_kiosk (
    station TEXT PRIMARY KEY,               -- the station's id (`station.uuid`)
    kiosk   INTEGER NOT NULL CHECK (kiosk IN (0, 1)),
    set_at  TEXT NOT NULL,
    set_by  TEXT NOT NULL,
    hlc     TEXT                            -- NULL: set here, not logged yet
) STRICT, WITHOUT ROWID;

-- This station's automatic backups, set from its console: the folder, how
-- often, how many kept, and how the last one went. The passphrase is never
-- stored: it is held in the running process's memory only and asked again
-- after a restart (`backup_schedule.rs`).
CREATE TABLE backup_schedule (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    folder        TEXT NOT NULL,
    every_min     INTEGER NOT NULL CHECK (every_min >= 1),
    keep          INTEGER NOT NULL CHECK (keep >= 1),
    enabled       INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    updated_at    TEXT NOT NULL,
    updated_by    TEXT NOT NULL,
    last_at       TEXT,                     -- the last attempt
    last_ok_at    TEXT,                     -- the last backup made
    last_file     TEXT,
    last_error_fr TEXT,                     -- NULL when the last attempt worked
    last_error_en TEXT,
    failures      INTEGER NOT NULL DEFAULT 0 -- attempts failed in a row
) STRICT;
