-- Callback requests (terugbelverzoeken) are internal tasks of kind 'terugbelverzoek' with the
-- number to call, the citizen's time window, the team whose queue holds them, and their attempts.
ALTER TABLE tasks DROP CONSTRAINT tasks_kind_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_kind_check CHECK (kind IN ('opvolging', 'terugbelverzoek'));

CREATE TABLE callbacks (
    task_id          UUID PRIMARY KEY REFERENCES tasks (id),
    -- E.164.
    phone            TEXT NOT NULL,
    subject          TEXT NOT NULL,
    -- The citizen's preferred window, when given.
    window_from      TIMESTAMPTZ,
    window_to        TIMESTAMPTZ,
    -- The team whose queue holds it (the addressed unit, or the addressed colleague's unit).
    unit_id          UUID REFERENCES units (id),
    attempts         INTEGER NOT NULL CHECK (attempts >= 0),
    -- After a failed attempt: not to be tried again before this time (the policy's spacing).
    next_attempt_at  TIMESTAMPTZ,
    -- How it ended: bereikt, niet_bereikt (attempts used up), verkeerd_nummer.
    outcome          TEXT CHECK (outcome IN ('bereikt', 'niet_bereikt', 'verkeerd_nummer')),
    -- The contact the successful attempt became.
    result_contact_id UUID REFERENCES contacts (id)
);
CREATE INDEX callbacks_unit ON callbacks (unit_id);

CREATE TABLE callback_attempts (
    id          UUID PRIMARY KEY,
    task_id     UUID NOT NULL REFERENCES tasks (id),
    at          TIMESTAMPTZ NOT NULL,
    user_id     UUID NOT NULL REFERENCES users (id),
    user_name   TEXT NOT NULL,
    result      TEXT NOT NULL CHECK (result IN ('bereikt', 'geen_gehoor', 'voicemail', 'verkeerd_nummer')),
    note        TEXT NOT NULL,
    contact_id  UUID REFERENCES contacts (id)
);
CREATE INDEX callback_attempts_task ON callback_attempts (task_id, at);
