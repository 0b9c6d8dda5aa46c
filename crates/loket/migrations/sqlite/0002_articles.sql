-- Knowledge articles and their versions. Every saved change is a new row in article_versions;
-- the article row says which version is the latest and which (if any) agents see.
-- Lists (keywords, synonyms, related) are JSON arrays in TEXT on both backends, so the same SQL
-- and the same decoding serve both.

-- The official list of government product names (UPL), imported with `loket import upl`.
CREATE TABLE upl_products (
    name    TEXT PRIMARY KEY,
    uri     TEXT NOT NULL,
    burger  BOOLEAN NOT NULL,
    bedrijf BOOLEAN NOT NULL
);

CREATE TABLE articles (
    id                BLOB PRIMARY KEY,
    -- The id given at import, stable across re-imports; NULL for articles written in Loket.
    external_id       TEXT UNIQUE,
    owner_id          BLOB REFERENCES users (id),
    unit_id           BLOB REFERENCES units (id),
    latest_version    INTEGER NOT NULL,
    published_version INTEGER,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);

CREATE TABLE article_versions (
    article_id   BLOB NOT NULL REFERENCES articles (id),
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
    valid_from   TEXT,
    valid_until  TEXT,
    review_date  TEXT,
    related      TEXT NOT NULL,
    substantive  BOOLEAN NOT NULL,
    urgent       BOOLEAN NOT NULL DEFAULT FALSE,
    reason       TEXT NOT NULL,
    author_id    BLOB,
    author_name  TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    -- Who moved it through the cycle, for the history.
    approved_by  TEXT,
    published_by TEXT,
    published_at TEXT,
    PRIMARY KEY (article_id, version)
);
CREATE INDEX article_versions_state ON article_versions (state);
