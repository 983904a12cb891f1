-- Time the stations agree on, and how long a station may go without a sync
-- before it says so (docs/SYNC.md, "Time").

-- On a station: the last reading of the hub's clock. `hub_ms` is the hub's
-- wall clock in its answer, `wall_ms` ours when the answer arrived, and
-- `boot_id`/`uptime_ms` the machine's boot and time since boot then: within
-- the same boot the agreed time runs on from `hub_ms` whatever the wall clock
-- does; after a reboot it is our wall clock corrected by the last offset.
CREATE TABLE sync_time (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    hub_ms      INTEGER NOT NULL,
    wall_ms     INTEGER NOT NULL,
    boot_id     TEXT,
    uptime_ms   INTEGER,
    measured_at TEXT NOT NULL
) STRICT;

-- On a station: after this many seconds without a completed sync the gate
-- and desk say how old their revocations are (`gatehouse sync --warn-after`).
ALTER TABLE sync_link ADD COLUMN warn_after_s INTEGER NOT NULL DEFAULT 300
    CHECK (warn_after_s >= 30);

-- On the hub: each station's clock as its last request showed it, against
-- the hub's (positive: the station is behind), and when.
ALTER TABLE sync_peer ADD COLUMN clock_offset_ms INTEGER;
ALTER TABLE sync_peer ADD COLUMN clock_seen_at TEXT;

-- A row rewritten before a verdict that is not recorded (`verify`): a
-- station that cannot record (a full disk) says so instead of a verdict.
-- Its padding makes the rewrite write about as many pages as a scan does.
CREATE TABLE store_probe (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    n   INTEGER NOT NULL,
    pad BLOB NOT NULL
) STRICT;
INSERT INTO store_probe (id, n, pad) VALUES (1, 0, zeroblob(32768));
