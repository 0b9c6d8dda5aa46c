-- Contacts an agent is still registering (concepten): kept on the server, so a reload or a
-- crashed browser tab loses nothing. Each belongs to one agent; saving the contact, discarding
-- it, logging out or erasing the customer removes it. The form's fields are one JSON document:
-- a draft is work in progress, checked only for size; the contact is checked when it is saved.
-- Same table as sqlite/0021_contact_drafts.sql.
CREATE TABLE contact_drafts (
    id          UUID PRIMARY KEY,
    user_id     UUID NOT NULL REFERENCES users (id),
    party_id    UUID REFERENCES parties (id),
    started_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    fields      TEXT NOT NULL
);
CREATE INDEX contact_drafts_user ON contact_drafts (user_id, started_at);
CREATE INDEX contact_drafts_party ON contact_drafts (party_id);
