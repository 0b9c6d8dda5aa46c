-- E-mail as a channel: mailboxes a beheerder configures, threads that are work items of kind
-- 'e-mail', and every message in or out of a thread with its attachments. Outgoing mail (the
-- receipt, an agent's reply) is delivered through mail_outbox, which now carries the headers a
-- reply needs. Same tables and rules as postgres/0025_email.sql.
INSERT INTO work_item_kinds (code, name) VALUES ('e-mail', 'E-mail');

CREATE TABLE mailboxes (
    -- The mailbox's address, lower-case: what citizens write to and receipts come from.
    address               TEXT PRIMARY KEY,
    -- The team whose queue its threads feed.
    unit_id               BLOB REFERENCES units (id),
    -- imap[s]://USER@HOST:PORT/FOLDER without the password; empty: mail is piped in only.
    imap_url              TEXT NOT NULL,
    -- The IMAP password: 'enc:' + sealed with the configured key, or 'plain:' without one.
    imap_secret           TEXT NOT NULL,
    -- Limits: a larger message keeps its text; larger attachments are refused by name.
    max_message_bytes     INTEGER NOT NULL CHECK (max_message_bytes > 0),
    max_attachment_bytes  INTEGER NOT NULL CHECK (max_attachment_bytes > 0),
    created_at            TEXT NOT NULL,
    created_by            TEXT NOT NULL,
    -- IMAP intake: the folder's UIDVALIDITY and the last UID taken in (advanced only after the
    -- mail is stored), the last result ('' when all went well) and when, and the process that
    -- fetches the mailbox now with how long its claim lasts.
    imap_uidvalidity      INTEGER,
    imap_last_uid         INTEGER,
    imap_status           TEXT NOT NULL DEFAULT '',
    imap_checked_at       TEXT,
    imap_claimed_by       BLOB,
    imap_claimed_until    TEXT
);

CREATE TABLE mail_threads (
    work_item_id        BLOB PRIMARY KEY REFERENCES work_items (id),
    mailbox             TEXT NOT NULL REFERENCES mailboxes (address),
    -- Loket's reference (kenmerk), in the subject of every mail Loket sends about the thread.
    reference           TEXT NOT NULL UNIQUE,
    subject             TEXT NOT NULL,
    -- The person the thread is with (lower-case address) and the name their mail gave.
    citizen_address     TEXT NOT NULL,
    citizen_name        TEXT NOT NULL,
    -- The customer whose address this is (suggested; the agent confirms it on the work item).
    suggested_party_id  BLOB REFERENCES parties (id),
    -- A mail of someone else that matched this thread's references starts a thread linked here.
    linked_to           BLOB REFERENCES mail_threads (work_item_id),
    receipt_sent        BOOLEAN NOT NULL,
    first_answer_at     TEXT
);
CREATE INDEX mail_threads_citizen ON mail_threads (citizen_address);

CREATE TABLE mail_messages (
    id             BLOB PRIMARY KEY,
    work_item_id   BLOB NOT NULL REFERENCES work_items (id),
    mailbox        TEXT NOT NULL REFERENCES mailboxes (address),
    direction      TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    -- bericht (a citizen's mail), ontvangstbevestiging, antwoord (an agent's reply), onbestelbaar (a bounce).
    kind           TEXT NOT NULL CHECK (kind IN ('bericht', 'ontvangstbevestiging', 'antwoord', 'onbestelbaar')),
    -- Without angle brackets; a mail without one gets 'sha256.<hash of its bytes>@loket.invalid'.
    message_id     TEXT NOT NULL,
    in_reply_to    TEXT NOT NULL,
    -- Message-IDs separated by spaces.
    refs           TEXT NOT NULL,
    from_address   TEXT NOT NULL,
    from_name      TEXT NOT NULL,
    -- Addresses separated by ', '.
    to_addresses   TEXT NOT NULL,
    cc_addresses   TEXT NOT NULL,
    subject        TEXT NOT NULL,
    text_body      TEXT NOT NULL,
    -- Cleaned with ammonia; remote images are not loaded until the agent asks.
    html_body      TEXT NOT NULL,
    -- Received (in) or written (out).
    at             TEXT NOT NULL,
    size           INTEGER NOT NULL,
    -- What was refused (over a limit, unreadable), in Dutch; empty when nothing was.
    refused        TEXT NOT NULL,
    -- Who wrote an outgoing mail (the agent, or 'Loket' for a receipt).
    written_by     TEXT NOT NULL
);
-- Fetching a mailbox again, or an inbound retry, adds nothing.
CREATE UNIQUE INDEX mail_messages_message_id ON mail_messages (mailbox, message_id);
CREATE INDEX mail_messages_item ON mail_messages (work_item_id, at);
-- At most three receipts per sender per 24 hours.
CREATE INDEX mail_messages_receipts ON mail_messages (to_addresses, at) WHERE kind = 'ontvangstbevestiging';

CREATE TABLE mail_attachments (
    id            BLOB PRIMARY KEY,
    message       BLOB NOT NULL REFERENCES mail_messages (id),
    filename      TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          INTEGER NOT NULL,
    -- NULL when it was refused (over the mailbox's limit).
    content       BLOB
);
CREATE INDEX mail_attachments_message ON mail_attachments (message);

-- Mail to citizens goes out from the mailbox's address, as a reply in its thread.
ALTER TABLE mail_outbox ADD COLUMN from_address TEXT NOT NULL DEFAULT '';
ALTER TABLE mail_outbox ADD COLUMN message_id TEXT NOT NULL DEFAULT '';
ALTER TABLE mail_outbox ADD COLUMN in_reply_to TEXT NOT NULL DEFAULT '';
ALTER TABLE mail_outbox ADD COLUMN refs TEXT NOT NULL DEFAULT '';
-- RFC 3834: a receipt says it was sent automatically.
ALTER TABLE mail_outbox ADD COLUMN auto_submitted BOOLEAN NOT NULL DEFAULT FALSE;
