-- The attendee's date of birth (YYYY-MM-DD), a sensitive field like the
-- document number: read from an identity document's MRZ at the desk, or
-- imported; exported, erased and purged with the rest of the person.
ALTER TABLE attendee ADD COLUMN birth_date TEXT;
