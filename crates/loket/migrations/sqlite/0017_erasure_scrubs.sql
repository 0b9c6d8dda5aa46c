-- An erasure leaves the erased rows' bytes in the database files (PostgreSQL's dead row versions
-- and free page space, SQLite's write-ahead log) until housekeeping rewrites them; each erasure
-- asks for that here, in its own transaction, and a housekeeping step claims and does it.
CREATE TABLE erasure_scrubs (
    id            INTEGER PRIMARY KEY,
    requested_at  TEXT NOT NULL,
    claimed_until TEXT,
    done_at       TEXT
);
CREATE INDEX erasure_scrubs_pending ON erasure_scrubs (requested_at) WHERE done_at IS NULL;
