-- One work queue for every channel (werkvoorraad). Follow-up tasks and callback requests become
-- kinds of work item: what has to be done, for which party, from which channel, addressed to a
-- colleague, a team or an automated actor, in the queue of a team, with a due time and a history
-- of who did what. E-mail threads and chats join as further kinds (a row in work_item_kinds).
-- Same tables and rules as postgres/0018_work_items.sql; SQLite cannot rename or drop a column
-- that another table refers to, so the three tables are rebuilt (children dropped first).

CREATE TABLE work_item_kinds (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL
);
INSERT INTO work_item_kinds (code, name) VALUES ('opvolging', 'Opvolging'), ('terugbelverzoek', 'Terugbelverzoek');

CREATE TABLE work_items (
    id             BLOB PRIMARY KEY,
    kind           TEXT NOT NULL REFERENCES work_item_kinds (code),
    -- The channel it came from (a code of the channel list), when known.
    channel        TEXT REFERENCES contact_channels (code),
    contact_id     BLOB REFERENCES contacts (id),
    party_id       BLOB REFERENCES parties (id),
    -- What is asked (gevraagde handeling) and why (toelichting).
    action         TEXT NOT NULL,
    explanation    TEXT NOT NULL,
    -- Who does it: a colleague (user id), an afdeling or team (unit id), or an automated actor.
    assignee_kind  TEXT NOT NULL CHECK (assignee_kind IN ('medewerker', 'eenheid', 'geautomatiseerd')),
    assignee_id    BLOB,
    assignee_name  TEXT NOT NULL,
    -- The team whose queue holds it (the addressed team, or the addressed colleague's team).
    unit_id        BLOB REFERENCES units (id),
    status         TEXT NOT NULL CHECK (status IN ('te_verwerken', 'verwerkt')),
    due_at         TEXT,
    created_at     TEXT NOT NULL,
    created_by     TEXT NOT NULL,
    done_at        TEXT,
    done_by        TEXT,
    result         TEXT NOT NULL
);
INSERT INTO work_items (id, kind, channel, contact_id, party_id, action, explanation, assignee_kind, assignee_id,
        assignee_name, unit_id, status, due_at, created_at, created_by, done_at, done_by, result)
    SELECT t.id, t.kind,
        CASE WHEN t.kind = 'terugbelverzoek' THEN 'telefoon'
             ELSE (SELECT c.channel FROM contacts c WHERE c.id = t.contact_id) END,
        t.contact_id, t.party_id, t.action, t.explanation, t.assignee_kind, t.assignee_id, t.assignee_name,
        CASE WHEN t.kind = 'terugbelverzoek' THEN (SELECT cb.unit_id FROM callbacks cb WHERE cb.task_id = t.id)
             WHEN t.assignee_kind = 'eenheid' THEN t.assignee_id
             WHEN t.assignee_kind = 'medewerker' THEN (SELECT u.unit_id FROM users u WHERE u.id = t.assignee_id)
        END,
        t.status, t.due_at, t.created_at, t.created_by, t.done_at, t.done_by, t.result
    FROM tasks t;

CREATE TABLE callbacks_new (
    work_item_id     BLOB PRIMARY KEY REFERENCES work_items (id),
    -- E.164.
    phone            TEXT NOT NULL,
    subject          TEXT NOT NULL,
    -- The citizen's preferred window, when given.
    window_from      TEXT,
    window_to        TEXT,
    attempts         INTEGER NOT NULL CHECK (attempts >= 0),
    -- After a failed attempt: not to be tried again before this time (the policy's spacing).
    next_attempt_at  TEXT,
    -- How it ended: bereikt, niet_bereikt (attempts used up), verkeerd_nummer.
    outcome          TEXT CHECK (outcome IN ('bereikt', 'niet_bereikt', 'verkeerd_nummer')),
    -- The contact the successful attempt became.
    result_contact_id BLOB REFERENCES contacts (id)
);
INSERT INTO callbacks_new SELECT task_id, phone, subject, window_from, window_to, attempts, next_attempt_at, outcome,
    result_contact_id FROM callbacks;

CREATE TABLE callback_attempts_new (
    id           BLOB PRIMARY KEY,
    work_item_id BLOB NOT NULL REFERENCES work_items (id),
    at           TEXT NOT NULL,
    user_id      BLOB NOT NULL REFERENCES users (id),
    user_name    TEXT NOT NULL,
    result       TEXT NOT NULL CHECK (result IN ('bereikt', 'geen_gehoor', 'voicemail', 'verkeerd_nummer')),
    note         TEXT NOT NULL,
    contact_id   BLOB REFERENCES contacts (id)
);
INSERT INTO callback_attempts_new SELECT id, task_id, at, user_id, user_name, result, note, contact_id
    FROM callback_attempts;

DROP TABLE callback_attempts;
DROP TABLE callbacks;
DROP TABLE tasks;
ALTER TABLE callbacks_new RENAME TO callbacks;
ALTER TABLE callback_attempts_new RENAME TO callback_attempts;

CREATE INDEX work_items_assignee ON work_items (assignee_id, status);
CREATE INDEX work_items_party ON work_items (party_id, created_at);
CREATE INDEX work_items_queue ON work_items (unit_id, status);
-- The open items by due time: the wall board's items near breach, the queues.
CREATE INDEX work_items_open_due ON work_items (due_at) WHERE status = 'te_verwerken';
CREATE INDEX callback_attempts_item ON callback_attempts (work_item_id, at);

-- Who did what with a work item, oldest first: aangemaakt, opgepakt, teruggezet, overgedragen,
-- poging (a callback attempt), afgerond. The first line of an item is its creation.
CREATE TABLE work_item_events (
    id           INTEGER PRIMARY KEY,
    work_item_id BLOB NOT NULL REFERENCES work_items (id),
    at           TEXT NOT NULL,
    action       TEXT NOT NULL CHECK (action IN ('aangemaakt', 'opgepakt', 'teruggezet', 'overgedragen', 'poging', 'afgerond')),
    -- Who did it (a name as the audit log shows it) and, for a colleague, their account.
    actor_name   TEXT NOT NULL,
    actor_id     BLOB REFERENCES users (id),
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
