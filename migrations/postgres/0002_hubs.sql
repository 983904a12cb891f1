-- Several hub processes serving one event (docs/SCALE.md, "Failover"):
-- a station's credential is valid at every hub of the event, a station
-- un-paired at one hub is refused at all of them, and stations receive
-- the list of the event's hubs, signed by a key only hubs hold.

-- The credential each station was given (its SHA-256, as in each hub's own
-- `sync_peer`), its name and when it was paired, and when it was
-- un-paired at any hub: once set, never cleared. Hub processes
-- themselves have no credential (NULL).
ALTER TABLE sync_roster ADD COLUMN token_hash BYTEA UNIQUE;
ALTER TABLE sync_roster ADD COLUMN paired_at TEXT;
ALTER TABLE sync_roster ADD COLUMN name TEXT;
ALTER TABLE sync_roster ADD COLUMN unpaired_at TEXT;

-- The event's hub processes, by station id: where stations reach each one
-- and its TLS certificate's fingerprint (what a station pins). Written
-- only by hub processes at start; stations receive it signed.
CREATE TABLE sync_hub (
    station     TEXT PRIMARY KEY,
    url         TEXT NOT NULL,
    fingerprint TEXT NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
    first_seen  TIMESTAMPTZ NOT NULL DEFAULT now(),
    started_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The Ed25519 key the hubs sign the hub list with (made by the first hub
-- to start; its public half is handed to stations at pairing).
CREATE TABLE sync_hub_key (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    secret BYTEA NOT NULL CHECK (length(secret) = 32)
);

-- The last block of walk-in badge numbers given to a registering station
-- by any hub of the event (`sync::hub::serial_block`): two desks paired at
-- two hubs never get the same block.
CREATE TABLE sync_desk_block (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    k  INTEGER NOT NULL CHECK (k > 0)
);
