-- Werkberichten (notices): news and work instructions for agents, with per-user read receipts.

CREATE TABLE notices (
    id            BLOB PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('nieuws', 'werkinstructie')),
    title         TEXT NOT NULL,
    body          TEXT NOT NULL,
    priority      TEXT NOT NULL CHECK (priority IN ('belangrijk', 'normaal')),
    publish_from  TEXT NOT NULL,
    publish_until TEXT,
    author_id     BLOB REFERENCES users (id),
    author_name   TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX notices_window ON notices (publish_from, publish_until);

-- The teams or afdelingen a notice is for; none means everyone. A notice for an afdeling
-- reaches the teams inside it too.
CREATE TABLE notice_targets (
    notice_id BLOB NOT NULL REFERENCES notices (id),
    unit_id   BLOB NOT NULL REFERENCES units (id),
    PRIMARY KEY (notice_id, unit_id)
);

CREATE TABLE notice_reads (
    notice_id BLOB NOT NULL REFERENCES notices (id),
    user_id   BLOB NOT NULL REFERENCES users (id),
    read_at   TEXT NOT NULL,
    PRIMARY KEY (notice_id, user_id)
);
