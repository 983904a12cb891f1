-- Personal data: an erased attendee stays as an anonymised tombstone (its
-- badge number, category, country, delegation and access are kept so that
-- scans, dashboards and reports still count it); `erased_at` says when its
-- personal fields and photo were removed. NULL: not erased.
ALTER TABLE attendee ADD COLUMN erased_at TEXT;
