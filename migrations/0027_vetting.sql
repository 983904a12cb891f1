-- Security vetting (issue 16): the organiser's hold policy, which categories
-- are vetted, and the decisions on each person.

ALTER TABLE event ADD COLUMN vetting TEXT NOT NULL DEFAULT 'off'
    CHECK (vetting IN ('off', 'no_print', 'print_held'));
ALTER TABLE category ADD COLUMN vetting INTEGER NOT NULL DEFAULT 0
    CHECK (vetting IN (0, 1));

-- One decision of the vetting services on one person (by badge number). The
-- status is the latest decision (at_ms, then id): decisions are never
-- changed, only followed by others, and travel to every station like
-- revocations (sync record `vetting_decision`). A refusal also revokes the
-- badge (a `revocation` row in the same transaction).
CREATE TABLE vetting_decision (
    id      TEXT PRIMARY KEY,
    serial  TEXT NOT NULL,
    status  TEXT NOT NULL CHECK (status IN ('in_review', 'cleared', 'refused', 'more_info')),
    reason  TEXT NOT NULL,
    at_ms   INTEGER NOT NULL,
    by      TEXT NOT NULL
) STRICT;

CREATE INDEX vetting_decision_serial ON vetting_decision (serial, at_ms, id);

CREATE TRIGGER vetting_decision_no_update BEFORE UPDATE ON vetting_decision
BEGIN SELECT RAISE(ABORT, 'a vetting decision never changes'); END;

CREATE TRIGGER sync_outbox_vetting_decision AFTER INSERT ON vetting_decision
BEGIN INSERT INTO sync_outbox (kind, key) VALUES ('vetting_decision', NEW.id); END;
