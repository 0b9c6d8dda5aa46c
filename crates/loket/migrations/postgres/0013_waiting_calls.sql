-- The wall board asks every two seconds which calls are waiting now: a partial index holds only
-- those (a handful), instead of scanning the day's calls for them.
CREATE INDEX calls_waiting ON calls (channel, arrived_at) WHERE outcome = 'waiting';
