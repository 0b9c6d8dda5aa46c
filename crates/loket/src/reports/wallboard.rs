//! The wall board: today's figures for a channel, the calls waiting now, the open work items of
//! each kind by age, and the items of every kind about to breach their target, as one snapshot
//! that the screen refreshes by server-sent events. It names no citizen: subjects and holders
//! only. It reads the work queue (`work`), so a new kind of work item appears without new code.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::ReportError;
use super::callbacks::{AGE_BOUNDS_H, AgeBucket, age_buckets};
use super::service_level::{self, Definition, Group, Row, ServiceLevelRequest};
use super::settings::KpiSettings;
use crate::channels::telephony::Call;
use crate::sla::{self, Remaining};
use crate::store::{self, Store};
use crate::work::{self, WorkKind};

/// How many open items of each kind the at-risk list looks at, the first due first: the list
/// shows ten, and an item due later never has less time left than an earlier one on the same
/// hours. (The near-breach counts look at every item that can be near.)
const SCANNED_PER_KIND: i64 = 100;
/// How many items at risk it lists.
const AT_RISK_SHOWN: usize = 10;

/// An open work item past or near its due time.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AtRisk {
    pub kind: WorkKind,
    pub id: uuid::Uuid,
    pub subject: String,
    pub holder: String,
    pub remaining: Remaining,
    /// "nog 12 min", "5 min te laat".
    pub label: String,
}

impl AtRisk {
    /// The locale key of the kind's name.
    pub fn kind_key(&self) -> &'static str {
        self.kind.label_key()
    }
}

/// The open items of one kind now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KindBoard {
    pub kind: WorkKind,
    pub open: i64,
    pub overdue: i64,
    pub near_breach: i64,
    pub by_age: Vec<AgeBucket>,
}

impl KindBoard {
    pub fn kind_key(&self) -> &'static str {
        self.kind.label_key()
    }
}

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
    /// The open callbacks (the same as their entry in `work`).
    pub callbacks: KindBoard,
    /// The open items of every kind.
    pub work: Vec<KindBoard>,
    /// Overdue first, then the least time left.
    pub at_risk: Vec<AtRisk>,
}

/// The board of a channel at this moment, with the parameters in force.
pub async fn now(store: &Store, channel: &str) -> Result<Wallboard, ReportError> {
    let kpi = super::settings::load(store).await?;
    snapshot(store, &kpi, channel, crate::clock::now()).await
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
    let waiting: Vec<Call> =
        store::calls::waiting(&mut conn, channel, since).await?.into_iter().map(Call::from_row).collect();
    let policy = sla::load(&mut conn).await?;
    let mut first_due = Vec::new();
    for kind in WorkKind::ALL {
        first_due.extend(store::work::open_with_due(&mut conn, kind.code(), SCANNED_PER_KIND).await?);
    }
    let younger_than = AGE_BOUNDS_H.map(|h| now - chrono::Duration::hours(h));
    let counts = store::work::open_counts(&mut conn, now, younger_than).await?;
    // An item is near its breach when it is due before its kind's warning time of open time has
    // passed on its hours; the latest such moment bounds the items to look at.
    let near_until = |kind: WorkKind, unit: Option<uuid::Uuid>| {
        let hours = match kind.clock_channel() {
            Some(channel) => policy.hours_for(channel, unit),
            None => policy.office_hours(unit),
        };
        hours.add_open_time(now, policy.target(kind.sla_target()).warning_s())
    };
    let teams: Vec<Option<uuid::Uuid>> =
        std::iter::once(None).chain(policy.team_hours.keys().copied().map(Some)).collect();
    let bounds: Vec<Option<DateTime<Utc>>> =
        WorkKind::ALL.iter().flat_map(|k| teams.iter().map(|t| near_until(*k, *t))).collect();
    // None: some hours never open, and everything due from now on is near.
    let latest = if bounds.iter().any(Option::is_none) { None } else { bounds.into_iter().flatten().max() };
    let upcoming = store::work::due_between(&mut conn, now, latest).await?;
    drop(conn);
    let mut near: HashMap<(WorkKind, Option<uuid::Uuid>), Option<DateTime<Utc>>> = HashMap::new();
    let mut near_breach: HashMap<WorkKind, i64> = HashMap::new();
    for (code, unit, due) in upcoming {
        let Some(kind) = WorkKind::of(&code) else { continue };
        let until = *near.entry((kind, unit)).or_insert_with(|| near_until(kind, unit));
        if until.is_none_or(|until| due < until) {
            *near_breach.entry(kind).or_default() += 1;
        }
    }
    let mut at_risk: Vec<AtRisk> = first_due
        .into_iter()
        .filter_map(|row| {
            let remaining = work::remaining(&policy, &row, now).filter(|r| r.overdue || r.near_breach)?;
            Some(AtRisk {
                kind: WorkKind::of(&row.kind)?,
                id: row.id,
                subject: row.action,
                holder: row.assignee_name,
                label: remaining.label(),
                remaining,
            })
        })
        .collect();
    at_risk.sort_by_key(|a| a.remaining.open_s);
    let work: Vec<KindBoard> = WorkKind::ALL
        .into_iter()
        .map(|kind| {
            let row = counts.iter().find(|c| c.kind == kind.code());
            let count = |f: fn(&store::work::OpenCountRow) -> i64| row.map_or(0, f);
            let open = count(|r| r.open);
            let younger =
                [count(|r| r.younger_than_first), count(|r| r.younger_than_second), count(|r| r.younger_than_third)];
            KindBoard {
                kind,
                open,
                overdue: count(|r| r.overdue),
                near_breach: near_breach.get(&kind).copied().unwrap_or(0),
                by_age: age_buckets([younger[0], younger[1] - younger[0], younger[2] - younger[1], open - younger[2]]),
            }
        })
        .collect();
    let callbacks = work.iter().find(|b| b.kind == WorkKind::Terugbelverzoek).cloned().expect("every kind has a board");
    at_risk.truncate(AT_RISK_SHOWN);
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
        callbacks,
        work,
        at_risk,
    })
}
