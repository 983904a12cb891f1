-- The photo last (issue 19). SQLite reads a column by walking its row from
-- the start, and a portrait (about 12 KB) lies in overflow pages: every
-- column stored after it (serial_no, screening, birth_date and erased_at,
-- added after it by ALTER TABLE; photo_sha256 to updated_by) made each read
-- walk the photo's whole overflow chain, for every row: the gate's
-- screening read at every scan, exports, the badges' selection. With the
-- photo last, a read that does not ask for it never touches its pages.
--
-- SQLite cannot move a column: the table is made again. Like every
-- migration this one runs in a transaction with foreign keys on, where
-- dropping the old table deletes its rows first and so fires the actions
-- of the two tables that refer to it (delegation.head_id ON DELETE SET
-- NULL, watchlist_hit ON DELETE CASCADE): what they hold is kept aside and
-- put back once the new table has the same ids. Neither table has triggers.
-- The old table's pages stay in the file, free, until new rows take them.
CREATE TEMP TABLE m0040_heads AS SELECT id, head_id FROM delegation WHERE head_id IS NOT NULL;
CREATE TEMP TABLE m0040_hits AS SELECT * FROM watchlist_hit;

CREATE TABLE attendee_0040 (
    id              TEXT PRIMARY KEY,           -- UUIDv7
    serial          TEXT NOT NULL UNIQUE,       -- BMX-000042
    serial_no       INTEGER NOT NULL DEFAULT 0,
    external_ref    TEXT UNIQUE,                -- the organiser's own reference, from imports
    given_names     TEXT NOT NULL,
    family_name     TEXT NOT NULL,
    folded_name     TEXT NOT NULL,              -- "family given", folded, for sort
    organisation    TEXT NOT NULL DEFAULT '',
    job_title       TEXT NOT NULL DEFAULT '',
    country         TEXT,                       -- ISO 3166-1 alpha-2
    category        TEXT NOT NULL REFERENCES category (code),
    delegation_id   TEXT REFERENCES delegation (id) ON DELETE SET NULL,
    email           TEXT NOT NULL DEFAULT '',
    phone           TEXT NOT NULL DEFAULT '',
    doc_type        TEXT NOT NULL DEFAULT '',   -- passport, national id, ...
    doc_number      TEXT NOT NULL DEFAULT '',   -- sensitive
    birth_date      TEXT,
    zones_override  TEXT,                       -- JSON array of zone codes; NULL = category default
    days_override   TEXT,                       -- JSON array of YYYY-MM-DD; NULL = category default
    photo_sha256    BLOB,
    status          TEXT NOT NULL DEFAULT 'preregistered'
                    CHECK (status IN ('preregistered', 'registered', 'printed', 'revoked')),
    screening       TEXT CHECK (screening IN ('held', 'clear')),
    notes           TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    updated_by      TEXT NOT NULL,
    erased_at       TEXT,
    photo           BLOB                        -- normalised JPEG; last (above)
) STRICT;

INSERT INTO attendee_0040 (id, serial, serial_no, external_ref, given_names, family_name,
    folded_name, organisation, job_title, country, category, delegation_id, email, phone,
    doc_type, doc_number, birth_date, zones_override, days_override, photo_sha256, status,
    screening, notes, created_at, created_by, updated_at, updated_by, erased_at, photo)
SELECT id, serial, serial_no, external_ref, given_names, family_name,
    folded_name, organisation, job_title, country, category, delegation_id, email, phone,
    doc_type, doc_number, birth_date, zones_override, days_override, photo_sha256, status,
    screening, notes, created_at, created_by, updated_at, updated_by, erased_at, photo
FROM attendee;

DROP TABLE attendee;
ALTER TABLE attendee_0040 RENAME TO attendee;

CREATE INDEX attendee_folded_name ON attendee (folded_name);
CREATE INDEX attendee_category ON attendee (category);
CREATE INDEX attendee_delegation ON attendee (delegation_id);
CREATE UNIQUE INDEX attendee_serial_no ON attendee (serial_no);

CREATE TRIGGER sync_outbox_attendee_new AFTER INSERT ON attendee
BEGIN INSERT INTO sync_outbox (kind, key) VALUES ('attendee', NEW.id); END;
CREATE TRIGGER sync_outbox_attendee_edit AFTER UPDATE ON attendee
BEGIN INSERT INTO sync_outbox (kind, key) VALUES ('attendee', NEW.id); END;

UPDATE delegation SET head_id = (SELECT h.head_id FROM m0040_heads h WHERE h.id = delegation.id)
WHERE id IN (SELECT id FROM m0040_heads);
INSERT INTO watchlist_hit SELECT * FROM m0040_hits;
DROP TABLE m0040_heads;
DROP TABLE m0040_hits;
