//! SQL for callback requests (terugbelverzoeken): a work item of kind `terugbelverzoek`, its
//! callback row (number, window, attempts, outcome), and the attempts.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::work::{self, WorkItemRow};
use super::{Executor, StoreResult};
use crate::on_backend;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CallbackRow {
    #[sqlx(flatten)]
    pub item: WorkItemRow,
    pub phone: String,
    pub subject: String,
    pub window_from: Option<DateTime<Utc>>,
    pub window_to: Option<DateTime<Utc>>,
    pub attempts: i32,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub outcome: Option<String>,
    pub result_contact_id: Option<Uuid>,
    /// The party's name, for the queue (not stored with the callback).
    #[sqlx(default)]
    pub party_name: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttemptRow {
    pub id: Uuid,
    pub work_item_id: Uuid,
    pub at: DateTime<Utc>,
    pub user_id: Uuid,
    pub user_name: String,
    pub result: String,
    pub note: String,
    pub contact_id: Option<Uuid>,
}

/// The work item's columns, then the callback's.
fn select() -> String {
    format!(
        "SELECT {}, c.phone, c.subject, c.window_from, c.window_to, c.attempts, c.next_attempt_at, \
         c.outcome, c.result_contact_id, p.display_name AS party_name \
         FROM work_items w JOIN callbacks c ON c.work_item_id = w.id LEFT JOIN parties p ON p.id = w.party_id",
        work::columns_of("w")
    )
}

pub async fn insert(ex: &mut impl Executor, row: &CallbackRow) -> StoreResult<()> {
    work::insert(ex, &row.item).await?;
    on_backend!(ex, c => sqlx::query(
        "INSERT INTO callbacks (work_item_id, phone, subject, window_from, window_to, attempts, next_attempt_at, \
         outcome, result_contact_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(row.item.id)
    .bind(&row.phone)
    .bind(&row.subject)
    .bind(row.window_from)
    .bind(row.window_to)
    .bind(row.attempts)
    .bind(row.next_attempt_at)
    .bind(&row.outcome)
    .bind(row.result_contact_id)
    .execute(c)
    .await
    .map(|_| ()))?;
    Ok(())
}

/// One callback; on PostgreSQL its work item is locked until the transaction ends, so two
/// agents logging an attempt at once take turns (SQLite has one writer already).
pub async fn find_for_update(ex: &mut impl Executor, id: Uuid) -> StoreResult<Option<CallbackRow>> {
    if let super::Exec::Postgres(c) = ex.exec() {
        sqlx::query("SELECT id FROM work_items WHERE id = $1 FOR UPDATE").bind(id).execute(&mut *c).await?;
    }
    find(ex, id).await
}

pub async fn find(ex: &mut impl Executor, id: Uuid) -> StoreResult<Option<CallbackRow>> {
    let sql = format!("{} WHERE w.id = $1", select());
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(id).fetch_optional(c).await)?)
}

/// Callbacks by id (for the timeline and the queues), in no particular order.
pub async fn many(ex: &mut impl Executor, ids: &[Uuid]) -> StoreResult<Vec<CallbackRow>> {
    let select = format!("{} WHERE w.id IN (", select());
    super::fetch_by_ids(ex, &select, ids, "").await
}

/// Open callbacks in a queue, the first due first.
pub async fn open(ex: &mut impl Executor, scope: work::Scope, limit: i64) -> StoreResult<Vec<CallbackRow>> {
    let (condition, a, b) = scope.condition(2);
    let sql = format!(
        "{} WHERE w.status = 'te_verwerken' AND {condition} ORDER BY w.due_at IS NULL, w.due_at, w.created_at, w.id LIMIT $1",
        select()
    );
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(limit).bind(a).bind(b).fetch_all(c).await)?)
}

pub async fn insert_attempt(ex: &mut impl Executor, a: &AttemptRow) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query(
        "INSERT INTO callback_attempts (id, work_item_id, at, user_id, user_name, result, note, contact_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(a.id).bind(a.work_item_id).bind(a.at).bind(a.user_id).bind(&a.user_name).bind(&a.result).bind(&a.note).bind(a.contact_id)
    .execute(c).await.map(|_| ()))?;
    Ok(())
}

/// After an attempt: the count, when the next may be made, and (when it ends here) the outcome
/// and the contact it became.
pub async fn after_attempt(
    ex: &mut impl Executor,
    id: Uuid,
    attempts: i32,
    next_attempt_at: Option<DateTime<Utc>>,
    outcome: Option<&str>,
    contact_id: Option<Uuid>,
) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query(
        "UPDATE callbacks SET attempts = $2, next_attempt_at = $3, outcome = $4, result_contact_id = $5 WHERE work_item_id = $1",
    )
    .bind(id).bind(attempts).bind(next_attempt_at).bind(outcome).bind(contact_id).execute(c).await.map(|_| ()))?;
    Ok(())
}

pub async fn attempts_of(ex: &mut impl Executor, ids: &[Uuid]) -> StoreResult<Vec<AttemptRow>> {
    let select = "SELECT id, work_item_id, at, user_id, user_name, result, note, contact_id FROM callback_attempts \
                  WHERE work_item_id IN (";
    super::fetch_by_ids(ex, select, ids, "ORDER BY at, id").await
}

/// What only callbacks count, over one period `[from, to)`.
#[derive(Debug, Clone, Copy, Default, sqlx::FromRow)]
pub struct ReachRow {
    pub reached: i64,
    /// Attempts of the callbacks closed in the period.
    pub attempts: i64,
}

/// Closed as reached in `[$1, $2)`, on the work item's alias `w` and the callback's `c`.
const REACHED: &str = "w.done_at >= $1 AND w.done_at < $2 AND c.outcome = 'bereikt'";

/// A callback figure whose callbacks can be listed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counted {
    Created,
    Completed,
    Reached,
    Due,
    OnTime,
}

impl Counted {
    fn condition(self) -> &'static str {
        match self {
            Counted::Created => work::CREATED,
            Counted::Completed => work::COMPLETED,
            Counted::Reached => REACHED,
            Counted::Due => work::DUE,
            Counted::OnTime => work::ON_TIME,
        }
    }
}

pub async fn reach(
    ex: &mut impl Executor,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    unit: Option<Uuid>,
) -> StoreResult<ReachRow> {
    let sql = format!(
        "SELECT {} AS reached, {} AS attempts FROM work_items w JOIN callbacks c ON c.work_item_id = w.id \
         WHERE ($3 IS NULL OR w.unit_id = $3)",
        work::sum(REACHED, "1"),
        work::sum(work::COMPLETED, "c.attempts"),
    );
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(from).bind(to).bind(unit).fetch_one(c).await)?)
}

/// The callbacks a figure counts, in order of request, after `(created_at, id)` when given.
pub async fn counted(
    ex: &mut impl Executor,
    figure: Counted,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    now: DateTime<Utc>,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> StoreResult<Vec<CallbackRow>> {
    let sql = format!(
        "{} WHERE {} AND ($4 IS NULL OR w.created_at > $4 OR (w.created_at = $4 AND w.id > $5)) \
         ORDER BY w.created_at, w.id LIMIT $6",
        select(),
        figure.condition()
    );
    let (at, id) = after.unzip();
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(from).bind(to).bind(now).bind(at).bind(id).bind(limit)
        .fetch_all(c).await)?)
}
