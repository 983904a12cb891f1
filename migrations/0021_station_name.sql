-- On a station: the name the hub gave it at pairing ("Porte Hall"), shown in
-- its header and wherever it appears, instead of its id's first digits.
ALTER TABLE sync_link ADD COLUMN name TEXT;
