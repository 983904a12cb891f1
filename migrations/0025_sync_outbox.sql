-- The local facts not yet logged as this station's sync entries: each is
-- put here by a trigger in the transaction that records it, and taken out by
-- the capture (src/sync/store.rs) in the transaction that logs it. A capture
-- then costs what is new, not the size of the log (it used to look for every
-- scan ever made that was not in `sync_entry`), and a crash between the two
-- loses nothing: both sides commit with what they record.
--
-- Facts received from other stations pass through the same triggers; the
-- transaction that materialises them takes their rows out again, and the
-- capture skips any left (their entries are already held).
CREATE TABLE sync_outbox (
    id    INTEGER PRIMARY KEY,
    kind  TEXT NOT NULL,    -- as in sync_entry
    key   TEXT NOT NULL     -- the fact's own key (a print job's: its local print_log id)
) STRICT;

CREATE TRIGGER sync_outbox_scan AFTER INSERT ON scan
BEGIN INSERT INTO sync_outbox (kind, key) VALUES ('scan', NEW.id); END;

CREATE TRIGGER sync_outbox_badge AFTER INSERT ON badge
BEGIN INSERT INTO sync_outbox (kind, key) VALUES ('badge_issue', NEW.serial || '/' || NEW.version); END;

CREATE TRIGGER sync_outbox_revocation AFTER INSERT ON revocation
BEGIN INSERT INTO sync_outbox (kind, key) VALUES ('revocation', NEW.id); END;

CREATE TRIGGER sync_outbox_print_job AFTER INSERT ON print_log
BEGIN INSERT INTO sync_outbox (kind, key) VALUES ('print_job', CAST(NEW.id AS TEXT)); END;

CREATE TRIGGER sync_outbox_print_outcome AFTER UPDATE OF outcome ON print_log
WHEN NEW.outcome <> 'sent'
BEGIN INSERT INTO sync_outbox (kind, key) VALUES ('print_outcome', CAST(NEW.id AS TEXT)); END;

-- What no capture had logged yet when this ran, in the order it was made.
INSERT INTO sync_outbox (kind, key)
SELECT 'badge_issue', serial || '/' || version FROM badge
WHERE serial || '/' || version NOT IN (SELECT key FROM sync_entry WHERE kind = 'badge_issue')
ORDER BY issued_at;

INSERT INTO sync_outbox (kind, key)
SELECT 'revocation', id FROM revocation
WHERE id NOT IN (SELECT key FROM sync_entry WHERE kind = 'revocation')
ORDER BY revoked_at;

INSERT INTO sync_outbox (kind, key)
SELECT 'scan', id FROM scan
WHERE id NOT IN (SELECT key FROM sync_entry WHERE kind = 'scan')
ORDER BY station, station_seq;

INSERT INTO sync_outbox (kind, key)
SELECT 'print_job', CAST(id AS TEXT) FROM print_log
WHERE serial || '/' || version || '/' || printed_at || '/' || job
      NOT IN (SELECT key FROM sync_entry WHERE kind = 'print_job')
ORDER BY id;

INSERT INTO sync_outbox (kind, key)
SELECT 'print_outcome', CAST(id AS TEXT) FROM print_log
WHERE outcome <> 'sent'
  AND serial || '/' || version || '/' || printed_at || '/' || job
      NOT IN (SELECT key FROM sync_entry WHERE kind = 'print_outcome')
ORDER BY id;
