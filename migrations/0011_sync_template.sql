-- The badge template travels by sync like the event configuration: the clock
-- of the template this station holds, and its text, to notice local edits.
ALTER TABLE sync_state ADD COLUMN template_hlc TEXT;
ALTER TABLE sync_state ADD COLUMN template_json TEXT;
