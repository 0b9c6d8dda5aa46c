-- Same as postgres/0019_work_item_changes.sql: the history also knows 'gewijzigd'. SQLite cannot
-- change a CHECK, so the table is rebuilt (nothing refers to it).
CREATE TABLE work_item_events_new (
    id           INTEGER PRIMARY KEY,
    work_item_id BLOB NOT NULL REFERENCES work_items (id),
    at           TEXT NOT NULL,
    action       TEXT NOT NULL CHECK (action IN ('aangemaakt', 'opgepakt', 'teruggezet', 'overgedragen', 'poging', 'afgerond', 'gewijzigd')),
    -- Who did it (a name as the audit log shows it) and, for a colleague, their account.
    actor_name   TEXT NOT NULL,
    actor_id     BLOB REFERENCES users (id),
    -- To whom it went (overgedragen, opgepakt, teruggezet), what came of it (poging, afgerond),
    -- or what was changed (gewijzigd).
    note         TEXT NOT NULL
);
INSERT INTO work_item_events_new (id, work_item_id, at, action, actor_name, actor_id, note)
    SELECT id, work_item_id, at, action, actor_name, actor_id, note FROM work_item_events;
DROP TABLE work_item_events;
ALTER TABLE work_item_events_new RENAME TO work_item_events;
CREATE INDEX work_item_events_item ON work_item_events (work_item_id, at);
