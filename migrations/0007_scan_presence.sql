-- Presence and occupancy are derived from the scan log on every scan: a
-- covering index keeps that cheap when a zone's log grows to many thousands.
CREATE INDEX scan_presence ON scan (zone, serial, at, station_seq, direction, decision);
