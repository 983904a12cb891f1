-- The attendee registry: badge numbers as integers (the search index's key),
-- organisations, and the search index.

-- The number of the badge serial (BMX-000042 → 42): unique like the serial,
-- compact and stable (rowids may be renumbered by VACUUM).
ALTER TABLE attendee ADD COLUMN serial_no INTEGER NOT NULL DEFAULT 0;
UPDATE attendee SET serial_no = CAST(substr(serial, -6) AS INTEGER);
CREATE UNIQUE INDEX attendee_serial_no ON attendee (serial_no);

-- Organisations known to the event (exhibitors, ministries, media): what the
-- desk's organisation field suggests. Attendees keep the name as typed.
CREATE TABLE organisation (
    name        TEXT PRIMARY KEY,
    folded      TEXT NOT NULL,
    country     TEXT,                           -- ISO 3166-1 alpha-2
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX organisation_folded ON organisation (folded);

-- Search index: every folded term of an attendee's names (kind 0), badge and
-- document numbers (kind 1) and organisation (kind 2). A prefix search is a
-- range scan on `term` within one kind, names first. Maintained by the
-- registry code (folding is done in Rust): an edit deletes the old terms by
-- key, so no second index slows the bulk inserts of an import.
CREATE TABLE search_term (
    kind        INTEGER NOT NULL CHECK (kind IN (0, 1, 2)),
    term        TEXT NOT NULL,
    serial_no   INTEGER NOT NULL,
    PRIMARY KEY (kind, term, serial_no)
) STRICT, WITHOUT ROWID;
