-- Staff accounts travel by sync (last writer wins per account by HLC), so a
-- station paired to the hub signs in the staff the console set up. This is
-- the account as this station last logged or received it, to notice edits.
CREATE TABLE sync_staff_seen (
    id      TEXT PRIMARY KEY,
    account TEXT NOT NULL,   -- JSON: name, role, pin_hash, active, created_at
    hlc     TEXT NOT NULL
) STRICT;
