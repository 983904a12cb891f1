-- The print log: who sent which badge version to which printer, when, and
-- how the printer's job ended. One row per badge per print job; a row's
-- outcome moves from 'sent' to 'completed', 'failed' or 'canceled' once
-- (nothing else of a row ever changes, and rows are never deleted).

CREATE TABLE print_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    serial      TEXT NOT NULL,
    version     INTEGER NOT NULL CHECK (version >= 1),
    format      TEXT NOT NULL CHECK (format IN ('a6', 'cr80')),
    printer     TEXT NOT NULL,
    job         TEXT NOT NULL,                  -- the CUPS job id, e.g. GatehousePDF-12
    printed_by  TEXT NOT NULL,
    printed_at  TEXT NOT NULL,
    outcome     TEXT NOT NULL DEFAULT 'sent'
                CHECK (outcome IN ('sent', 'completed', 'failed', 'canceled')),
    detail      TEXT NOT NULL DEFAULT '',       -- the printer's words when it failed
    finished_at TEXT
) STRICT;

CREATE INDEX print_log_serial ON print_log (serial);
CREATE INDEX print_log_job ON print_log (job);

CREATE TRIGGER print_log_settle BEFORE UPDATE ON print_log
WHEN OLD.outcome <> 'sent'
  OR NEW.id IS NOT OLD.id OR NEW.serial IS NOT OLD.serial OR NEW.version IS NOT OLD.version
  OR NEW.format IS NOT OLD.format OR NEW.printer IS NOT OLD.printer OR NEW.job IS NOT OLD.job
  OR NEW.printed_by IS NOT OLD.printed_by OR NEW.printed_at IS NOT OLD.printed_at
BEGIN SELECT RAISE(ABORT, 'a print log row only records its outcome, once'); END;
CREATE TRIGGER print_log_no_delete BEFORE DELETE ON print_log
BEGIN SELECT RAISE(ABORT, 'the print log is append-only'); END;
