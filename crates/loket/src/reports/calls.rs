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

/// The same columns with Dutch names, for a spreadsheet.
pub const CSV_HEADER_NL: [&str; 13] = [
    "Gesprek",
    "Bron",
    "Kanaal",
    "Wachtrij",
    "Medewerker",
    "Binnengekomen",
    "Keuzemenu (s)",
    "In de wachtrij",
    "Wachttijd (s)",
    "Aangenomen",
    "Beëindigd",
    "Gesprekstijd (s)",
    "Uitkomst",
];

/// How the CSV is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum CsvDialect {
    /// For Dutch Excel, which opens it with a double click: semicolons, a UTF-8 byte-order mark
    /// (else "Beëindigd" reads "BeÃ«indigd"), Dutch headers, local times as "2026-12-04 09:00:12".
    #[default]
    Excel,
    /// For programs: commas, no byte-order mark, the English column names, RFC 3339 times with
    /// their offset.
    Comma,
}

impl CsvDialect {
    pub fn parse(s: &str) -> Option<CsvDialect> {
        match s {
            "excel" => Some(CsvDialect::Excel),
            "comma" => Some(CsvDialect::Comma),
            _ => None,
        }
    }
}

fn local(zone: Tz, t: Option<DateTime<Utc>>, dialect: CsvDialect) -> String {
    t.map(|t| match dialect {
        CsvDialect::Excel => t.with_timezone(&zone).format("%Y-%m-%d %H:%M:%S").to_string(),
        CsvDialect::Comma => t.with_timezone(&zone).to_rfc3339(),
    })
    .unwrap_or_default()
}

fn csv_rows(zone: Tz, calls: &[Call], header: bool, dialect: CsvDialect) -> Result<Vec<u8>, csv::Error> {
    let delimiter = if dialect == CsvDialect::Excel { b';' } else { b',' };
    let mut out = Vec::with_capacity(calls.len() * 160 + 3);
    if header && dialect == CsvDialect::Excel {
        out.extend_from_slice("\u{feff}".as_bytes());
    }
    let mut w = csv::WriterBuilder::new().delimiter(delimiter).from_writer(out);
    if header {
        w.write_record(if dialect == CsvDialect::Excel { CSV_HEADER_NL } else { CSV_HEADER })?;
    }
    let local = |t| local(zone, t, dialect);
    for c in calls {
        w.write_record([
            c.external_id.as_str(),
            &c.source,
            &c.channel,
            &c.queue,
            c.agent.as_deref().unwrap_or(""),
            &local(Some(c.arrived_at)),
            &c.ivr_s.to_string(),
            &local(c.queued_at),
            &c.queue_s.to_string(),
            &local(c.answered_at),
            &local(c.ended_at),
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
pub fn csv(
    store: Store,
    selection: CallSelection,
    dialect: CsvDialect,
) -> impl Stream<Item = Result<Vec<u8>, std::io::Error>> {
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
            Some((csv_rows(selection.zone, &calls, header, dialect).map_err(std::io::Error::other), next))
        }
    })
}
