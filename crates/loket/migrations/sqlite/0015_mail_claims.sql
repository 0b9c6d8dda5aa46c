-- A process that is about to send a mail claims it (its own token, until a moment), so two
-- processes on one database never send the same mail; a claim left by a crashed process runs
-- out, and only the holder of the claim marks the mail sent or failed.
ALTER TABLE mail_outbox ADD COLUMN claimed_until TEXT;
ALTER TABLE mail_outbox ADD COLUMN claimed_by BLOB;
