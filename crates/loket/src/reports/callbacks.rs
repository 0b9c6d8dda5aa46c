//! Callback figures: created, closed, reached, due and on time in a period, attempts per
//! callback, and the open callbacks by age; and the callbacks behind each figure (drill-down).
//!
//! Rules:
//! - On time = callbacks completed before their due time / callbacks due in the period
//!   (docs/DOMAIN.md); a figure without anything to count is not applicable (none), not zero.
//! - Created, completed, due and on time are the work queue's figures of the kind
//!   `terugbelverzoek` (`store::work`); reached and attempts are the callback's own.
//! - Each figure and its list come from one SQL condition per figure, so
//!   the list is exactly as long as the figure; a page that lists callbacks is in the audit log
//!   (purpose rapportage) and shows the work, never the citizen's name or number.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::audit::{self, AuditAction, AuditEvent, Purpose};
use crate::clock;
use crate::store::callbacks::ReachRow;
use crate::store::work::FigureRow;
use crate::store::{self, Executor, Store, StoreError};
use crate::validation::{Checks, FieldError};
use crate::work::WorkKind;

/// Callback figures over a period (docs/DOMAIN.md: on time = completed before their due time / due).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Figures {
    pub created: i64,
    /// Closed in the period, with any outcome.
    pub completed: i64,
    pub reached: i64,
    /// Callbacks due in the period (and by now).
    pub due: i64,
    /// Of those due, closed at or before their due time.
    pub on_time: i64,
    /// on_time / due; null when nothing was due.
    pub on_time_rate: Option<f64>,
    /// Attempts per callback closed in the period; null when none closed.
    pub attempts_per_callback: Option<f64>,
    /// Open callbacks now, by age since they were requested.
    pub open_by_age: Vec<AgeBucket>,
    /// Open callbacks past their due time now.
    pub open_overdue: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgeBucket {
    /// Dutch label, e.g. "4–24 uur".
    pub label: &'static str,
    pub count: i64,
}

/// The age buckets of open callbacks, in hours (upper bound exclusive; the last is open).
const AGE_BUCKETS: [(i64, &str); 4] = [(4, "< 4 uur"), (24, "4–24 uur"), (72, "1–3 dagen"), (i64::MAX, "> 3 dagen")];

/// Open callbacks counted by how long ago they were requested.
pub(crate) fn open_by_age(created: impl Iterator<Item = DateTime<Utc>>, now: DateTime<Utc>) -> Vec<AgeBucket> {
    let mut counts = [0i64; AGE_BUCKETS.len()];
    for at in created {
        let hours = (now - at).num_hours();
        let bucket = AGE_BUCKETS.iter().position(|(max, _)| hours < *max).unwrap_or(AGE_BUCKETS.len() - 1);
        counts[bucket] += 1;
    }
    age_buckets(counts)
}

/// The upper bounds of the closed age buckets, in hours (for counting them in SQL).
pub(crate) const AGE_BOUNDS_H: [i64; 3] = [AGE_BUCKETS[0].0, AGE_BUCKETS[1].0, AGE_BUCKETS[2].0];

/// Counts per age bucket, in the buckets' order, with their labels.
pub(crate) fn age_buckets(counts: [i64; AGE_BUCKETS.len()]) -> Vec<AgeBucket> {
    AGE_BUCKETS.iter().zip(counts).map(|((_, label), count)| AgeBucket { label, count }).collect()
}

pub(crate) fn figures_from(
    row: FigureRow,
    reach: ReachRow,
    open: &[(DateTime<Utc>, Option<DateTime<Utc>>)],
    now: DateTime<Utc>,
) -> Figures {
    let ratio = |a: i64, b: i64| (b > 0).then(|| a as f64 / b as f64);
    Figures {
        created: row.created,
        completed: row.completed,
        reached: reach.reached,
        due: row.due,
        on_time: row.on_time,
        on_time_rate: ratio(row.on_time, row.due),
        attempts_per_callback: ratio(reach.attempts, row.completed),
        open_by_age: open_by_age(open.iter().map(|(created, _)| *created), now),
        open_overdue: open.iter().filter(|(_, due)| due.is_some_and(|d| d < now)).count() as i64,
    }
}

/// Callback figures for `[from, to)`, for one team or all.
pub async fn figures(
    ex: &mut impl Executor,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    unit: Option<Uuid>,
) -> Result<Figures, StoreError> {
    let now = clock::now();
    let kind = WorkKind::Terugbelverzoek.code();
    let row = store::work::figures(ex, kind, from, to, now, unit).await?;
    let reach = store::callbacks::reach(ex, from, to, unit).await?;
    let open: Vec<_> = store::work::open_ages(ex, Some(kind), unit)
        .await?
        .into_iter()
        .map(|(_, created, due)| (created, due))
        .collect();
    Ok(figures_from(row, reach, &open, now))
}

/// A callback figure whose callbacks can be listed (drill-down).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = CallbackFigure)]
pub enum Figure {
    Created,
    Completed,
    Reached,
    Due,
    OnTime,
}

impl Figure {
    pub const ALL: [Figure; 5] = [Figure::Created, Figure::Completed, Figure::Reached, Figure::Due, Figure::OnTime];

    /// The same names as the figures' fields.
    pub fn id(self) -> &'static str {
        match self {
            Figure::Created => "created",
            Figure::Completed => "completed",
            Figure::Reached => "reached",
            Figure::Due => "due",
            Figure::OnTime => "on_time",
        }
    }

    /// Default: created.
    pub fn parse(s: Option<&str>) -> Result<Figure, FieldError> {
        match s.map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(Figure::Created),
            Some(s) => Figure::ALL.into_iter().find(|f| f.id() == s).ok_or_else(|| {
                FieldError::new("figure", "unknown_figure", "Kies created, completed, reached, due of on_time.")
            }),
        }
    }

    fn counted(self) -> store::callbacks::Counted {
        use store::callbacks::Counted;
        match self {
            Figure::Created => Counted::Created,
            Figure::Completed => Counted::Completed,
            Figure::Reached => Counted::Reached,
            Figure::Due => Counted::Due,
            Figure::OnTime => Counted::OnTime,
        }
    }

    fn of(self, f: &FigureRow, reach: &ReachRow) -> i64 {
        match self {
            Figure::Created => f.created,
            Figure::Completed => f.completed,
            Figure::Reached => reach.reached,
            Figure::Due => f.due,
            Figure::OnTime => f.on_time,
        }
    }
}

/// The callbacks behind a figure, as asked: the report's days, the figure, the page.
#[derive(Debug, Default, Clone, Deserialize, Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct ItemsQuery {
    /// First day, YYYY-MM-DD (local); default the first of this month.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Last day, YYYY-MM-DD (local), included; default today.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// created (default), completed, reached, due or on_time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub figure: Option<String>,
    /// Where the page starts: the `next` of the previous page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// Callbacks per page, 1–1000 (default 100).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<String>,
}

#[derive(Debug, Clone, Copy)]
pub struct ItemsRequest {
    pub figure: Figure,
    /// The local days `from`–`to` as instants, `[from, to)`.
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub after: Option<(DateTime<Utc>, Uuid)>,
    pub limit: usize,
}

impl ItemsRequest {
    pub fn parse(
        q: &ItemsQuery,
        default_from: chrono::NaiveDate,
        default_to: chrono::NaiveDate,
    ) -> Result<ItemsRequest, Vec<FieldError>> {
        let mut checks = Checks::default();
        let period = match super::service_level::parse_period(&q.from, &q.to, default_from, default_to) {
            Ok(p) => Some(p),
            Err(errors) => {
                errors.into_iter().for_each(|e| checks.push(e));
                None
            }
        };
        let figure = checks.take("figure", Figure::parse(q.figure.as_deref()));
        let after = checks.take("after", super::parse_cursor(q.after.as_deref()));
        let limit = checks.take("limit", super::parse_limit(q.limit.as_deref()));
        checks.finish()?;
        match (period, figure, after, limit) {
            (Some((from, to)), Some(figure), Some(after), Some(limit)) => {
                let midnight = |d| super::service_level::local_midnight(chrono_tz::Europe::Amsterdam, d);
                Ok(ItemsRequest { figure, from: midnight(from), to: midnight(to + Duration::days(1)), after, limit })
            }
            _ => unreachable!("every field passed its check"),
        }
    }
}

/// One callback behind a figure: the work, not the citizen (no name or number; the customer's
/// page is a link away, guarded and logged on its own).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CallbackItem {
    pub id: Uuid,
    pub subject: String,
    pub created_at: DateTime<Utc>,
    pub due_at: Option<DateTime<Utc>>,
    pub done_at: Option<DateTime<Utc>>,
    /// bereikt or niet_bereikt once closed.
    pub outcome: Option<String>,
    pub attempts: u32,
    pub holder: String,
    pub party_id: Option<Uuid>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CallbackItems {
    /// `/kpi#callback_on_time`
    pub definition: &'static str,
    pub figure: Figure,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// The figure itself, as the report counts it.
    pub total: i64,
    /// This page, in order of request.
    pub items: Vec<CallbackItem>,
    /// Where the next page starts (`after`); null on the last page.
    pub next: Option<String>,
}

/// The callbacks a figure of `[from, to)` counts, by the figure's own conditions, a page at a
/// time. A page that lists callbacks is written to the audit log.
pub async fn behind(store: &Store, actor: &audit::Actor, request: &ItemsRequest) -> Result<CallbackItems, StoreError> {
    let ItemsRequest { figure, from, to, after, limit } = *request;
    let now = clock::now();
    let mut conn = store.acquire().await?;
    // The figure and its list at the same moment, so "due by now" is one set.
    let kind = WorkKind::Terugbelverzoek.code();
    let row = store::work::figures(&mut conn, kind, from, to, now, None).await?;
    let reach = store::callbacks::reach(&mut conn, from, to, None).await?;
    let total = figure.of(&row, &reach);
    // One more than the page, to know whether another page follows.
    let wanted = i64::try_from(limit).unwrap_or(i64::MAX - 1) + 1;
    let mut rows = store::callbacks::counted(&mut conn, figure.counted(), from, to, now, after, wanted).await?;
    drop(conn);
    let more = rows.len() > limit;
    rows.truncate(limit);
    let next = more.then(|| rows.last().map(|r| super::cursor(r.item.created_at, r.item.id))).flatten();
    let items: Vec<CallbackItem> = rows
        .into_iter()
        .map(|r| CallbackItem {
            id: r.item.id,
            subject: r.subject,
            created_at: r.item.created_at,
            due_at: r.item.due_at,
            done_at: r.item.done_at,
            outcome: r.outcome,
            attempts: u32::try_from(r.attempts).unwrap_or(0),
            holder: r.item.assignee_name,
            party_id: r.item.party_id,
        })
        .collect();
    if !items.is_empty() {
        let shown: Vec<String> = items.iter().map(|i| i.id.to_string()).collect();
        let detail = serde_json::json!({"figure": figure.id(), "from": from, "to": to, "callbacks": shown});
        let event = AuditEvent::new(AuditAction::CallbacksListed, "callback", None).purpose(Purpose::Reporting);
        audit::record_now(store, actor, event.detail(detail)).await?;
    }
    Ok(CallbackItems { definition: "/kpi#callback_on_time", figure, from, to, total, items, next })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_without_anything_due_or_closed_are_not_applicable_rather_than_zero() {
        let f = figures_from(FigureRow::default(), ReachRow::default(), &[], clock::now());
        assert_eq!(f.on_time_rate, None);
        assert_eq!(f.attempts_per_callback, None);
        assert!(f.open_by_age.iter().all(|b| b.count == 0));
    }

    #[test]
    fn open_callbacks_fall_into_age_buckets_and_count_as_overdue_past_their_due_time() {
        let now = clock::now();
        let open = [
            (now - Duration::hours(1), Some(now + Duration::hours(1))),
            (now - Duration::hours(5), Some(now - Duration::minutes(1))),
            (now - Duration::hours(30), None),
            (now - Duration::days(10), Some(now - Duration::days(9))),
        ];
        let row = FigureRow { created: 4, completed: 2, due: 4, on_time: 3 };
        let f = figures_from(row, ReachRow { reached: 1, attempts: 5 }, &open, now);
        let counts: Vec<i64> = f.open_by_age.iter().map(|b| b.count).collect();
        assert_eq!(counts, [1, 1, 1, 1]);
        assert_eq!(f.open_overdue, 2);
        assert_eq!(f.on_time_rate, Some(0.75));
        assert_eq!(f.attempts_per_callback, Some(2.5));
    }
}
