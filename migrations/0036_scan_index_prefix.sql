-- scan_zone_serial (zone, serial, at) is the first three columns of
-- scan_presence (0007): every lookup it served, scan_presence serves in the
-- same order. Each scan a hub takes in was written into both; one is enough
-- (issue 19: materialising received scans).
DROP INDEX IF EXISTS scan_zone_serial;
