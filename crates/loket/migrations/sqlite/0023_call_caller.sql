-- The caller's number, as the telephony platform gives it with a live call, so that the agent who
-- answers sees the matching customer at once (screen pop). It is personal data that the call
-- reports do not need: Loket keeps it only while the call is live and clears it when the call
-- ends or is abandoned; imported exports never carry it.
ALTER TABLE calls ADD COLUMN caller TEXT;
-- The desk asks every second or two which call an agent has just answered: a partial index holds
-- only the calls in progress (a handful).
CREATE INDEX calls_in_progress ON calls (agent, answered_at) WHERE outcome = 'answered' AND ended_at IS NULL;
