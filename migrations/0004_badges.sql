-- Signed badges and the gate: signing keys (public halves only), badge
-- versions, revocations, this station's identity and its immutable scan log.
-- Private signing keys never enter the database: they live in 0600 files
-- beside it (`<db>.keys/<kid>.key`).
-- Presence in a zone is derived from the scan log, never stored beside it.

CREATE TABLE signing_key (
    kid         BLOB PRIMARY KEY CHECK (length(kid) = 8),   -- SHA-256(public key)[..8]
    public_key  BLOB NOT NULL UNIQUE CHECK (length(public_key) = 32),
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    retired_at  TEXT,                                       -- a retired kid's tokens are refused
    retired_by  TEXT
) STRICT;

-- Every version of every badge ever issued; the highest is the current one.
CREATE TABLE badge (
    serial     TEXT NOT NULL,
    version    INTEGER NOT NULL CHECK (version >= 1),
    issued_at  TEXT NOT NULL,
    issued_by  TEXT NOT NULL,
    PRIMARY KEY (serial, version)
) STRICT;

CREATE TRIGGER badge_no_update BEFORE UPDATE ON badge
BEGIN SELECT RAISE(ABORT, 'badge versions are immutable'); END;

-- A revocation covers every version of the badge.
CREATE TABLE revocation (
    id         TEXT PRIMARY KEY,                            -- UUIDv7
    serial     TEXT NOT NULL UNIQUE,
    reason     TEXT NOT NULL CHECK (length(reason) > 0),
    revoked_at TEXT NOT NULL,
    revoked_by TEXT NOT NULL
) STRICT;

CREATE TRIGGER revocation_no_update BEFORE UPDATE ON revocation
BEGIN SELECT RAISE(ABORT, 'revocations are immutable'); END;
CREATE TRIGGER revocation_no_delete BEFORE DELETE ON revocation
BEGIN SELECT RAISE(ABORT, 'revocations are immutable'); END;

-- This station: a UUID made on first use and the sequence of its scans.
CREATE TABLE station (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    uuid      TEXT NOT NULL,
    last_seq  INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Every scan, as decided and shown. Immutable: presence and occupancy are
-- derived from it.
CREATE TABLE scan (
    id          TEXT PRIMARY KEY,                           -- UUIDv7
    station     TEXT NOT NULL,
    station_seq INTEGER NOT NULL,
    serial      TEXT,                                       -- NULL when the token was unreadable
    version     INTEGER,
    zone        TEXT NOT NULL,
    direction   TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    decision    TEXT NOT NULL CHECK (decision IN ('admit', 'warn', 'deny')),
    reason      TEXT NOT NULL,
    at          TEXT NOT NULL,                              -- RFC 3339, UTC
    operator    TEXT NOT NULL,
    UNIQUE (station, station_seq)
) STRICT;

CREATE INDEX scan_zone_serial ON scan (zone, serial, at);
CREATE INDEX scan_serial ON scan (serial, at);

CREATE TRIGGER scan_no_update BEFORE UPDATE ON scan
BEGIN SELECT RAISE(ABORT, 'the scan log is append-only'); END;
CREATE TRIGGER scan_no_delete BEFORE DELETE ON scan
BEGIN SELECT RAISE(ABORT, 'the scan log is append-only'); END;
