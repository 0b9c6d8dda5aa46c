-- Requests (verzoeken): what a citizen asked the organisation to do, with a status history;
-- and internal tasks (interne taken) for colleagues, afdelingen or automated actors. Same
-- tables and rules as postgres/0008_requests_tasks.sql.

CREATE TABLE request_types (
    code          TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    -- How many days a request of this type usually takes: the expected date when none is given.
    expected_days INTEGER NOT NULL,
    active        BOOLEAN NOT NULL,
    position      INTEGER NOT NULL
);
INSERT INTO request_types (code, name, expected_days, active, position) VALUES
    ('bladkorf', 'Bladkorf plaatsen', 14, TRUE, 1),
    ('grofvuil', 'Grofvuil ophalen', 10, TRUE, 2),
    ('melding_openbare_ruimte', 'Melding openbare ruimte', 5, TRUE, 3),
    ('parkeervergunning', 'Parkeervergunning', 28, TRUE, 4),
    ('kwijtschelding', 'Kwijtschelding gemeentelijke belastingen', 56, TRUE, 5),
    ('overig', 'Overig verzoek', 14, TRUE, 6);

CREATE TABLE requests (
    id            BLOB PRIMARY KEY,
    request_type  TEXT NOT NULL REFERENCES request_types (code),
    subject       TEXT NOT NULL,
    description   TEXT NOT NULL,
    party_id      BLOB REFERENCES parties (id),
    unit_id       BLOB REFERENCES units (id),
    status        TEXT NOT NULL CHECK (status IN ('ontvangen', 'in_behandeling', 'wacht_op_klant', 'afgehandeld', 'afgewezen')),
    expected_on   TEXT,
    -- The case (zaak) in another system, when one handles it.
    external_ref  TEXT,
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX requests_party ON requests (party_id, created_at);

-- Every status a request had, oldest first; the first line is its registration.
CREATE TABLE request_status_history (
    id          BLOB PRIMARY KEY,
    request_id  BLOB NOT NULL REFERENCES requests (id),
    status      TEXT NOT NULL,
    note        TEXT NOT NULL,
    expected_on TEXT,
    at          TEXT NOT NULL,
    by_name     TEXT NOT NULL
);
CREATE INDEX request_status_history_request ON request_status_history (request_id, at);

-- Contacts about a request (a citizen asking how it stands is such a contact).
CREATE TABLE contact_requests (
    contact_id BLOB NOT NULL REFERENCES contacts (id),
    request_id BLOB NOT NULL REFERENCES requests (id),
    PRIMARY KEY (contact_id, request_id)
);
CREATE INDEX contact_requests_request ON contact_requests (request_id);

CREATE TABLE tasks (
    id             BLOB PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('opvolging')),
    contact_id     BLOB REFERENCES contacts (id),
    party_id       BLOB REFERENCES parties (id),
    -- What is asked (gevraagde handeling) and why (toelichting).
    action         TEXT NOT NULL,
    explanation    TEXT NOT NULL,
    -- Who does it: a colleague (user id), an afdeling or team (unit id), or an automated actor (name).
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
CREATE INDEX tasks_assignee ON tasks (assignee_id, status);
CREATE INDEX tasks_party ON tasks (party_id, created_at);
