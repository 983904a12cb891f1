-- Station trust: what a station may not send is held aside, never applied;
-- the organiser is alerted; pairing codes expire and can be cancelled.

-- Entries held aside, unapplied and unrelayed: on the hub, those of a
-- quarantined station, until an admin releases or discards them; on a
-- station, relayed entries whose origin's role may not have made them. Their
-- places count towards the origin's high-water mark (nobody resends them).
CREATE TABLE sync_held (
    origin  TEXT NOT NULL,
    seq     INTEGER NOT NULL CHECK (seq >= 1),
    kind    TEXT NOT NULL,
    key     TEXT NOT NULL,
    body    TEXT NOT NULL,
    why     TEXT NOT NULL,
    held_at TEXT NOT NULL,
    PRIMARY KEY (origin, seq)
) STRICT;

-- On the hub: each time a station said more than its role allows (a record
-- it may not send, another station's name): what the console's dashboard
-- shows until an admin resolves it.
CREATE TABLE sync_alert (
    id          INTEGER PRIMARY KEY,
    station     TEXT NOT NULL,
    at          TEXT NOT NULL,
    kinds       TEXT NOT NULL,                  -- comma-separated record kinds
    why         TEXT NOT NULL,
    resolved_at TEXT,
    resolved_by TEXT,
    resolution  TEXT CHECK (resolution IN ('released', 'discarded', 'unpaired'))
) STRICT;
CREATE INDEX sync_alert_open ON sync_alert (resolved_at, station);

-- Pairing codes expire, and can be cancelled before use.
ALTER TABLE sync_pairing_code ADD COLUMN expires_at TEXT;
ALTER TABLE sync_pairing_code ADD COLUMN cancelled_at TEXT;
-- A short id to list and cancel an open code by (its secret is only hashed).
ALTER TABLE sync_pairing_code ADD COLUMN label TEXT;
