-- Calls from the telephony platform (export or live events), counted by the service-level
-- reports; and the KPI parameters a beheerder sets. Same tables and rules as the other backend.
-- Moments are Unix seconds (UTC): the reports bucket them with integer arithmetic, the same on
-- both backends, and a whole second is what telephony records hold.

CREATE TABLE calls (
    id           BLOB PRIMARY KEY,
    source       TEXT NOT NULL,
    external_id  TEXT NOT NULL,
    channel      TEXT NOT NULL,
    queue        TEXT NOT NULL,
    agent        TEXT,
    arrived_at   BIGINT NOT NULL,
    ivr_s        INTEGER NOT NULL CHECK (ivr_s >= 0),
    queued_at    BIGINT,
    queue_s      INTEGER NOT NULL CHECK (queue_s >= 0),
    answered_at  BIGINT,
    ended_at     BIGINT,
    talk_s       INTEGER NOT NULL CHECK (talk_s >= 0),
    outcome      TEXT NOT NULL CHECK (outcome IN ('waiting', 'answered', 'abandoned')),
    UNIQUE (source, external_id)
);
-- Covers the report's sums and the export's keyset paging (arrived_at, id) without reading the
-- table: a month of a million calls is one range scan of this index.
CREATE INDEX calls_channel_arrival ON calls (channel, arrived_at, id, outcome, queued_at, queue_s, ivr_s, talk_s);

-- One row per parameter (e.g. sl_threshold_s.telefoon = 30, clock = queue); a missing row means the default.
CREATE TABLE kpi_settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL
);
