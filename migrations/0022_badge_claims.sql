-- What each badge version grants and shows (category, zone and day masks,
-- validity, display name, photo prefix), fixed when the version is issued:
-- a token made again for the same version carries the same claims, whatever
-- the event's configuration or the record say later. A change of access is
-- a new version, which supersedes the older ones at the gate.
-- Rows are never updated; an erased attendee's rows are deleted (they hold
-- the display name), their badge being revoked.

CREATE TABLE badge_claims (
    serial   TEXT NOT NULL,
    version  INTEGER NOT NULL CHECK (version >= 1),
    claims   TEXT NOT NULL,                         -- JSON (`badge_issue::Granted`)
    PRIMARY KEY (serial, version)
) STRICT;

CREATE TRIGGER badge_claims_no_update BEFORE UPDATE ON badge_claims
BEGIN SELECT RAISE(ABORT, 'a badge version''s claims never change'); END;
