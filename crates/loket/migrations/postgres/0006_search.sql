-- Search: the change log the search index follows, synonyms, the search log and learning resets.
-- Same tables and rules as sqlite/0006_search.sql.

-- Everything the index shows comes from these tables; a trigger writes a line here in the same
-- transaction as the change, so no code path can forget to tell the index, and every loket
-- process sharing the database follows the same log (by seq) without a restart. Sequence
-- numbers can commit out of order here; the follower waits a while for a gap before it
-- passes it (a rolled-back transaction leaves one for ever).
CREATE TABLE search_changes (
    seq     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind    TEXT NOT NULL,
    item_id UUID
);

-- TG_ARGV[0]: the kind; TG_ARGV[1]: 'id' to log the row's id.
CREATE FUNCTION search_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_ARGV[1] = 'id' THEN
        INSERT INTO search_changes (kind, item_id) VALUES (TG_ARGV[0], NEW.id);
    ELSE
        INSERT INTO search_changes (kind) VALUES (TG_ARGV[0]);
    END IF;
    RETURN NULL;
END;
$$;

-- Only a change of the published version matters to an article's entry (drafts do not).
CREATE TRIGGER search_article_inserted AFTER INSERT ON articles FOR EACH ROW
    WHEN (NEW.published_version IS NOT NULL) EXECUTE FUNCTION search_change('article', 'id');
CREATE TRIGGER search_article_published AFTER UPDATE OF published_version ON articles FOR EACH ROW
    WHEN (OLD.published_version IS DISTINCT FROM NEW.published_version) EXECUTE FUNCTION search_change('article', 'id');

CREATE TRIGGER search_notice_changed AFTER INSERT OR UPDATE ON notices FOR EACH ROW
    EXECUTE FUNCTION search_change('notice', 'id');

CREATE TRIGGER search_tree_published AFTER UPDATE OF published_version ON decision_trees FOR EACH ROW
    WHEN (OLD.published_version IS DISTINCT FROM NEW.published_version) EXECUTE FUNCTION search_change('tree', 'id');

-- The directory (smoelenboek): colleagues with their phone number and topics, and the units.
ALTER TABLE users ADD COLUMN phone TEXT;
ALTER TABLE users ADD COLUMN topics TEXT NOT NULL DEFAULT '';

CREATE TRIGGER search_user_inserted AFTER INSERT ON users FOR EACH ROW
    EXECUTE FUNCTION search_change('employee', 'id');
CREATE TRIGGER search_user_updated AFTER UPDATE OF display_name, email, unit_id, active, phone, topics ON users
    FOR EACH ROW EXECUTE FUNCTION search_change('employee', 'id');
CREATE TRIGGER search_unit_changed AFTER INSERT OR UPDATE ON units FOR EACH ROW
    EXECUTE FUNCTION search_change('unit', 'id');

-- Synonyms managed by redacteuren; applied when a query is read, so a change needs no reindex,
-- only every process reloading them (the 'synonyms' line).
CREATE TABLE search_synonyms (
    id         UUID PRIMARY KEY,
    -- JSON array of the words or phrases that mean the same.
    terms      TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE TRIGGER search_synonyms_changed AFTER INSERT OR UPDATE OR DELETE ON search_synonyms FOR EACH ROW
    EXECUTE FUNCTION search_change('synonyms', 'none');

-- What agents searched, for the redacteuren's list of missing content. Numbers that could be a
-- BSN or a phone number are masked before a query is written here.
CREATE TABLE search_log (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         TIMESTAMPTZ NOT NULL,
    user_id    UUID,
    query      TEXT NOT NULL,
    query_key  TEXT NOT NULL,
    total      BIGINT NOT NULL,
    top_id     UUID
);
CREATE INDEX search_log_at ON search_log (at);
CREATE INDEX search_log_key ON search_log (query_key, at);

-- Opened articles and "dit beantwoordde de vraag" after a query teach the ranking; the key
-- groups the same question in other words.
ALTER TABLE article_signals ADD COLUMN query_key TEXT;
CREATE INDEX article_signals_key ON article_signals (query_key, at);
CREATE TRIGGER search_signal_inserted AFTER INSERT ON article_signals FOR EACH ROW
    WHEN (NEW.query_key IS NOT NULL) EXECUTE FUNCTION search_change('learning', 'none');

-- A redacteur's reset: signals before it no longer count (for one query key, one article, or
-- with both empty for everything).
CREATE TABLE search_learning_resets (
    id         UUID PRIMARY KEY,
    query_key  TEXT,
    article_id UUID,
    at         TIMESTAMPTZ NOT NULL,
    by_name    TEXT NOT NULL
);
CREATE TRIGGER search_reset_inserted AFTER INSERT ON search_learning_resets FOR EACH ROW
    EXECUTE FUNCTION search_change('learning', 'none');
