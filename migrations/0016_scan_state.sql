-- The gate's state kept beside the scan log, so that a scan costs the same
-- whatever the size of the log: presence (each badge's latest admitted scan
-- per zone), occupancy (how many are inside each zone) and the counters a
-- gate screen shows (admitted and denied per zone and quarter hour).
--
-- Triggers on `scan` keep them, in the transaction of the insert, whatever
-- writes the scan: a gate, a supervisor's override, sync materialising
-- another station's scans (`INSERT OR IGNORE`: an ignored duplicate fires
-- nothing). All three are a function of the set of scans alone, whatever the
-- order they arrive in, so they can always be derived again from the log
-- (`scan_log::derived_state`; the tests compare the two).

-- Per zone and badge, its latest admitted (or warned) scan there, "latest"
-- in the log's listing order: (at, station, station_seq). Inside the zone
-- when that scan is an entry.
CREATE TABLE presence (
    zone        TEXT NOT NULL,
    serial      TEXT NOT NULL,
    direction   TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    at          TEXT NOT NULL,
    station     TEXT NOT NULL,
    station_seq INTEGER NOT NULL,
    PRIMARY KEY (zone, serial)
) STRICT, WITHOUT ROWID;

-- Per zone, how many badges are inside (rows of `presence` with 'in').
CREATE TABLE zone_occupancy (
    zone    TEXT PRIMARY KEY,
    inside  INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- Per zone and quarter hour (UTC, 'YYYY-MM-DDTHH:MM' with MM in 00, 15, 30,
-- 45), the scans admitted (or warned) and denied. Every time zone's day
-- starts on a quarter hour, so a day's counts are a sum of at most 96 rows.
CREATE TABLE scan_tally (
    zone      TEXT NOT NULL,
    quarter   TEXT NOT NULL,
    admitted  INTEGER NOT NULL,
    denied    INTEGER NOT NULL,
    PRIMARY KEY (zone, quarter)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER presence_enter AFTER INSERT ON presence WHEN NEW.direction = 'in'
BEGIN
    INSERT INTO zone_occupancy (zone, inside) VALUES (NEW.zone, 1)
    ON CONFLICT (zone) DO UPDATE SET inside = inside + 1;
END;

CREATE TRIGGER presence_turn AFTER UPDATE OF direction ON presence
WHEN NEW.direction != OLD.direction
BEGIN
    INSERT INTO zone_occupancy (zone, inside)
    VALUES (NEW.zone, CASE NEW.direction WHEN 'in' THEN 1 ELSE -1 END)
    ON CONFLICT (zone) DO UPDATE SET inside = inside + excluded.inside;
END;

-- The log so far (an upgraded station's).
INSERT INTO presence (zone, serial, direction, at, station, station_seq)
SELECT zone, serial, direction, at, station, station_seq FROM (
    SELECT zone, serial, direction, at, station, station_seq,
           ROW_NUMBER() OVER (PARTITION BY zone, serial
                              ORDER BY at DESC, station DESC, station_seq DESC) AS n
    FROM scan WHERE serial IS NOT NULL AND decision != 'deny')
WHERE n = 1;

INSERT INTO scan_tally (zone, quarter, admitted, denied)
SELECT zone,
       substr(at, 1, 14) || CASE WHEN substr(at, 15, 2) < '15' THEN '00'
                                 WHEN substr(at, 15, 2) < '30' THEN '15'
                                 WHEN substr(at, 15, 2) < '45' THEN '30'
                                 ELSE '45' END AS quarter,
       SUM(decision != 'deny'), SUM(decision = 'deny')
FROM scan GROUP BY zone, quarter;

-- From now on, each new scan.
CREATE TRIGGER scan_presence_keep AFTER INSERT ON scan
WHEN NEW.serial IS NOT NULL AND NEW.decision != 'deny'
BEGIN
    INSERT INTO presence (zone, serial, direction, at, station, station_seq)
    VALUES (NEW.zone, NEW.serial, NEW.direction, NEW.at, NEW.station, NEW.station_seq)
    ON CONFLICT (zone, serial) DO UPDATE SET
        direction = excluded.direction, at = excluded.at,
        station = excluded.station, station_seq = excluded.station_seq
    WHERE (excluded.at, excluded.station, excluded.station_seq)
        > (presence.at, presence.station, presence.station_seq);
END;

CREATE TRIGGER scan_tally_keep AFTER INSERT ON scan
BEGIN
    INSERT INTO scan_tally (zone, quarter, admitted, denied)
    VALUES (NEW.zone,
            substr(NEW.at, 1, 14) || CASE WHEN substr(NEW.at, 15, 2) < '15' THEN '00'
                                          WHEN substr(NEW.at, 15, 2) < '30' THEN '15'
                                          WHEN substr(NEW.at, 15, 2) < '45' THEN '30'
                                          ELSE '45' END,
            NEW.decision != 'deny', NEW.decision = 'deny')
    ON CONFLICT (zone, quarter) DO UPDATE SET
        admitted = admitted + excluded.admitted, denied = denied + excluded.denied;
END;

-- Presence is no longer derived from the log on every scan: the covering
-- index 0007 added for that is one more B-tree written per scan for nothing.
DROP INDEX scan_presence;
