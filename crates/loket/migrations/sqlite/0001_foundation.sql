-- Foundation: organisational units, users and roles, sessions, API tokens, login throttling and
-- the audit log. Ids are UUIDs (16-byte blobs here), times are RFC 3339 text in UTC written by
-- the application (never SQLite's datetime(), whose format would not compare with ours).

-- Afdelingen and the teams inside them. Callbacks, articles and reports point at these.
CREATE TABLE units (
    id          BLOB PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('afdeling', 'team')),
    parent_id   BLOB REFERENCES units (id),
    email       TEXT,
    phone       TEXT,
    description TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);

-- Users are never deleted, only deactivated: the audit log keeps pointing at them.
CREATE TABLE users (
    id            BLOB PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    email         TEXT,
    unit_id       BLOB REFERENCES units (id),
    -- NULL: no password login (an account used only through API tokens).
    password_hash TEXT,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX users_unit ON users (unit_id);

CREATE TABLE user_roles (
    user_id BLOB NOT NULL REFERENCES users (id),
    role    TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
);

-- The cookie holds a random secret; only its SHA-256 is stored, so a leaked table opens no session.
CREATE TABLE sessions (
    id_hash      BLOB PRIMARY KEY,
    user_id      BLOB NOT NULL REFERENCES users (id),
    csrf_token   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    ip           TEXT,
    user_agent   TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id           BLOB PRIMARY KEY,
    user_id      BLOB NOT NULL REFERENCES users (id),
    label        TEXT NOT NULL,
    token_hash   BLOB NOT NULL UNIQUE,
    prefix       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Failed logins within the throttle window; kept in the database so that several loket
-- processes on one PostgreSQL throttle together.
CREATE TABLE login_failures (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL,
    ip       TEXT,
    at       TEXT NOT NULL
);
CREATE INDEX login_failures_username ON login_failures (username, at);
CREATE INDEX login_failures_ip ON login_failures (ip, at);

-- The verwerkingslog. Append-only: the triggers below refuse every UPDATE and DELETE, so no
-- code path in the product (or a mistaken query) can rewrite history.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    actor_kind  TEXT NOT NULL CHECK (actor_kind IN ('user', 'token', 'system', 'anonymous')),
    user_id     BLOB,
    token_id    BLOB,
    actor_name  TEXT NOT NULL,
    action      TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id   TEXT,
    purpose     TEXT,
    detail      TEXT,
    ip          TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id);
CREATE INDEX audit_log_actor ON audit_log (actor_name);

CREATE TRIGGER audit_log_is_append_only_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_is_append_only_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
