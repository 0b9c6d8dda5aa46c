-- Search: the change log the search index follows, synonyms, the search log and learning resets.
-- Same tables and rules as postgres/0006_search.sql.

-- Everything the index shows comes from these tables; a trigger writes a line here in the same
-- transaction as the change, so no code path can forget to tell the index, and every loket
-- process sharing the database follows the same log (by seq) without a restart.
CREATE TABLE search_changes (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    kind    TEXT NOT NULL,
    item_id BLOB
);

-- Only a change of the published version matters to an article's entry (drafts do not).
CREATE TRIGGER search_article_inserted AFTER INSERT ON articles WHEN NEW.published_version IS NOT NULL
BEGIN INSERT INTO search_changes (kind, item_id) VALUES ('article', NEW.id); END;
CREATE TRIGGER search_article_published AFTER UPDATE OF published_version ON articles
    WHEN OLD.published_version IS NOT NEW.published_version
BEGIN INSERT INTO search_changes (kind, item_id) VALUES ('article', NEW.id); END;

CREATE TRIGGER search_notice_inserted AFTER INSERT ON notices
BEGIN INSERT INTO search_changes (kind, item_id) VALUES ('notice', NEW.id); END;
CREATE TRIGGER search_notice_updated AFTER UPDATE ON notices
BEGIN INSERT INTO search_changes (kind, item_id) VALUES ('notice', NEW.id); END;

CREATE TRIGGER search_tree_published AFTER UPDATE OF published_version ON decision_trees
    WHEN OLD.published_version IS NOT NEW.published_version
BEGIN INSERT INTO search_changes (kind, item_id) VALUES ('tree', NEW.id); END;

-- The directory (smoelenboek): colleagues with their phone number and topics, and the units.
ALTER TABLE users ADD COLUMN phone TEXT;
ALTER TABLE users ADD COLUMN topics TEXT NOT NULL DEFAULT '';

CREATE TRIGGER search_user_inserted AFTER INSERT ON users
BEGIN INSERT INTO search_changes (kind, item_id) VALUES ('employee', NEW.id); END;
CREATE TRIGGER search_user_updated AFTER UPDATE OF display_name, email, unit_id, active, phone, topics ON users
BEGIN INSERT INTO search_changes (kind, item_id) VALUES ('employee', NEW.id); END;
CREATE TRIGGER search_unit_inserted AFTER INSERT ON units
BEGIN INSERT INTO search_changes (kind, item_id) VALUES ('unit', NEW.id); END;
CREATE TRIGGER search_unit_updated AFTER UPDATE ON units
BEGIN INSERT INTO search_changes (kind, item_id) VALUES ('unit', NEW.id); END;

-- Synonyms managed by redacteuren; applied when a query is read, so a change needs no reindex,
-- only every process reloading them (the 'synonyms' line).
CREATE TABLE search_synonyms (
    id         BLOB PRIMARY KEY,
    -- JSON array of the words or phrases that mean the same.
    terms      TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TRIGGER search_synonyms_inserted AFTER INSERT ON search_synonyms
BEGIN INSERT INTO search_changes (kind) VALUES ('synonyms'); END;
CREATE TRIGGER search_synonyms_updated AFTER UPDATE ON search_synonyms
BEGIN INSERT INTO search_changes (kind) VALUES ('synonyms'); END;
CREATE TRIGGER search_synonyms_deleted AFTER DELETE ON search_synonyms
BEGIN INSERT INTO search_changes (kind) VALUES ('synonyms'); END;

-- What agents searched, for the redacteuren's list of missing content. Numbers that could be a
-- BSN or a phone number are masked before a query is written here.
CREATE TABLE search_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TEXT NOT NULL,
    user_id    BLOB,
    query      TEXT NOT NULL,
    query_key  TEXT NOT NULL,
    total      INTEGER NOT NULL,
    top_id     BLOB
);
CREATE INDEX search_log_at ON search_log (at);
CREATE INDEX search_log_key ON search_log (query_key, at);

-- Opened articles and "dit beantwoordde de vraag" after a query teach the ranking; the key
-- groups the same question in other words.
ALTER TABLE article_signals ADD COLUMN query_key TEXT;
CREATE INDEX article_signals_key ON article_signals (query_key, at);
CREATE TRIGGER search_signal_inserted AFTER INSERT ON article_signals WHEN NEW.query_key IS NOT NULL
BEGIN INSERT INTO search_changes (kind) VALUES ('learning'); END;

-- A redacteur's reset: signals before it no longer count (for one query key, one article, or
-- with both empty for everything).
CREATE TABLE search_learning_resets (
    id         BLOB PRIMARY KEY,
    query_key  TEXT,
    article_id BLOB,
    at         TEXT NOT NULL,
    by_name    TEXT NOT NULL
);
CREATE TRIGGER search_reset_inserted AFTER INSERT ON search_learning_resets
BEGIN INSERT INTO search_changes (kind) VALUES ('learning'); END;
