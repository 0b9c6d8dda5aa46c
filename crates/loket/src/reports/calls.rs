//! The calls behind a figure: a page for the screen, and a CSV export of any length that is
//! streamed page by page, so memory stays the same for ten rows or ten million.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use futures_util::Stream;
use uuid::Uuid;

use super::ReportError;
use crate::channels::telephony::Call;
use crate::store::{self, Store};

/// Which calls: one channel, arrivals in `[from, to)` (Unix seconds).
#[derive(Debug, Clone)]
pub struct CallSelection {
    pub channel: String,
    pub from: i64,
    pub to: i64,
    pub zone: Tz,
}

pub async fn page(
    store: &Store,
    selection: &CallSelection,
    after: Option<(i64, Uuid)>,
    limit: i64,
) -> Result<Vec<Call>, ReportError> {
    let mut conn = store.acquire().await?;
    let rows = store::calls::list(&mut conn, &selection.channel, selection.from, selection.to, after, limit).await?;
    Ok(rows.into_iter().map(Call::from_row).collect())
}

const CSV_PAGE: i64 = 2000;

pub const CSV_HEADER: [&str; 13] = [
    "call_id",
    "source",
    "channel",
    "queue",
    "agent",
    "arrived_at",
    "ivr_s",
    "queued_at",
    "queue_s",
    "answered_at",
    "ended_at",
    "talk_s",
    "outcome",
];

fn local(zone: Tz, t: Option<DateTime<Utc>>) -> String {
    t.map(|t| t.with_timezone(&zone).to_rfc3339()).unwrap_or_default()
}

fn csv_rows(zone: Tz, calls: &[Call], header: bool) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::with_capacity(calls.len() * 160));
    if header {
        w.write_record(CSV_HEADER)?;
    }
    for c in calls {
        w.write_record([
            c.external_id.as_str(),
            &c.source,
            &c.channel,
            &c.queue,
            c.agent.as_deref().unwrap_or(""),
            &local(zone, Some(c.arrived_at)),
            &c.ivr_s.to_string(),
            &local(zone, c.queued_at),
            &c.queue_s.to_string(),
            &local(zone, c.answered_at),
            &local(zone, c.ended_at),
            &c.talk_s.to_string(),
            c.outcome.id(),
        ])?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

enum Cursor {
    Start,
    After(i64, Uuid),
    Done,
}

/// Every selected call as CSV (times in the selection's zone, with offset), one page at a time.
/// An error half-way ends the stream with that error: the client sees a broken download, never
/// a silently short file.
pub fn csv(store: Store, selection: CallSelection) -> impl Stream<Item = Result<Vec<u8>, std::io::Error>> {
    futures_util::stream::unfold(Cursor::Start, move |cursor| {
        let store = store.clone();
        let selection = selection.clone();
        async move {
            let (after, header) = match cursor {
                Cursor::Done => return None,
                Cursor::Start => (None, true),
                Cursor::After(at, id) => (Some((at, id)), false),
            };
            let calls = match page(&store, &selection, after, CSV_PAGE).await {
                Ok(calls) => calls,
                Err(e) => return Some((Err(std::io::Error::other(e.to_string())), Cursor::Done)),
            };
            if calls.is_empty() && !header {
                return None;
            }
            let next = match calls.last() {
                Some(last) if calls.len() as i64 == CSV_PAGE => Cursor::After(last.arrived_at.timestamp(), last.id),
                _ => Cursor::Done,
            };
            Some((csv_rows(selection.zone, &calls, header).map_err(std::io::Error::other), next))
        }
    })
}
