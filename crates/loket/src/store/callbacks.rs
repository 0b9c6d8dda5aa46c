//! SQL for callback requests (terugbelverzoeken): a task row of kind `terugbelverzoek`, its
//! callback row, and the attempts.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::tasks::{self, TaskRow};
use super::{Executor, StoreResult};
use crate::on_backend;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CallbackRow {
    #[sqlx(flatten)]
    pub task: TaskRow,
    pub phone: String,
    pub subject: String,
    pub window_from: Option<DateTime<Utc>>,
    pub window_to: Option<DateTime<Utc>>,
    pub unit_id: Option<Uuid>,
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
    pub task_id: Uuid,
    pub at: DateTime<Utc>,
    pub user_id: Uuid,
    pub user_name: String,
    pub result: String,
    pub note: String,
    pub contact_id: Option<Uuid>,
}

/// Task columns (unprefixed: the callback table has none of the same name), then the callback's.
fn select() -> String {
    format!(
        "SELECT {}, c.phone, c.subject, c.window_from, c.window_to, c.unit_id, c.attempts, c.next_attempt_at, \
         c.outcome, c.result_contact_id, p.display_name AS party_name \
         FROM tasks t JOIN callbacks c ON c.task_id = t.id LEFT JOIN parties p ON p.id = t.party_id",
        tasks::COLUMNS.split(", ").map(|c| format!("t.{c}")).collect::<Vec<_>>().join(", ")
    )
}

pub async fn insert(ex: &mut impl Executor, row: &CallbackRow) -> StoreResult<()> {
    tasks::insert(ex, &row.task).await?;
    on_backend!(ex, c => sqlx::query(
        "INSERT INTO callbacks (task_id, phone, subject, window_from, window_to, unit_id, attempts, next_attempt_at, \
         outcome, result_contact_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(row.task.id)
    .bind(&row.phone)
    .bind(&row.subject)
    .bind(row.window_from)
    .bind(row.window_to)
    .bind(row.unit_id)
    .bind(row.attempts)
    .bind(row.next_attempt_at)
    .bind(&row.outcome)
    .bind(row.result_contact_id)
    .execute(c)
    .await
    .map(|_| ()))?;
    Ok(())
}

/// One callback; on PostgreSQL the row is locked until the transaction ends, so two agents
/// logging an attempt at once take turns (SQLite has one writer already).
pub async fn find_for_update(ex: &mut impl Executor, id: Uuid) -> StoreResult<Option<CallbackRow>> {
    if let super::Exec::Postgres(c) = ex.exec() {
        sqlx::query("SELECT task_id FROM callbacks WHERE task_id = $1 FOR UPDATE").bind(id).execute(&mut *c).await?;
    }
    find(ex, id).await
}

pub async fn find(ex: &mut impl Executor, id: Uuid) -> StoreResult<Option<CallbackRow>> {
    let sql = format!("{} WHERE t.id = $1", select());
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(id).fetch_optional(c).await)?)
}

/// Callbacks by id (for the timeline), in no particular order.
pub async fn many(ex: &mut impl Executor, ids: &[Uuid]) -> StoreResult<Vec<CallbackRow>> {
    let select = format!("{} WHERE t.id IN (", select());
    super::fetch_by_ids(ex, &select, ids, "").await
}

/// Which open callbacks a list shows.
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    /// A team's queue: everything it holds, claimed or not.
    Team(Uuid),
    /// What one colleague has claimed or was given.
    Assignee(Uuid),
    /// Every open callback (the team lead's overview).
    All,
}

/// Open callbacks, the first due first.
pub async fn open(ex: &mut impl Executor, scope: Scope, limit: i64) -> StoreResult<Vec<CallbackRow>> {
    let filter = match scope {
        Scope::Team(_) => "AND c.unit_id = $2",
        Scope::Assignee(_) => "AND t.assignee_kind = 'medewerker' AND t.assignee_id = $2",
        Scope::All => "AND $2 IS NULL",
    };
    let id = match scope {
        Scope::Team(id) | Scope::Assignee(id) => Some(id),
        Scope::All => None,
    };
    let sql = format!(
        "{} WHERE t.status = 'te_verwerken' {filter} ORDER BY t.due_at IS NULL, t.due_at, t.created_at, t.id LIMIT $1",
        select()
    );
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(limit).bind(id).fetch_all(c).await)?)
}

/// Gives an open callback to someone else (a colleague, or back to a team's queue); false when
/// it was no longer open.
pub async fn assign(
    ex: &mut impl Executor,
    id: Uuid,
    kind: &str,
    assignee_id: Uuid,
    name: &str,
    unit_id: Option<Uuid>,
) -> StoreResult<bool> {
    let n = on_backend!(ex, c => sqlx::query(
        "UPDATE tasks SET assignee_kind = $2, assignee_id = $3, assignee_name = $4 WHERE id = $1 AND status = 'te_verwerken'",
    )
    .bind(id).bind(kind).bind(assignee_id).bind(name).execute(c).await.map(|r| r.rows_affected()))?;
    if n == 1 && unit_id.is_some() {
        on_backend!(ex, c => sqlx::query("UPDATE callbacks SET unit_id = $2 WHERE task_id = $1")
            .bind(id).bind(unit_id).execute(c).await.map(|_| ()))?;
    }
    Ok(n == 1)
}

pub async fn insert_attempt(ex: &mut impl Executor, a: &AttemptRow) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query(
        "INSERT INTO callback_attempts (id, task_id, at, user_id, user_name, result, note, contact_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(a.id).bind(a.task_id).bind(a.at).bind(a.user_id).bind(&a.user_name).bind(&a.result).bind(&a.note).bind(a.contact_id)
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
        "UPDATE callbacks SET attempts = $2, next_attempt_at = $3, outcome = $4, result_contact_id = $5 WHERE task_id = $1",
    )
    .bind(id).bind(attempts).bind(next_attempt_at).bind(outcome).bind(contact_id).execute(c).await.map(|_| ()))?;
    Ok(())
}

pub async fn attempts_of(ex: &mut impl Executor, ids: &[Uuid]) -> StoreResult<Vec<AttemptRow>> {
    let select = "SELECT id, task_id, at, user_id, user_name, result, note, contact_id FROM callback_attempts WHERE task_id IN (";
    super::fetch_by_ids(ex, select, ids, "ORDER BY at, id").await
}

/// Counts over one period `[from, to)`; `now` bounds what was due by now.
#[derive(Debug, Clone, Copy, Default, sqlx::FromRow)]
pub struct FigureRow {
    pub created: i64,
    pub completed: i64,
    pub reached: i64,
    pub attempts: i64,
    pub due: i64,
    pub on_time: i64,
}

/// What each callback figure counts, for `[$1, $2)` at the moment `$3`: the same conditions sum
/// the figures and select the callbacks behind them.
const CREATED: &str = "t.created_at >= $1 AND t.created_at < $2";
const COMPLETED: &str = "t.done_at >= $1 AND t.done_at < $2";
const REACHED: &str = "t.done_at >= $1 AND t.done_at < $2 AND c.outcome = 'bereikt'";
const DUE: &str = "t.due_at >= $1 AND t.due_at < $2 AND t.due_at <= $3";
const ON_TIME: &str =
    "t.due_at >= $1 AND t.due_at < $2 AND t.due_at <= $3 AND t.done_at IS NOT NULL AND t.done_at <= t.due_at";

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
            Counted::Created => CREATED,
            Counted::Completed => COMPLETED,
            Counted::Reached => REACHED,
            Counted::Due => DUE,
            Counted::OnTime => ON_TIME,
        }
    }
}

pub async fn figures(
    ex: &mut impl Executor,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    now: DateTime<Utc>,
    unit: Option<Uuid>,
) -> StoreResult<FigureRow> {
    let sum = |condition: &str, value: &str| format!("COALESCE(SUM(CASE WHEN {condition} THEN {value} ELSE 0 END), 0)");
    let sql = format!(
        "SELECT {} AS created, {} AS completed, {} AS reached, {} AS attempts, {} AS due, {} AS on_time \
         FROM tasks t JOIN callbacks c ON c.task_id = t.id \
         WHERE t.kind = 'terugbelverzoek' AND ($4 IS NULL OR c.unit_id = $4)",
        sum(CREATED, "1"),
        sum(COMPLETED, "1"),
        sum(REACHED, "1"),
        sum(COMPLETED, "c.attempts"),
        sum(DUE, "1"),
        sum(ON_TIME, "1"),
    );
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(from).bind(to).bind(now).bind(unit).fetch_one(c).await)?)
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
        "{} WHERE t.kind = 'terugbelverzoek' AND {} \
         AND ($4 IS NULL OR t.created_at > $4 OR (t.created_at = $4 AND t.id > $5)) \
         ORDER BY t.created_at, t.id LIMIT $6",
        select(),
        figure.condition()
    );
    let (at, id) = after.unzip();
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(from).bind(to).bind(now).bind(at).bind(id).bind(limit)
        .fetch_all(c).await)?)
}

/// When each open callback was requested and is due (for the age buckets).
pub async fn open_ages(
    ex: &mut impl Executor,
    unit: Option<Uuid>,
) -> StoreResult<Vec<(DateTime<Utc>, Option<DateTime<Utc>>)>> {
    let sql = "SELECT t.created_at, t.due_at FROM tasks t JOIN callbacks c ON c.task_id = t.id \
               WHERE t.kind = 'terugbelverzoek' AND t.status = 'te_verwerken' AND ($1 IS NULL OR c.unit_id = $1)";
    Ok(on_backend!(ex, c => sqlx::query_as(sql).bind(unit).fetch_all(c).await)?)
}
