-- Feedback on articles (the one-click signal) and usage signals (viewed, "dit beantwoordde de vraag").

CREATE TABLE article_feedback (
    id               BLOB PRIMARY KEY,
    article_id       BLOB NOT NULL REFERENCES articles (id),
    article_version  INTEGER NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('klopt_niet', 'informatie_ontbreekt', 'verouderd', 'onduidelijk')),
    note             TEXT NOT NULL,
    -- The context, attached automatically: what the agent searched for, the contact they were in.
    search_query     TEXT,
    contact_ref      TEXT,
    submitter_id     BLOB NOT NULL REFERENCES users (id),
    submitter_name   TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('nieuw', 'in_behandeling', 'verwerkt', 'afgewezen')),
    reply            TEXT NOT NULL,
    handled_by       TEXT,
    handled_at       TEXT,
    -- The version that took this feedback into account, when it led to a change.
    resolved_version INTEGER
);
CREATE INDEX article_feedback_status ON article_feedback (status, created_at);
CREATE INDEX article_feedback_article ON article_feedback (article_id);
CREATE INDEX article_feedback_submitter ON article_feedback (submitter_id, created_at);

-- Append-only usage signals; the search ranking learns from them.
CREATE TABLE article_signals (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id      BLOB NOT NULL REFERENCES articles (id),
    article_version INTEGER NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('bekeken', 'beantwoord')),
    user_id         BLOB,
    search_query    TEXT,
    at              TEXT NOT NULL
);
CREATE INDEX article_signals_article ON article_signals (article_id, kind);
