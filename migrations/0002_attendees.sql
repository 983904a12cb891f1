-- Attendees, delegations and badge numbers.
-- Names are kept as typed (display) and folded (accents, case and punctuation
-- removed) for search and sort.

CREATE TABLE delegation (
    id          TEXT PRIMARY KEY,               -- UUIDv7
    name        TEXT NOT NULL UNIQUE,
    country     TEXT,                           -- ISO 3166-1 alpha-2
    head_id     TEXT REFERENCES attendee (id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL
) STRICT;

-- Badge numbers are never reused: the counter only grows, even when an
-- attendee is erased.
CREATE TABLE serial_counter (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    last INTEGER NOT NULL
) STRICT;
INSERT INTO serial_counter (id, last) VALUES (1, 0);

CREATE TABLE attendee (
    id              TEXT PRIMARY KEY,           -- UUIDv7
    serial          TEXT NOT NULL UNIQUE,       -- BMX-000042
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
    zones_override  TEXT,                       -- JSON array of zone codes; NULL = category default
    days_override   TEXT,                       -- JSON array of YYYY-MM-DD; NULL = category default
    photo           BLOB,                       -- normalised JPEG
    photo_sha256    BLOB,
    status          TEXT NOT NULL DEFAULT 'preregistered'
                    CHECK (status IN ('preregistered', 'registered', 'printed', 'revoked')),
    notes           TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    updated_by      TEXT NOT NULL
) STRICT;

CREATE INDEX attendee_folded_name ON attendee (folded_name);
CREATE INDEX attendee_category ON attendee (category);
CREATE INDEX attendee_delegation ON attendee (delegation_id);
