-- A `vetting` role (issue 16): the security officer who opens the vetting
-- screen and decides, and nothing else of the console. The role list is a
-- CHECK constraint, so the table is made again as 0020 did (no trigger or
-- index hangs on `staff`; accounts travel by sync from `sync_staff_seen`,
-- which this leaves alone).
CREATE TABLE staff_0030 (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('admin', 'desk', 'gate', 'supervisor', 'vetting')),
    pin_hash   TEXT NOT NULL,
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL,
    pin_digits INTEGER CHECK (pin_digits BETWEEN 4 AND 12)
) STRICT;

INSERT INTO staff_0030 (id, name, role, pin_hash, active, created_at, pin_digits)
    SELECT id, name, role, pin_hash, active, created_at, pin_digits FROM staff;

DROP TABLE staff;
ALTER TABLE staff_0030 RENAME TO staff;
