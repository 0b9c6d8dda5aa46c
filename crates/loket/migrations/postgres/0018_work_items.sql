-- One work queue for every channel (werkvoorraad). Follow-up tasks and callback requests become
-- kinds of work item: what has to be done, for which party, from which channel, addressed to a
-- colleague, a team or an automated actor, in the queue of a team, with a due time and a history
-- of who did what. E-mail threads and chats join as further kinds (a row in work_item_kinds).
-- Same tables and rules as sqlite/0018_work_items.sql.

CREATE TABLE work_item_kinds (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL
);
INSERT INTO work_item_kinds (code, name) VALUES ('opvolging', 'Opvolging'), ('terugbelverzoek', 'Terugbelverzoek');

ALTER TABLE tasks RENAME TO work_items;
ALTER TABLE work_items DROP CONSTRAINT tasks_kind_check;
ALTER TABLE work_items ADD CONSTRAINT work_items_kind_fkey FOREIGN KEY (kind) REFERENCES work_item_kinds (code);
-- The channel it came from (a code of the channel list), when known.
ALTER TABLE work_items ADD COLUMN channel TEXT REFERENCES contact_channels (code);
-- The team whose queue holds it (the addressed team, or the addressed colleague's team).
ALTER TABLE work_items ADD COLUMN unit_id UUID REFERENCES units (id);

UPDATE work_items w SET channel = CASE WHEN w.kind = 'terugbelverzoek' THEN 'telefoon'
        ELSE (SELECT c.channel FROM contacts c WHERE c.id = w.contact_id) END,
    unit_id = CASE WHEN w.kind = 'terugbelverzoek' THEN (SELECT cb.unit_id FROM callbacks cb WHERE cb.task_id = w.id)
        WHEN w.assignee_kind = 'eenheid' THEN w.assignee_id
        WHEN w.assignee_kind = 'medewerker' THEN (SELECT u.unit_id FROM users u WHERE u.id = w.assignee_id)
    END;

ALTER TABLE callbacks RENAME COLUMN task_id TO work_item_id;
ALTER TABLE callbacks DROP COLUMN unit_id;
ALTER TABLE callback_attempts RENAME COLUMN task_id TO work_item_id;

ALTER INDEX tasks_assignee RENAME TO work_items_assignee;
ALTER INDEX tasks_party RENAME TO work_items_party;
ALTER INDEX tasks_open_due RENAME TO work_items_open_due;
ALTER INDEX callback_attempts_task RENAME TO callback_attempts_item;
CREATE INDEX work_items_queue ON work_items (unit_id, status);

-- Who did what with a work item, oldest first: aangemaakt, opgepakt, teruggezet, overgedragen,
-- poging (a callback attempt), afgerond. The first line of an item is its creation.
CREATE TABLE work_item_events (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    work_item_id UUID NOT NULL REFERENCES work_items (id),
    at           TIMESTAMPTZ NOT NULL,
    action       TEXT NOT NULL CHECK (action IN ('aangemaakt', 'opgepakt', 'teruggezet', 'overgedragen', 'poging', 'afgerond')),
    -- Who did it (a name as the audit log shows it) and, for a colleague, their account.
    actor_name   TEXT NOT NULL,
    actor_id     UUID REFERENCES users (id),
    -- To whom it went (overgedragen, opgepakt, teruggezet) or what came of it (poging, afgerond).
    note         TEXT NOT NULL
);
CREATE INDEX work_item_events_item ON work_item_events (work_item_id, at);
-- What can be recovered of the history of the items that already existed (an item's creation
-- names whom it is addressed to now; whom it was first addressed to was not kept).
INSERT INTO work_item_events (work_item_id, at, action, actor_name, actor_id, note)
    SELECT id, created_at, 'aangemaakt', created_by, NULL, assignee_name FROM work_items ORDER BY created_at, id;
INSERT INTO work_item_events (work_item_id, at, action, actor_name, actor_id, note)
    SELECT work_item_id, at, 'poging', user_name, user_id,
        CASE result WHEN 'bereikt' THEN 'Bereikt' WHEN 'geen_gehoor' THEN 'Geen gehoor'
            WHEN 'voicemail' THEN 'Voicemail ingesproken' WHEN 'verkeerd_nummer' THEN 'Verkeerd nummer' ELSE result END
    FROM callback_attempts ORDER BY at, id;
INSERT INTO work_item_events (work_item_id, at, action, actor_name, actor_id, note)
    SELECT id, done_at, 'afgerond', COALESCE(done_by, ''), NULL, result FROM work_items
    WHERE status = 'verwerkt' AND done_at IS NOT NULL ORDER BY done_at, id;
