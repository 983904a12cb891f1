-- A zone keeps its bit in a badge token's zone mask for good (docs/TOKEN.md).
-- Until now the bit was the zone's place in the event's list, so removing or
-- reordering a zone changed what every printed badge opened. Each zone now
-- stores its bit; a zone removed from the event stays, retired (closed every
-- day), so that its code and bit are never given again.
-- Existing zones keep the bit they had: their place in the list.

ALTER TABLE zone ADD COLUMN bit INTEGER CHECK (bit BETWEEN 0 AND 63);
ALTER TABLE zone ADD COLUMN retired INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1));

UPDATE zone SET bit = (
    SELECT COUNT(*) FROM zone AS earlier
    WHERE earlier.position < zone.position
       OR (earlier.position = zone.position AND earlier.code < zone.code)
);

CREATE UNIQUE INDEX zone_bit ON zone (bit);
