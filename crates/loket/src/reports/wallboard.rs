//! The wall board: today's figures for a channel, the calls waiting now, the open callbacks by
//! age and the items about to breach their target (callbacks, and follow-up tasks with a due
//! time), as one snapshot that the screen refreshes by server-sent events. It names no citizen:
//! subjects and holders only.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::ReportError;
use super::callbacks::{AgeBucket, open_by_age};
use super::service_level::{self, Definition, Group, Row, ServiceLevelRequest};
use super::settings::KpiSettings;
use crate::channels::Channel;
use crate::channels::telephony::Call;
use crate::sla::{self, Remaining, policy::CALLBACK};
use crate::store::callbacks::Scope;
use crate::store::{self, Store};
use crate::tasks::Task;

/// How many open callbacks the at-risk list looks at (the first due first).
const CALLBACKS_SCANNED: i64 = 1_000;
/// How many open tasks it looks at, the first due first: the list shows ten items, and a task
/// due later never has less time left than an earlier one on the same hours.
const TASKS_SCANNED: i64 = 100;
/// How many items at risk it lists.
const AT_RISK_SHOWN: usize = 10;

/// An open item past or near its due time.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AtRisk {
    pub kind: RiskKind,
    pub id: uuid::Uuid,
    pub subject: String,
    pub holder: String,
    pub remaining: Remaining,
    /// "nog 12 min", "5 min te laat".
    pub label: String,
}

/// What is at risk (e-mail and chat join when those channels arrive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RiskKind {
    Callback,
    Task,
}

impl AtRisk {
    /// The locale key of the kind's name.
    pub fn kind_key(&self) -> &'static str {
        match self.kind {
            RiskKind::Callback => "wallboard.kind.callback",
            RiskKind::Task => "wallboard.kind.task",
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CallbackBoard {
    pub open: i64,
    pub overdue: i64,
    pub near_breach: i64,
    pub by_age: Vec<AgeBucket>,
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
    pub callbacks: CallbackBoard,
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
    let open = store::callbacks::open(&mut conn, Scope::All, CALLBACKS_SCANNED).await?;
    let ages = store::callbacks::open_ages(&mut conn, None).await?;
    let tasks = store::tasks::open_with_due(&mut conn, TASKS_SCANNED).await?;
    drop(conn);
    let mut at_risk: Vec<AtRisk> = open
        .iter()
        .filter_map(|c| {
            let due = c.task.due_at?;
            let remaining = policy.remaining(CALLBACK, policy.hours_for(Channel::Telefoon, c.unit_id), due, now);
            (remaining.overdue || remaining.near_breach).then(|| AtRisk {
                kind: RiskKind::Callback,
                id: c.task.id,
                subject: c.subject.clone(),
                holder: c.task.assignee_name.clone(),
                label: remaining.label(),
                remaining,
            })
        })
        .collect();
    let near_breach = at_risk.iter().filter(|a| a.remaining.near_breach).count() as i64;
    at_risk.extend(tasks.into_iter().filter_map(|row| {
        let task = Task::from(row).with_remaining(&policy, now);
        let remaining = task.remaining.filter(|r| r.overdue || r.near_breach)?;
        Some(AtRisk {
            kind: RiskKind::Task,
            id: task.id,
            subject: task.action,
            holder: task.assignee.name,
            label: remaining.label(),
            remaining,
        })
    }));
    at_risk.sort_by_key(|a| a.remaining.open_s);
    // Counts and ages over every open callback; the at-risk list looks at the first due ones.
    let callbacks = CallbackBoard {
        open: ages.len() as i64,
        overdue: ages.iter().filter(|(_, due)| due.is_some_and(|d| d < now)).count() as i64,
        near_breach,
        by_age: open_by_age(ages.iter().map(|(created, _)| *created), now),
    };
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
        at_risk,
    })
}
