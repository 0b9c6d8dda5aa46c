-- A process that is about to send a mail claims it until then, so two processes on one
-- database never send the same mail; a claim left by a crashed process runs out.
ALTER TABLE mail_outbox ADD COLUMN claimed_until TEXT;
