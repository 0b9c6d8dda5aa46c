-- Whether a logged search had a hit likely to answer it ("confident"): the redacteuren's list of
-- questions the knowledge base has no good answer to. Searches logged before this column
-- existed count as answered.
ALTER TABLE search_log ADD COLUMN confident BOOLEAN NOT NULL DEFAULT TRUE;
