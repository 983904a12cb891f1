-- A print log row made already finished (a badge handed over as a PDF, to
-- be printed outside Gatehouse: `print::record_pdf`) never passed through
-- `sync_outbox_print_outcome`, which fires on an update of the outcome only:
-- its outcome stayed here, and the hub and the other stations showed the
-- job as still "sent". Such a row now lists its outcome in the outbox when
-- it is made, as an update does.
CREATE TRIGGER sync_outbox_print_outcome_made AFTER INSERT ON print_log
WHEN NEW.outcome <> 'sent'
BEGIN INSERT INTO sync_outbox (kind, key) VALUES ('print_outcome', CAST(NEW.id AS TEXT)); END;

-- What was made so before, and no entry logs yet (the capture logs only a
-- job of this station's own: an outcome received from another is logged).
INSERT INTO sync_outbox (kind, key)
SELECT 'print_outcome', CAST(id AS TEXT) FROM print_log
WHERE outcome <> 'sent'
  AND serial || '/' || version || '/' || printed_at || '/' || job
      NOT IN (SELECT key FROM sync_entry WHERE kind = 'print_outcome')
  AND CAST(id AS TEXT) NOT IN (SELECT key FROM sync_outbox WHERE kind = 'print_outcome')
ORDER BY id;
