-- Supervisors (gate officers who may override a denial) get a role of their
-- own, and each account keeps how many digits its PIN has, so `hub` and
-- `pair` can refuse to go live while a PIN is below its role's policy
-- (admins and supervisors 8 digits, others 6). NULL: a PIN set before this
-- version, length unknown (treated as below the policy until changed).
CREATE TABLE staff_0020 (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('admin', 'desk', 'gate', 'supervisor')),
    pin_hash   TEXT NOT NULL,
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL,
    pin_digits INTEGER CHECK (pin_digits BETWEEN 4 AND 12)
) STRICT;

INSERT INTO staff_0020 (id, name, role, pin_hash, active, created_at)
    SELECT id, name, role, pin_hash, active, created_at FROM staff;

DROP TABLE staff;
ALTER TABLE staff_0020 RENAME TO staff;
