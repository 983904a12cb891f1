-- LAN sync through a hub: the replicated log of entries, per-origin
-- high-water marks, this station's hybrid logical clock, attendee field
-- clocks, other stations' audit entries, and pairing (codes and
-- credentials on the hub, the hub's address and credential on a station).
-- Double admissions are derived from the scan log, never stored.

-- Every entry this station holds, its own and the others': keyed by the
-- station that made it and its sequence there. `kind`/`key` name the fact
-- (scan id, serial/version, revocation id, ...) so that a local fact is
-- logged once. `body` is the record as JSON (see src/sync/protocol.rs).
CREATE TABLE sync_entry (
    origin  TEXT NOT NULL,
    seq     INTEGER NOT NULL CHECK (seq >= 1),
    kind    TEXT NOT NULL,
    key     TEXT NOT NULL,
    body    TEXT NOT NULL,
    PRIMARY KEY (origin, seq)
) STRICT;
CREATE INDEX sync_entry_kind_key ON sync_entry (kind, key);

CREATE TRIGGER sync_entry_no_update BEFORE UPDATE ON sync_entry
BEGIN SELECT RAISE(ABORT, 'sync entries are immutable'); END;

-- Per origin, the sequence up to which every entry is held.
CREATE TABLE sync_mark (
    origin  TEXT PRIMARY KEY,
    seq     INTEGER NOT NULL
) STRICT;

-- This station's clock and counters (singleton).
CREATE TABLE sync_state (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    wall_ms     INTEGER NOT NULL DEFAULT 0,
    counter     INTEGER NOT NULL DEFAULT 0,
    own_seq     INTEGER NOT NULL DEFAULT 0,     -- last sequence given to a local entry
    audit_seq   INTEGER NOT NULL DEFAULT 0,     -- last local audit entry logged
    event_hlc   TEXT,                           -- JSON clock of the event configuration held
    event_json  TEXT                            -- that configuration, to notice local changes
) STRICT;
INSERT INTO sync_state (id) VALUES (1);

-- Per attendee field, the clock of the value held (last writer wins).
CREATE TABLE sync_field (
    attendee    TEXT NOT NULL,
    field       TEXT NOT NULL,
    value       TEXT,
    hlc         TEXT NOT NULL,                  -- JSON
    PRIMARY KEY (attendee, field)
) STRICT, WITHOUT ROWID;

-- The attendee rows as last logged, to notice local edits.
CREATE TABLE sync_attendee_seen (
    attendee    TEXT PRIMARY KEY,
    updated_at  TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- Other stations' audit entries (ours stay in `audit`, hash-chained).
CREATE TABLE sync_audit (
    origin  TEXT NOT NULL,
    seq     INTEGER NOT NULL,
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    detail  TEXT NOT NULL,
    PRIMARY KEY (origin, seq)
) STRICT;

-- On the hub: where it listens (for `gatehouse pair`).
CREATE TABLE sync_hub_config (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    url         TEXT NOT NULL,
    fingerprint TEXT,                           -- SHA-256 of its TLS certificate, hex
    started_at  TEXT NOT NULL
) STRICT;

-- On the hub: one-time pairing codes (only their hashes).
CREATE TABLE sync_pairing_code (
    code_hash   BLOB PRIMARY KEY,
    created_at  TEXT NOT NULL,
    used_at     TEXT,
    used_by     TEXT
) STRICT;

-- On the hub: paired stations and their credentials (only hashes).
CREATE TABLE sync_peer (
    station      TEXT PRIMARY KEY,
    token_hash   BLOB NOT NULL UNIQUE,
    paired_at    TEXT NOT NULL,
    last_contact TEXT,
    unpaired_at  TEXT                          -- set: the credential no longer works
) STRICT;

-- On a station: the hub it is paired with and its credential.
CREATE TABLE sync_link (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    url         TEXT NOT NULL,
    token       TEXT NOT NULL,
    fingerprint TEXT,
    paired_at   TEXT NOT NULL,
    last_sync   TEXT
) STRICT;
