-- Callback requests (terugbelverzoeken) are internal tasks of kind 'terugbelverzoek' with the
-- number to call, the citizen's time window, the team whose queue holds them, and their attempts.
-- SQLite cannot change a CHECK constraint, so the tasks table is rebuilt (nothing refers to it).
CREATE TABLE tasks_new (
    id             BLOB PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('opvolging', 'terugbelverzoek')),
    contact_id     BLOB REFERENCES contacts (id),
    party_id       BLOB REFERENCES parties (id),
    action         TEXT NOT NULL,
    explanation    TEXT NOT NULL,
    assignee_kind  TEXT NOT NULL CHECK (assignee_kind IN ('medewerker', 'eenheid', 'geautomatiseerd')),
    assignee_id    BLOB,
    assignee_name  TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('te_verwerken', 'verwerkt')),
    due_at         TEXT,
    created_at     TEXT NOT NULL,
    created_by     TEXT NOT NULL,
    done_at        TEXT,
    done_by        TEXT,
    result         TEXT NOT NULL
);
INSERT INTO tasks_new SELECT id, kind, contact_id, party_id, action, explanation, assignee_kind, assignee_id,
    assignee_name, status, due_at, created_at, created_by, done_at, done_by, result FROM tasks;
DROP TABLE tasks;
ALTER TABLE tasks_new RENAME TO tasks;
CREATE INDEX tasks_assignee ON tasks (assignee_id, status);
CREATE INDEX tasks_party ON tasks (party_id, created_at);

CREATE TABLE callbacks (
    task_id          BLOB PRIMARY KEY REFERENCES tasks (id),
    -- E.164.
    phone            TEXT NOT NULL,
    subject          TEXT NOT NULL,
    -- The citizen's preferred window, when given.
    window_from      TEXT,
    window_to        TEXT,
    -- The team whose queue holds it (the addressed unit, or the addressed colleague's unit).
    unit_id          BLOB REFERENCES units (id),
    attempts         INTEGER NOT NULL CHECK (attempts >= 0),
    -- After a failed attempt: not to be tried again before this time (the policy's spacing).
    next_attempt_at  TEXT,
    -- How it ended: bereikt, niet_bereikt (attempts used up), verkeerd_nummer.
    outcome          TEXT CHECK (outcome IN ('bereikt', 'niet_bereikt', 'verkeerd_nummer')),
    -- The contact the successful attempt became.
    result_contact_id BLOB REFERENCES contacts (id)
);
CREATE INDEX callbacks_unit ON callbacks (unit_id);

CREATE TABLE callback_attempts (
    id          BLOB PRIMARY KEY,
    task_id     BLOB NOT NULL REFERENCES tasks (id),
    at          TEXT NOT NULL,
    user_id     BLOB NOT NULL REFERENCES users (id),
    user_name   TEXT NOT NULL,
    result      TEXT NOT NULL CHECK (result IN ('bereikt', 'geen_gehoor', 'voicemail', 'verkeerd_nummer')),
    note        TEXT NOT NULL,
    contact_id  BLOB REFERENCES contacts (id)
);
CREATE INDEX callback_attempts_task ON callback_attempts (task_id, at);
