-- Feedback on articles (the one-click signal) and usage signals; as sqlite/0003_feedback.sql.

CREATE TABLE article_feedback (
    id               UUID PRIMARY KEY,
    article_id       UUID NOT NULL REFERENCES articles (id),
    article_version  INTEGER NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('klopt_niet', 'informatie_ontbreekt', 'verouderd', 'onduidelijk')),
    note             TEXT NOT NULL,
    search_query     TEXT,
    contact_ref      TEXT,
    submitter_id     UUID NOT NULL REFERENCES users (id),
    submitter_name   TEXT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('nieuw', 'in_behandeling', 'verwerkt', 'afgewezen')),
    reply            TEXT NOT NULL,
    handled_by       TEXT,
    handled_at       TIMESTAMPTZ,
    resolved_version INTEGER
);
CREATE INDEX article_feedback_status ON article_feedback (status, created_at);
CREATE INDEX article_feedback_article ON article_feedback (article_id);
CREATE INDEX article_feedback_submitter ON article_feedback (submitter_id, created_at);

CREATE TABLE article_signals (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    article_id      UUID NOT NULL REFERENCES articles (id),
    article_version INTEGER NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('bekeken', 'beantwoord')),
    user_id         UUID,
    search_query    TEXT,
    at              TIMESTAMPTZ NOT NULL
);
CREATE INDEX article_signals_article ON article_signals (article_id, kind);
