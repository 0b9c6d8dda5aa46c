-- Mail Loket sends (a colleague told of a callback for them). Written in the same transaction
-- as what it is about, so an acknowledged change never loses its notification; a background
-- step delivers it over SMTP when one is configured.
CREATE TABLE mail_outbox (
    id          BLOB PRIMARY KEY,
    to_address  TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    -- A path inside Loket; the sender puts the public address before it.
    link_path   TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    sent_at     TEXT,
    attempts    INTEGER NOT NULL CHECK (attempts >= 0),
    last_error  TEXT NOT NULL
);
CREATE INDEX mail_outbox_pending ON mail_outbox (sent_at, created_at);
