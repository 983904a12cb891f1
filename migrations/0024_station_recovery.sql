-- A damaged station's records recovered when the laptop is paired again
-- (docs/SYNC.md, "A damaged station").

-- On a station: the hub's high-water mark for this station's own entries,
-- as the hub's last answer said. What lies above it has not reached the
-- hub: a damaged station counts it in the message that stops it.
ALTER TABLE sync_link ADD COLUMN hub_has_own INTEGER NOT NULL DEFAULT 0;
-- And the last of its own scans (by `scan.station_seq`) within that mark:
-- its scans after it have not reached the hub, told from the scan table
-- alone when the log's older pages cannot be read.
ALTER TABLE sync_link ADD COLUMN hub_has_scan_seq INTEGER NOT NULL DEFAULT 0;

-- On the hub: a station paired in place of a damaged one (`gatehouse pair
-- --replaces STATION`): which one the code re-pairs (until spent), which
-- one a station replaced, and which replaced it. The old station is
-- un-paired; its marks and entries stay, for the audit.
ALTER TABLE sync_pairing_code ADD COLUMN replaces TEXT;
ALTER TABLE sync_peer ADD COLUMN replaces TEXT;
ALTER TABLE sync_peer ADD COLUMN replaced_by TEXT;
