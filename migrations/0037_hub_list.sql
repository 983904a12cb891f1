-- A station of an event served by several hub processes (docs/SCALE.md,
-- "Failover"): the list of the event's hubs as a hub signed it, the key
-- it must be signed with (given at pairing), and the hub it syncs with now.
ALTER TABLE sync_link ADD COLUMN hubs_key TEXT;
ALTER TABLE sync_link ADD COLUMN hubs_list TEXT;
ALTER TABLE sync_link ADD COLUMN hubs_sig TEXT;
ALTER TABLE sync_link ADD COLUMN on_url TEXT;
