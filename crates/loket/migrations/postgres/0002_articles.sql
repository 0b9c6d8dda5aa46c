-- Knowledge articles and their versions; same tables and rules as sqlite/0002_articles.sql.
-- Lists (keywords, synonyms, related) are JSON arrays in TEXT on both backends, so the same SQL
-- and the same decoding serve both.

CREATE TABLE upl_products (
    name    TEXT PRIMARY KEY,
    uri     TEXT NOT NULL,
    burger  BOOLEAN NOT NULL,
    bedrijf BOOLEAN NOT NULL
);

CREATE TABLE articles (
    id                UUID PRIMARY KEY,
    external_id       TEXT UNIQUE,
    owner_id          UUID REFERENCES users (id),
    unit_id           UUID REFERENCES units (id),
    latest_version    INTEGER NOT NULL,
    published_version INTEGER,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);

CREATE TABLE article_versions (
    article_id   UUID NOT NULL REFERENCES articles (id),
    version      INTEGER NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('concept', 'ter_beoordeling', 'goedgekeurd', 'gepubliceerd', 'vervangen', 'gearchiveerd')),
    title        TEXT NOT NULL,
    short_answer TEXT NOT NULL,
    body         TEXT NOT NULL,
    instructions TEXT NOT NULL,
    audience     TEXT NOT NULL CHECK (audience IN ('intern', 'publiek')),
    keywords     TEXT NOT NULL,
    synonyms     TEXT NOT NULL,
    upl_product  TEXT,
    category     TEXT NOT NULL,
    valid_from   TIMESTAMPTZ,
    valid_until  TIMESTAMPTZ,
    review_date  DATE,
    related      TEXT NOT NULL,
    substantive  BOOLEAN NOT NULL,
    urgent       BOOLEAN NOT NULL DEFAULT FALSE,
    reason       TEXT NOT NULL,
    author_id    UUID,
    author_name  TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    approved_by  TEXT,
    published_by TEXT,
    published_at TIMESTAMPTZ,
    PRIMARY KEY (article_id, version)
);
CREATE INDEX article_versions_state ON article_versions (state);
