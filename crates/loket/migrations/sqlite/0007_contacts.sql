-- Parties (partijen), their identifiers and digital addresses, and contacts (klantcontacten) with
-- their participants (betrokkenen) and the sources consulted. Same tables and rules as
-- postgres/0007_contacts.sql. Names follow the glossary; the Klantinteracties API maps them.

CREATE TABLE parties (
    id                    BLOB PRIMARY KEY,
    kind                  TEXT NOT NULL CHECK (kind IN ('persoon', 'organisatie', 'contactpersoon')),
    given_name            TEXT NOT NULL,
    surname_prefix        TEXT NOT NULL,
    surname               TEXT NOT NULL,
    organisation_name     TEXT NOT NULL,
    display_name          TEXT NOT NULL,
    -- The name lower-cased with diacritics folded, so "Özdemir" is found by "ozdemir".
    name_key              TEXT NOT NULL,
    -- Geheimhouding: address and identifiers are shown only to roles that may lift it, and every
    -- lifting is written to the audit log.
    confidential          BOOLEAN NOT NULL,
    street                TEXT NOT NULL,
    house_number          INTEGER,
    house_letter          TEXT NOT NULL,
    house_number_addition TEXT NOT NULL,
    postcode              TEXT,
    city                  TEXT NOT NULL,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL
);
CREATE INDEX parties_address ON parties (postcode, house_number);

-- BSN, KvK number, vestigingsnummer, RSIN: one party per value, so a duplicate is refused by the
-- database even when two agents register the same citizen at once.
CREATE TABLE party_identifiers (
    id         BLOB PRIMARY KEY,
    party_id   BLOB NOT NULL REFERENCES parties (id),
    kind       TEXT NOT NULL CHECK (kind IN ('bsn', 'kvk_nummer', 'vestigingsnummer', 'rsin')),
    value      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CONSTRAINT party_identifiers_unique UNIQUE (kind, value)
);
CREATE INDEX party_identifiers_party ON party_identifiers (party_id);

CREATE TABLE digital_addresses (
    id          BLOB PRIMARY KEY,
    party_id    BLOB NOT NULL REFERENCES parties (id),
    kind        TEXT NOT NULL CHECK (kind IN ('email', 'telefoonnummer', 'overig')),
    -- As shown: the e-mail address, the phone number in E.164.
    value       TEXT NOT NULL,
    -- What a lookup matches: the E.164 number, the e-mail address lower-cased.
    lookup      TEXT NOT NULL,
    description TEXT NOT NULL,
    preferred   BOOLEAN NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX digital_addresses_lookup ON digital_addresses (lookup);
CREATE INDEX digital_addresses_party ON digital_addresses (party_id);

-- The lists a beheerder keeps: channels (kanalen) and outcomes (gespreksresultaten).
CREATE TABLE contact_channels (
    code     TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    active   BOOLEAN NOT NULL,
    position INTEGER NOT NULL
);
INSERT INTO contact_channels (code, name, active, position) VALUES
    ('telefoon', 'Telefoon', TRUE, 1), ('e-mail', 'E-mail', TRUE, 2), ('chat', 'Chat', TRUE, 3),
    ('whatsapp', 'WhatsApp', TRUE, 4), ('social_media', 'Social media', TRUE, 5),
    ('website_app', 'Website/app', TRUE, 6), ('balie', 'Balie', TRUE, 7), ('video', 'Video', TRUE, 8),
    ('brief', 'Brief', TRUE, 9);

CREATE TABLE contact_outcomes (
    code     TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    active   BOOLEAN NOT NULL,
    position INTEGER NOT NULL
);
INSERT INTO contact_outcomes (code, name, active, position) VALUES
    ('zelfstandig_afgehandeld', 'Zelfstandig afgehandeld', TRUE, 1), ('doorverbonden', 'Doorverbonden', TRUE, 2),
    ('terugbelverzoek_gemaakt', 'Terugbelverzoek gemaakt', TRUE, 3),
    ('verbinding_verbroken', 'Verbinding verbroken', TRUE, 4), ('doorverwezen', 'Doorverwezen', TRUE, 5);

CREATE TABLE contacts (
    id           BLOB PRIMARY KEY,
    channel      TEXT NOT NULL REFERENCES contact_channels (code),
    subject      TEXT NOT NULL,
    -- A product from the UPL list (uniforme productnamenlijst), when the subject is one.
    product      TEXT,
    question     TEXT NOT NULL,
    notes        TEXT NOT NULL,
    response     TEXT NOT NULL,
    language     TEXT NOT NULL,
    -- Confidential notes are shown only to the agent who wrote them and to roles granted it.
    confidential BOOLEAN NOT NULL,
    contact_made BOOLEAN NOT NULL,
    started_at   TEXT NOT NULL,
    ended_at     TEXT,
    outcome      TEXT REFERENCES contact_outcomes (code),
    agent_id     BLOB REFERENCES users (id),
    agent_name   TEXT NOT NULL,
    unit_id      BLOB REFERENCES units (id),
    created_at   TEXT NOT NULL
);
CREATE INDEX contacts_started ON contacts (started_at);

CREATE TABLE contact_participants (
    id         BLOB PRIMARY KEY,
    contact_id BLOB NOT NULL REFERENCES contacts (id),
    party_id   BLOB REFERENCES parties (id),
    role       TEXT NOT NULL CHECK (role IN ('klant', 'vertegenwoordiger')),
    initiator  BOOLEAN NOT NULL
);
CREATE INDEX contact_participants_party ON contact_participants (party_id, contact_id);
CREATE INDEX contact_participants_contact ON contact_participants (contact_id);

-- What the agent consulted: articles, werkberichten, decision trees (with the path taken).
CREATE TABLE contact_sources (
    contact_id BLOB NOT NULL REFERENCES contacts (id),
    position   INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('article', 'notice', 'tree')),
    item_id    BLOB NOT NULL,
    title      TEXT NOT NULL,
    detail     TEXT NOT NULL,
    PRIMARY KEY (contact_id, position)
);
