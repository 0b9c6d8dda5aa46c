//! The wall board: today's figures for a channel and the calls waiting now, as one snapshot
//! that the screen refreshes by server-sent events.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::ReportError;
use super::service_level::{self, Definition, Group, Row, ServiceLevelRequest};
use super::settings::KpiSettings;
use crate::store::{self, Store};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Waiting {
    pub queue: String,
    pub waiting: i64,
    /// The longest wait in this queue now, seconds.
    pub longest_wait_s: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Wallboard {
    pub at: DateTime<Utc>,
    pub definition: Definition,
    /// Today so far (local day).
    pub today: Row,
    pub waiting: i64,
    pub longest_wait_s: Option<i64>,
    /// Calls waiting longer than the threshold T already: they will not count as answered within T.
    pub over_threshold: i64,
    pub queues: Vec<Waiting>,
}

pub async fn snapshot(
    store: &Store,
    kpi: &KpiSettings,
    channel: &str,
    now: DateTime<Utc>,
) -> Result<Wallboard, ReportError> {
    let zone = chrono_tz::Europe::Amsterdam;
    let today = now.with_timezone(&zone).date_naive();
    let request = ServiceLevelRequest {
        from: today,
        to: today,
        channel: channel.to_owned(),
        group: Group::None,
        threshold_s: kpi.threshold_for(channel),
        clock: kpi.clock,
        denominator: kpi.sl_denominator,
        short_abandon_s: kpi.short_abandon_s,
        zone,
    };
    let report = service_level::report(store, &request).await?;
    let mut conn = store.acquire().await?;
    // A call whose platform never sent its end is not waiting for ever: after a day it drops off.
    let since = (now - chrono::Duration::hours(24)).timestamp();
    let waiting = store::calls::waiting(&mut conn, channel, since).await?;
    drop(conn);
    let wait_of = |c: &crate::channels::telephony::Call| {
        let start = c.queued_at.unwrap_or(c.arrived_at);
        (now - start).num_seconds().max(0)
    };
    let mut queues: Vec<Waiting> = Vec::new();
    for call in &waiting {
        let wait = wait_of(call);
        match queues.iter_mut().find(|q| q.queue == call.queue) {
            Some(q) => {
                q.waiting += 1;
                q.longest_wait_s = q.longest_wait_s.max(wait);
            }
            None => queues.push(Waiting { queue: call.queue.clone(), waiting: 1, longest_wait_s: wait }),
        }
    }
    queues.sort_by_key(|q| std::cmp::Reverse(q.longest_wait_s));
    let threshold = i64::from(request.threshold_s);
    Ok(Wallboard {
        at: now,
        definition: report.definition,
        today: report.total,
        waiting: waiting.len() as i64,
        longest_wait_s: waiting.iter().map(wait_of).max(),
        over_threshold: waiting.iter().filter(|c| wait_of(c) > threshold).count() as i64,
        queues,
    })
}
