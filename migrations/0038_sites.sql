-- Sites (issue 18, docs/SCALE.md "Sites"): a site's hub is itself a
-- station of the central hub, paired with the role `site`.

-- On the central hub: a code made with `pair --role site`, and the site
-- hub paired with it. Its `role` stays `admin` (the role its entries are
-- announced with to other stations, once the central hub has checked them
-- against the site's ceiling, `sync::policy::site_may`).
ALTER TABLE sync_pairing_code ADD COLUMN site INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sync_peer ADD COLUMN site INTEGER NOT NULL DEFAULT 0;

-- On the central hub: each station a site hub relays, bound to the first
-- site that declared it (no other site may speak for it), with its role at
-- that site.
CREATE TABLE sync_site_origin (
    origin     TEXT PRIMARY KEY,
    site       TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('desk', 'gate', 'admin')),
    first_seen TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- On a site hub: paired with the central hub as a site (it relays its own
-- stations' entries up), and the role the central hub gave each origin it
-- sent down, so the site's own stations accept those entries from it.
ALTER TABLE sync_link ADD COLUMN site INTEGER NOT NULL DEFAULT 0;
CREATE TABLE sync_upstream_role (
    origin TEXT PRIMARY KEY,
    role   TEXT NOT NULL CHECK (role IN ('desk', 'gate', 'admin'))
) STRICT, WITHOUT ROWID;

-- Zones belong to a site: the name its site hub was paired with at the
-- central hub (NULL: an event-wide zone, as every zone of a single-site
-- event).
ALTER TABLE zone ADD COLUMN site TEXT;
