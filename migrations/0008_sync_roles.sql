-- Sync, second cut: station roles (private signing keys go only to issuing
-- stations), station names, what each station has acknowledged (backlog,
-- which stations a revocation has reached), and a station's last error.

-- The role a pairing code grants, chosen on the hub (`gatehouse pair
-- --role gate`): a station cannot raise its own role.
ALTER TABLE sync_pairing_code ADD COLUMN role TEXT NOT NULL DEFAULT 'desk'
    CHECK (role IN ('desk', 'gate', 'admin'));
ALTER TABLE sync_pairing_code ADD COLUMN name TEXT;

-- On the hub: each paired station's role and the name it goes by.
ALTER TABLE sync_peer ADD COLUMN role TEXT NOT NULL DEFAULT 'desk'
    CHECK (role IN ('desk', 'gate', 'admin'));
ALTER TABLE sync_peer ADD COLUMN name TEXT;

-- On the hub: per paired station and origin, the sequence up to which the
-- station has said it holds every entry (the `have` of its last request).
CREATE TABLE sync_peer_mark (
    station TEXT NOT NULL,
    origin  TEXT NOT NULL,
    seq     INTEGER NOT NULL,
    PRIMARY KEY (station, origin)
) STRICT, WITHOUT ROWID;

-- On a station: the role the hub granted it, and how its last attempt went.
ALTER TABLE sync_link ADD COLUMN role TEXT NOT NULL DEFAULT 'desk'
    CHECK (role IN ('desk', 'gate', 'admin'));
ALTER TABLE sync_link ADD COLUMN last_attempt TEXT;
ALTER TABLE sync_link ADD COLUMN last_error TEXT;
