//! Telephony: one record per call that reached the call center, from a call-detail export
//! (`loket import calls FILE --mapping MAPPING.toml`) or from live events of the telephony platform.
//!
//! Rules:
//! - A call has an arrival (entering the IVR), optionally a queue entry and exit, and ends
//!   answered (with answer and end times) or abandoned. Records the export marks as noise
//!   (PHANTOM in the bank data) are ignored by the mapping, never stored.
//! - Times are instants (UTC). Durations are whole seconds: IVR time = IVR exit − arrival,
//!   wait in queue = queue exit − queue entry, talk = end − answer.
//! - Impossible times (an IVR exit, queue entry or answer before the arrival, an end before
//!   the answer, a queue exit before its entry) reject the row with its line number; so does an
//!   outcome code the mapping does not know. A one-second skew between the queue exit and the
//!   answer, common in exports, is not an error: the wait is measured on the queue's own clock.
//! - (source, call id) is unique: importing the same export again adds nothing twice, and an
//!   import owns the rows of its source, so a corrected mapping rewrites them.
//! - Calls count for a channel of the beheerder's list; an import naming another stores nothing.
//! - A row with more or fewer fields than the header is refused (its values may be shifted).
//! - An import is one transaction: it lands whole, or (on a crash, or with `--strict` and a bad
//!   row) not at all.

pub mod events;
pub mod mapping;
pub mod screen_pop;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::Actor;
use crate::auth::audit::{self, AuditAction, AuditEvent};
use crate::store::calls::CallRow;
use crate::store::{self, Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum TelephonyError {
    #[error("the mapping is not usable: {0}")]
    Mapping(String),
    #[error("the file cannot be read: {0}")]
    Read(String),
    #[error("{} rows are not valid (first on line {})", .0.len(), .0.first().map_or(0, |b| b.line))]
    BadRows(Vec<BadRow>),
    #[error("invalid call event")]
    Invalid(Vec<crate::validation::FieldError>),
    #[error("no such call")]
    NotFound,
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// How a call ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CallOutcome {
    /// Still in the IVR or the queue (live events only).
    Waiting,
    /// Taken by an agent (the end may still come).
    Answered,
    /// The caller hung up before an agent answered.
    Abandoned,
}

impl CallOutcome {
    pub fn id(self) -> &'static str {
        match self {
            CallOutcome::Waiting => "waiting",
            CallOutcome::Answered => "answered",
            CallOutcome::Abandoned => "abandoned",
        }
    }

    pub fn parse(s: &str) -> Option<CallOutcome> {
        [CallOutcome::Waiting, CallOutcome::Answered, CallOutcome::Abandoned].into_iter().find(|o| o.id() == s)
    }
}

/// One call as stored.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Call {
    pub id: Uuid,
    /// The export or platform the call came from.
    pub source: String,
    /// The call's id there.
    pub external_id: String,
    pub channel: String,
    pub queue: String,
    pub agent: Option<String>,
    pub arrived_at: DateTime<Utc>,
    pub ivr_s: i32,
    pub queued_at: Option<DateTime<Utc>>,
    pub queue_s: i32,
    pub answered_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    pub talk_s: i32,
    pub outcome: CallOutcome,
}

fn instant(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap_or_default()
}

impl Call {
    /// A stored call; the store keeps whole seconds and the outcome's id.
    pub(crate) fn from_row(row: CallRow) -> Call {
        Call {
            id: row.id,
            source: row.source,
            external_id: row.external_id,
            channel: row.channel,
            queue: row.queue,
            agent: row.agent,
            arrived_at: instant(row.arrived_at),
            ivr_s: row.ivr_s,
            queued_at: row.queued_at.map(instant),
            queue_s: row.queue_s,
            answered_at: row.answered_at.map(instant),
            ended_at: row.ended_at.map(instant),
            talk_s: row.talk_s,
            // The column's CHECK allows only known outcomes.
            outcome: CallOutcome::parse(&row.outcome).unwrap_or(CallOutcome::Waiting),
        }
    }

    pub(crate) fn to_row(&self) -> CallRow {
        CallRow {
            id: self.id,
            source: self.source.clone(),
            external_id: self.external_id.clone(),
            channel: self.channel.clone(),
            queue: self.queue.clone(),
            agent: self.agent.clone(),
            arrived_at: self.arrived_at.timestamp(),
            ivr_s: self.ivr_s,
            queued_at: self.queued_at.map(|t| t.timestamp()),
            queue_s: self.queue_s,
            answered_at: self.answered_at.map(|t| t.timestamp()),
            ended_at: self.ended_at.map(|t| t.timestamp()),
            talk_s: self.talk_s,
            outcome: self.outcome.id().to_owned(),
        }
    }
}

fn rows(calls: &[Call]) -> Vec<CallRow> {
    calls.iter().map(Call::to_row).collect()
}

/// A row of an export that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BadRow {
    /// The line in the file (the header is line 1).
    pub line: u64,
    pub message: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    pub rows: u64,
    pub imported: u64,
    /// Stored by an earlier import of the same source and changed now (a corrected mapping).
    pub updated: u64,
    /// Stored by an earlier import of the same source, unchanged.
    pub already_present: u64,
    /// Rows the mapping says to ignore (PHANTOM).
    pub ignored: u64,
    pub bad: Vec<BadRow>,
}

/// Stores calls that are not there yet (by source and call id) in one transaction; returns how
/// many were new. For generated calls (demo, benchmarks) and platforms that deliver batches.
pub async fn record(store: &Store, calls: &[Call], mut progress: impl FnMut(u64)) -> Result<u64, TelephonyError> {
    let mut tx = store.begin().await?;
    let mut added = 0;
    for (i, chunk) in calls.chunks(500).enumerate() {
        added += store::calls::insert_many(&mut tx, &rows(chunk)).await?;
        progress(((i + 1) * 500).min(calls.len()) as u64);
    }
    tx.commit().await?;
    Ok(added)
}

/// Reads an export with its mapping and stores every valid call in one transaction. With
/// `strict`, one bad row stores nothing. `progress` is told the number of rows read so far.
///
/// The mapping's channel must be one of the beheerder's channels, in use: it is checked before
/// anything is read or stored. The import owns the rows of its source: importing again with a
/// corrected mapping rewrites the calls that come out differently.
pub async fn import(
    store: &Store,
    actor: &Actor,
    reader: impl std::io::Read,
    mapping: &mapping::Mapping,
    strict: bool,
    mut progress: impl FnMut(u64),
) -> Result<ImportSummary, TelephonyError> {
    let channels = store::contacts::channels(&mut store.acquire().await?).await?;
    crate::contacts::contact::pick(&channels, &mapping.channel, "channel", "Kanaal")
        .map_err(|e| TelephonyError::Mapping(format!("channel: {}", e.message)))?;
    let parsed = mapping.read(reader, &mut progress)?;
    let mut summary =
        ImportSummary { rows: parsed.rows, ignored: parsed.ignored, bad: parsed.bad, ..ImportSummary::default() };
    if strict && !summary.bad.is_empty() {
        return Err(TelephonyError::BadRows(summary.bad));
    }
    let mut tx = store.begin().await?;
    for chunk in parsed.calls.chunks(500) {
        let rows = rows(chunk);
        // Within the transaction: what was there before the write, and what the write changed.
        let stored = store::calls::count_stored(&mut tx, &rows).await? as u64;
        let written = store::calls::upsert_many(&mut tx, &rows).await?;
        let added = rows.len() as u64 - stored;
        summary.imported += added;
        summary.updated += written.saturating_sub(added);
    }
    let detail = serde_json::json!({
        "source": mapping.source, "imported": summary.imported, "updated": summary.updated,
        "bad_rows": summary.bad.len()
    });
    audit::record(&mut tx, actor, AuditEvent::new(AuditAction::CallsImported, "calls", None).detail(detail)).await?;
    tx.commit().await?;
    summary.already_present = parsed.calls.len() as u64 - summary.imported - summary.updated;
    Ok(summary)
}
