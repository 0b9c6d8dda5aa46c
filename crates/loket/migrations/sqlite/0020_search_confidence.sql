-- Whether a logged search had a hit likely to answer it ("confident"): the redacteuren's list of
-- questions the knowledge base has no good answer to. Of the searches logged before this column
-- existed, those that found nothing had no answer; the others count as answered.
ALTER TABLE search_log ADD COLUMN confident BOOLEAN NOT NULL DEFAULT TRUE;
UPDATE search_log SET confident = FALSE WHERE total = 0;
