-- Werkberichten (notices); as sqlite/0004_notices.sql.

CREATE TABLE notices (
    id            UUID PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('nieuws', 'werkinstructie')),
    title         TEXT NOT NULL,
    body          TEXT NOT NULL,
    priority      TEXT NOT NULL CHECK (priority IN ('belangrijk', 'normaal')),
    publish_from  TIMESTAMPTZ NOT NULL,
    publish_until TIMESTAMPTZ,
    author_id     UUID REFERENCES users (id),
    author_name   TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX notices_window ON notices (publish_from, publish_until);

CREATE TABLE notice_targets (
    notice_id UUID NOT NULL REFERENCES notices (id),
    unit_id   UUID NOT NULL REFERENCES units (id),
    PRIMARY KEY (notice_id, unit_id)
);

CREATE TABLE notice_reads (
    notice_id UUID NOT NULL REFERENCES notices (id),
    user_id   UUID NOT NULL REFERENCES users (id),
    read_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (notice_id, user_id)
);
