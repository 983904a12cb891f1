-- The event's badge template as the organiser console last saved it
-- (TemplateSettings as JSON). No row: the shipped template
-- (assets/templates/bamex25.json) applies.
CREATE TABLE badge_template (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    settings TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
) STRICT;
