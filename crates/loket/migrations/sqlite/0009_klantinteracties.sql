-- What the Klantinteracties API (VNG standard) holds beyond Loket's own model: automated actors
-- (colleagues and afdelingen are the users and units themselves), subject objects of a contact
-- (onderwerpobjecten: a zaak or another contact it was about), and the name a participant gave
-- during a contact. Same tables as postgres/0009_klantinteracties.sql.

CREATE TABLE automated_actors (
    id          BLOB PRIMARY KEY,
    name        TEXT NOT NULL,
    function    TEXT NOT NULL,
    description TEXT NOT NULL,
    active      BOOLEAN NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE contact_subject_objects (
    id             BLOB PRIMARY KEY,
    -- The contact that was about it, and the contact it was (a follow-up of an earlier contact).
    contact_id     BLOB REFERENCES contacts (id),
    was_contact_id BLOB REFERENCES contacts (id),
    object_type    TEXT NOT NULL,
    register       TEXT NOT NULL,
    id_kind        TEXT NOT NULL,
    object_id      TEXT NOT NULL,
    created_at     TEXT NOT NULL
);
CREATE INDEX contact_subject_objects_contact ON contact_subject_objects (contact_id);

CREATE TABLE participant_names (
    participant_id    BLOB PRIMARY KEY REFERENCES contact_participants (id),
    initials          TEXT NOT NULL,
    given_name        TEXT NOT NULL,
    surname_prefix    TEXT NOT NULL,
    surname           TEXT NOT NULL,
    organisation_name TEXT NOT NULL
);
