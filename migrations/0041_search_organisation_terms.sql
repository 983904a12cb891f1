-- The search index held, for every attendee, the terms of their
-- organisation's name (kind 2) and their badge number (kind 1): a third of
-- its rows, written again for each of an organisation's hundreds of people,
-- and most of the time an import of 100,000 rows spent on it (issue 19).
--
-- An organisation's terms are now kept once per name, as attendees type it,
-- and found through the attendee's organisation; a badge number is found
-- through `attendee.serial_no` (a prefix is a few ranges of that index).
-- Terms of a name nobody bears any more match nobody and do no harm.
CREATE TABLE organisation_term (
    term        TEXT NOT NULL,
    name        TEXT NOT NULL,                  -- attendee.organisation
    PRIMARY KEY (term, name)
) STRICT, WITHOUT ROWID;

-- The terms already computed for each organisation's people (folding is
-- done in Rust), kept under its name.
INSERT OR IGNORE INTO organisation_term (term, name)
SELECT DISTINCT t.term, a.organisation
FROM search_term t JOIN attendee a ON a.serial_no = t.serial_no
WHERE t.kind = 2 AND a.organisation <> '';

DELETE FROM search_term WHERE kind = 2;
-- A document number of the same digits as its bearer's badge number is
-- still found: through the badge number.
DELETE FROM search_term WHERE kind = 1 AND term = CAST(serial_no AS TEXT);

-- With the badge number: a search through an organisation reads the index
-- alone, not each of its hundreds of people's rows.
CREATE INDEX attendee_organisation ON attendee (organisation, serial_no);
