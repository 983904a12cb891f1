-- Two costs that grew with the event, in the sync log's outbox (0025).
--
-- 1. The capture looked for attendees to log by reading every attendee
--    against `sync_attendee_seen` (and every attendee again for photos not
--    logged), once per round: a new station's first sync of a registry of a
--    million people ran a thousand rounds, each reading up to a million
--    rows (issue 18). A change to an attendee row now lists the attendee
--    here, in its own transaction, as scans and badges are; the capture
--    reads only those, with the same conditions as before (a row whose
--    `updated_at` differs from the one last logged or received, a photo
--    no entry holds). Rows that materialising received edits list are taken
--    out again in the same transaction (`drop_received`), as for scans.
CREATE TRIGGER sync_outbox_attendee_new AFTER INSERT ON attendee
BEGIN INSERT INTO sync_outbox (kind, key) VALUES ('attendee', NEW.id); END;

CREATE TRIGGER sync_outbox_attendee_edit AFTER UPDATE ON attendee
BEGIN INSERT INTO sync_outbox (kind, key) VALUES ('attendee', NEW.id); END;

-- What the capture would have found so far (none on a station up to date).
INSERT INTO sync_outbox (kind, key)
SELECT 'attendee', a.id FROM attendee a
LEFT JOIN sync_attendee_seen s ON s.attendee = a.id
WHERE s.updated_at IS NOT a.updated_at
   OR (a.photo IS NOT NULL AND a.photo_sha256 IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM sync_entry e
                       WHERE e.kind = 'photo' AND e.key = lower(hex(a.photo_sha256))))
ORDER BY a.serial_no;

-- 2. Scans received from other stations went through the outbox only to be
--    taken out again by the transaction that stored them: two writes per
--    scan on a hub taking in a venue's scans (issue 19). Only this
--    station's own scans (the station row names it) are listed now; a scan
--    under another station's name is never this station's to log.
DROP TRIGGER sync_outbox_scan;
CREATE TRIGGER sync_outbox_scan AFTER INSERT ON scan
WHEN NEW.station = (SELECT uuid FROM station WHERE id = 1)
BEGIN INSERT INTO sync_outbox (kind, key) VALUES ('scan', NEW.id); END;
