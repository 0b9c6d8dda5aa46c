//! SQL for work items (werkvoorraad): every kind's common row, the queues, the history and
//! the counts behind the figures. A kind with details of its own (callbacks) keeps them in a
//! table beside this one.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Executor, StoreResult};
use crate::on_backend;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WorkItemRow {
    pub id: Uuid,
    pub kind: String,
    pub channel: Option<String>,
    pub contact_id: Option<Uuid>,
    pub party_id: Option<Uuid>,
    pub action: String,
    pub explanation: String,
    pub assignee_kind: String,
    pub assignee_id: Option<Uuid>,
    pub assignee_name: String,
    /// The team whose queue holds it.
    pub unit_id: Option<Uuid>,
    pub status: String,
    pub due_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub done_at: Option<DateTime<Utc>>,
    pub done_by: Option<String>,
    pub result: String,
}

pub(crate) const COLUMNS: &str = "id, kind, channel, contact_id, party_id, action, explanation, assignee_kind, \
     assignee_id, assignee_name, unit_id, status, due_at, created_at, created_by, done_at, done_by, result";

/// The columns with a table alias (for joins with a kind's own table).
pub(crate) fn columns_of(alias: &str) -> String {
    COLUMNS.split(", ").map(|c| format!("{alias}.{c}")).collect::<Vec<_>>().join(", ")
}

pub async fn insert(ex: &mut impl Executor, w: &WorkItemRow) -> StoreResult<()> {
    let sql = format!(
        "INSERT INTO work_items ({COLUMNS}) VALUES \
         ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)"
    );
    on_backend!(ex, c => sqlx::query(&sql)
        .bind(w.id)
        .bind(&w.kind)
        .bind(&w.channel)
        .bind(w.contact_id)
        .bind(w.party_id)
        .bind(&w.action)
        .bind(&w.explanation)
        .bind(&w.assignee_kind)
        .bind(w.assignee_id)
        .bind(&w.assignee_name)
        .bind(w.unit_id)
        .bind(&w.status)
        .bind(w.due_at)
        .bind(w.created_at)
        .bind(&w.created_by)
        .bind(w.done_at)
        .bind(&w.done_by)
        .bind(&w.result)
        .execute(c)
        .await
        .map(|_| ()))?;
    Ok(())
}

pub async fn find(ex: &mut impl Executor, id: Uuid) -> StoreResult<Option<WorkItemRow>> {
    let sql = format!("SELECT {COLUMNS} FROM work_items WHERE id = $1");
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(id).fetch_optional(c).await)?)
}

/// One item; on PostgreSQL the row is locked until the transaction ends, so two colleagues
/// claiming or working it at once take turns (SQLite has one writer already).
pub async fn find_for_update(ex: &mut impl Executor, id: Uuid) -> StoreResult<Option<WorkItemRow>> {
    if let super::Exec::Postgres(c) = ex.exec() {
        sqlx::query("SELECT id FROM work_items WHERE id = $1 FOR UPDATE").bind(id).execute(&mut *c).await?;
    }
    find(ex, id).await
}

/// Items by id, newest first.
pub async fn many(ex: &mut impl Executor, ids: &[Uuid]) -> StoreResult<Vec<WorkItemRow>> {
    let select = format!("SELECT {COLUMNS} FROM work_items WHERE id IN (");
    super::fetch_by_ids(ex, &select, ids, "ORDER BY created_at DESC, id DESC").await
}

/// Marks an item done; false when it was not open (already done, or no such item).
pub async fn complete(
    ex: &mut impl Executor,
    id: Uuid,
    at: DateTime<Utc>,
    by: &str,
    result: &str,
) -> StoreResult<bool> {
    let n = on_backend!(ex, c => sqlx::query(
        "UPDATE work_items SET status = 'verwerkt', done_at = $2, done_by = $3, result = $4 \
         WHERE id = $1 AND status = 'te_verwerken'",
    )
    .bind(id)
    .bind(at)
    .bind(by)
    .bind(result)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Changes what an open item asks and its explanation; false when it was no longer open.
pub async fn set_text(ex: &mut impl Executor, id: Uuid, action: &str, explanation: &str) -> StoreResult<bool> {
    let n = on_backend!(ex, c => sqlx::query(
        "UPDATE work_items SET action = $2, explanation = $3 WHERE id = $1 AND status = 'te_verwerken'",
    )
    .bind(id).bind(action).bind(explanation).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Deletes an item and its history; false when there was no such item.
pub async fn delete(ex: &mut impl Executor, id: Uuid) -> StoreResult<bool> {
    on_backend!(ex, c => sqlx::query("DELETE FROM work_item_events WHERE work_item_id = $1")
        .bind(id).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    let n = on_backend!(ex, c => sqlx::query("DELETE FROM work_items WHERE id = $1")
        .bind(id).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Gives an open item to someone else (a colleague, or back to a team's queue), and moves it to
/// the queue `unit_id` when given; false when it was no longer open.
pub async fn assign(
    ex: &mut impl Executor,
    id: Uuid,
    kind: &str,
    assignee_id: Uuid,
    name: &str,
    unit_id: Option<Uuid>,
) -> StoreResult<bool> {
    let n = on_backend!(ex, c => sqlx::query(
        "UPDATE work_items SET assignee_kind = $2, assignee_id = $3, assignee_name = $4, unit_id = COALESCE($5, unit_id) \
         WHERE id = $1 AND status = 'te_verwerken'",
    )
    .bind(id).bind(kind).bind(assignee_id).bind(name).bind(unit_id).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

pub async fn of_party(ex: &mut impl Executor, party_id: Uuid, limit: i64) -> StoreResult<Vec<WorkItemRow>> {
    let sql =
        format!("SELECT {COLUMNS} FROM work_items WHERE party_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2");
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(party_id).bind(limit).fetch_all(c).await)?)
}

/// Which open items a list shows.
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    /// A team's queue: everything it holds, claimed or not.
    Team(Uuid),
    /// What one colleague has claimed or was given.
    Assignee(Uuid),
    /// What is addressed to a colleague or to one of their teams (a follow-up's worklist).
    AssigneeOrTeam(Uuid, Option<Uuid>),
    /// Every open item (the team lead's overview).
    All,
}

impl Scope {
    /// The SQL condition on alias `w`, with its two parameters at `$n` and `$n+1`.
    pub(crate) fn condition(self, n: usize) -> (String, Option<Uuid>, Option<Uuid>) {
        let (a, b) = (n, n + 1);
        match self {
            Scope::Team(unit) => (format!("w.unit_id = ${a} AND ${b} IS NULL"), Some(unit), None),
            Scope::Assignee(user) => {
                (format!("w.assignee_kind = 'medewerker' AND w.assignee_id = ${a} AND ${b} IS NULL"), Some(user), None)
            }
            Scope::AssigneeOrTeam(user, unit) => (format!("w.assignee_id IN (${a}, ${b})"), Some(user), unit),
            Scope::All => (format!("${a} IS NULL AND ${b} IS NULL"), None, None),
        }
    }
}

/// Open items of one kind (or every kind), the first due first.
pub async fn open(
    ex: &mut impl Executor,
    scope: Scope,
    kind: Option<&str>,
    channel: Option<&str>,
    limit: i64,
) -> StoreResult<Vec<WorkItemRow>> {
    let (condition, a, b) = scope.condition(4);
    let sql = format!(
        "SELECT {} FROM work_items w WHERE w.status = 'te_verwerken' AND ($2 IS NULL OR w.kind = $2) \
         AND ($3 IS NULL OR w.channel = $3) AND {condition} \
         ORDER BY w.due_at IS NULL, w.due_at, w.created_at, w.id LIMIT $1",
        columns_of("w")
    );
    Ok(
        on_backend!(ex, c => sqlx::query_as(&sql).bind(limit).bind(kind).bind(channel).bind(a).bind(b).fetch_all(c).await)?,
    )
}

/// Open items of one kind with a due time, the first due first (the wall board's items at
/// risk); ordered as the partial index `work_items_open_due` is, so only the first are read.
pub async fn open_with_due(ex: &mut impl Executor, kind: &str, limit: i64) -> StoreResult<Vec<WorkItemRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM work_items WHERE status = 'te_verwerken' AND due_at IS NOT NULL AND kind = $2 \
         ORDER BY due_at, id LIMIT $1"
    );
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(limit).bind(kind).fetch_all(c).await)?)
}

/// When each open item was created and is due, with its kind (for the age buckets per kind).
pub async fn open_ages(
    ex: &mut impl Executor,
    kind: Option<&str>,
    unit: Option<Uuid>,
) -> StoreResult<Vec<(String, DateTime<Utc>, Option<DateTime<Utc>>)>> {
    let sql = "SELECT kind, created_at, due_at FROM work_items \
               WHERE status = 'te_verwerken' AND ($1 IS NULL OR kind = $1) AND ($2 IS NULL OR unit_id = $2)";
    Ok(on_backend!(ex, c => sqlx::query_as(sql).bind(kind).bind(unit).fetch_all(c).await)?)
}

/// The open items of one kind, counted: overdue at `now`, and by age (created after each of
/// `younger_than`, the newest bound first).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OpenCountRow {
    pub kind: String,
    pub open: i64,
    pub overdue: i64,
    pub younger_than_first: i64,
    pub younger_than_second: i64,
    pub younger_than_third: i64,
}

pub async fn open_counts(
    ex: &mut impl Executor,
    now: DateTime<Utc>,
    younger_than: [DateTime<Utc>; 3],
) -> StoreResult<Vec<OpenCountRow>> {
    let sql = format!(
        "SELECT kind, COUNT(*) AS open, {} AS overdue, {} AS younger_than_first, {} AS younger_than_second, \
         {} AS younger_than_third FROM work_items w WHERE status = 'te_verwerken' GROUP BY kind",
        sum("w.due_at < $1", "1"),
        sum("w.created_at > $2", "1"),
        sum("w.created_at > $3", "1"),
        sum("w.created_at > $4", "1"),
    );
    let [a, b, c3] = younger_than;
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(now).bind(a).bind(b).bind(c3).fetch_all(c).await)?)
}

/// Kind, queue team and due time of the open items due in `[from, to)` (`to` none: no end),
/// for counting those near their breach.
pub async fn due_between(
    ex: &mut impl Executor,
    from: DateTime<Utc>,
    to: Option<DateTime<Utc>>,
) -> StoreResult<Vec<(String, Option<Uuid>, DateTime<Utc>)>> {
    let sql = "SELECT kind, unit_id, due_at FROM work_items \
               WHERE status = 'te_verwerken' AND due_at >= $1 AND ($2 IS NULL OR due_at < $2)";
    Ok(on_backend!(ex, c => sqlx::query_as(sql).bind(from).bind(to).fetch_all(c).await)?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRow {
    pub work_item_id: Uuid,
    pub at: DateTime<Utc>,
    pub action: String,
    pub actor_name: String,
    pub actor_id: Option<Uuid>,
    pub note: String,
}

pub async fn insert_event(ex: &mut impl Executor, e: &EventRow) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query(
        "INSERT INTO work_item_events (work_item_id, at, action, actor_name, actor_id, note) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(e.work_item_id).bind(e.at).bind(&e.action).bind(&e.actor_name).bind(e.actor_id).bind(&e.note)
    .execute(c).await.map(|_| ()))?;
    Ok(())
}

/// The history of these items, oldest first.
pub async fn events_of(ex: &mut impl Executor, ids: &[Uuid]) -> StoreResult<Vec<EventRow>> {
    let select =
        "SELECT work_item_id, at, action, actor_name, actor_id, note FROM work_item_events WHERE work_item_id IN (";
    super::fetch_by_ids(ex, select, ids, "ORDER BY at, id").await
}

/// Counts over one period `[from, to)`; `now` bounds what was due by now.
#[derive(Debug, Clone, Copy, Default, sqlx::FromRow)]
pub struct FigureRow {
    pub created: i64,
    pub completed: i64,
    pub due: i64,
    pub on_time: i64,
}

/// What each figure counts, on alias `w`, for `[$1, $2)` at the moment `$3`: the same conditions
/// sum the figures and select the items behind them.
pub(crate) const CREATED: &str = "w.created_at >= $1 AND w.created_at < $2";
pub(crate) const COMPLETED: &str = "w.done_at >= $1 AND w.done_at < $2";
pub(crate) const DUE: &str = "w.due_at >= $1 AND w.due_at < $2 AND w.due_at <= $3";
pub(crate) const ON_TIME: &str =
    "w.due_at >= $1 AND w.due_at < $2 AND w.due_at <= $3 AND w.done_at IS NOT NULL AND w.done_at <= w.due_at";

pub(crate) fn sum(condition: &str, value: &str) -> String {
    format!("COALESCE(SUM(CASE WHEN {condition} THEN {value} ELSE 0 END), 0)")
}

/// The figures of one kind for `[from, to)`, for one team's queue or all.
pub async fn figures(
    ex: &mut impl Executor,
    kind: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    now: DateTime<Utc>,
    unit: Option<Uuid>,
) -> StoreResult<FigureRow> {
    let sql = format!(
        "SELECT {} AS created, {} AS completed, {} AS due, {} AS on_time FROM work_items w \
         WHERE w.kind = $5 AND ($4 IS NULL OR w.unit_id = $4)",
        sum(CREATED, "1"),
        sum(COMPLETED, "1"),
        sum(DUE, "1"),
        sum(ON_TIME, "1"),
    );
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(from).bind(to).bind(now).bind(unit).bind(kind)
        .fetch_one(c).await)?)
}
