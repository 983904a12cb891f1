-- Watchlist screening (issue 16). The list and its hits stay on the station
-- that imported them (the hub, or an admin station): no sync capture
-- trigger, no sync record kind and no sync field carries these two tables,
-- so desks and gates never hold them (tests/watchlist_sync.rs checks their
-- databases). What travels is only the attendee's `screening` column below.

-- One line of the security services' list, as imported (a new import
-- replaces the whole list).
CREATE TABLE watchlist_entry (
    -- AUTOINCREMENT: each import's lines take numbers never used before,
    -- so the first and last numbers name one list (the screening cache).
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    reference    TEXT NOT NULL,               -- the services' own reference
    names        TEXT NOT NULL,               -- JSON array: full name, then aliases
    birth_date   TEXT,                        -- YYYY-MM-DD
    nationality  TEXT,                        -- ISO 3166-1 alpha-2
    doc_numbers  TEXT NOT NULL DEFAULT '[]',  -- JSON array
    note         TEXT NOT NULL DEFAULT '',
    line         INTEGER NOT NULL,            -- its line in the imported file
    imported_at  TEXT NOT NULL,
    imported_by  TEXT NOT NULL
) STRICT;

-- The current hits: an attendee scoring at least the matcher's threshold
-- against an entry, with the score and the reasons (typed, said in French
-- or English when shown). Replaced each time the attendee is screened.
CREATE TABLE watchlist_hit (
    attendee     TEXT NOT NULL REFERENCES attendee (id) ON DELETE CASCADE,
    entry        INTEGER NOT NULL REFERENCES watchlist_entry (id) ON DELETE CASCADE,
    score        INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
    reasons      TEXT NOT NULL,               -- JSON array of reasons
    screened_at  TEXT NOT NULL,
    PRIMARY KEY (attendee, entry)
) STRICT;

CREATE INDEX watchlist_hit_entry ON watchlist_hit (entry);

-- "Held for review", the one screening fact that syncs (an attendee field):
-- NULL never held, 'held' a hit at or above the threshold, 'clear' held
-- once and no longer. Only an admin station may send it (sync/policy.rs).
ALTER TABLE attendee ADD COLUMN screening TEXT CHECK (screening IN ('held', 'clear'));
