-- The hub's replicated log on PostgreSQL (`gatehouse hub --store postgres://…`,
-- docs/SCALE.md). Several hub processes may write here at once: every place
-- (origin, seq) is taken once, by an entry or by an entry held aside, and
-- each origin's writers take that origin's advisory lock for the length of
-- their transaction (src/sync/postgres.rs), so marks never pass a hole.
-- The stations' and each hub's own SQLite databases keep their own
-- migrations in ../ (never these).

-- Every replicated fact: a station's record under its own sequence.
CREATE TABLE sync_entry (
    origin    TEXT   NOT NULL,
    seq       BIGINT NOT NULL CHECK (seq > 0),
    kind      TEXT   NOT NULL,
    key       TEXT   NOT NULL,
    -- The record as JSON text, byte for byte as it travels.
    body      TEXT   NOT NULL,
    stored_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (origin, seq)
);

-- Entries kept aside (a record its origin may not send, or anything from a
-- quarantined station): their places count as held, nothing of them is
-- relayed.
CREATE TABLE sync_held (
    origin  TEXT   NOT NULL,
    seq     BIGINT NOT NULL CHECK (seq > 0),
    kind    TEXT   NOT NULL,
    key     TEXT   NOT NULL,
    body    TEXT   NOT NULL,
    why     TEXT   NOT NULL,
    held_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (origin, seq)
);

-- Per origin, the sequence up to which every place is held (0 while its
-- first is missing): the hub's version vector.
CREATE TABLE sync_mark (
    origin TEXT   PRIMARY KEY,
    seq    BIGINT NOT NULL CHECK (seq >= 0)
);

-- Each hub process's hybrid logical clock, by its station id: it only
-- moves forward.
CREATE TABLE sync_clock (
    station TEXT   PRIMARY KEY,
    wall_ms BIGINT NOT NULL CHECK (wall_ms >= 0),
    counter BIGINT NOT NULL CHECK (counter >= 0)
);

-- The role each station was paired with, by whichever hub paired it (and
-- each hub process itself, an admin station): every hub relays every
-- station's entries with its role, and every station checks them by it.
CREATE TABLE sync_roster (
    station TEXT PRIMARY KEY,
    role    TEXT NOT NULL CHECK (role IN ('admin', 'desk', 'gate')),
    -- The hub process that paired it.
    hub     TEXT NOT NULL
);
