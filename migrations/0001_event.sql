-- The event a station serves, its days, zones, categories and access matrix,
-- the staff who sign in, and the hash-chained audit log.
-- One database holds one event (the singleton row id = 1).
-- Shipped migrations are never edited: add a new file instead.

CREATE TABLE event (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    venue       TEXT NOT NULL,
    city        TEXT NOT NULL,
    country     TEXT NOT NULL,
    time_zone   TEXT NOT NULL,
    serial_prefix TEXT NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE event_day (
    date TEXT PRIMARY KEY,
    demo INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1))
) STRICT;

CREATE TABLE zone (
    code        TEXT PRIMARY KEY,
    position    INTEGER NOT NULL,
    name_fr     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    capacity    INTEGER CHECK (capacity IS NULL OR capacity > 0),
    antipassback TEXT NOT NULL DEFAULT 'warn' CHECK (antipassback IN ('off', 'warn', 'deny'))
) STRICT;

CREATE TABLE zone_day (
    zone_code TEXT NOT NULL REFERENCES zone (code) ON DELETE CASCADE,
    date      TEXT NOT NULL REFERENCES event_day (date) ON DELETE CASCADE,
    PRIMARY KEY (zone_code, date)
) STRICT;

CREATE TABLE category (
    code     TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    name_fr  TEXT NOT NULL,
    name_en  TEXT NOT NULL,
    color    TEXT NOT NULL CHECK (color GLOB '#[0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F]')
) STRICT;

-- The default access matrix: which zones and days a category opens.
CREATE TABLE category_zone (
    category_code TEXT NOT NULL REFERENCES category (code) ON DELETE CASCADE,
    zone_code     TEXT NOT NULL REFERENCES zone (code) ON DELETE CASCADE,
    PRIMARY KEY (category_code, zone_code)
) STRICT;

CREATE TABLE category_day (
    category_code TEXT NOT NULL REFERENCES category (code) ON DELETE CASCADE,
    date          TEXT NOT NULL REFERENCES event_day (date) ON DELETE CASCADE,
    PRIMARY KEY (category_code, date)
) STRICT;

CREATE TABLE staff (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('admin', 'desk', 'gate')),
    pin_hash   TEXT NOT NULL,
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL
) STRICT;

-- Append-only: each entry's hash covers the previous entry's hash.
CREATE TABLE audit (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    detail    TEXT NOT NULL,
    prev_hash BLOB NOT NULL,
    hash      BLOB NOT NULL
) STRICT;

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
