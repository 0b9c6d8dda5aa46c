//! SQL for internal tasks (interne taken).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Executor, StoreResult};
use crate::on_backend;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TaskRow {
    pub id: Uuid,
    pub kind: String,
    pub contact_id: Option<Uuid>,
    pub party_id: Option<Uuid>,
    pub action: String,
    pub explanation: String,
    pub assignee_kind: String,
    pub assignee_id: Option<Uuid>,
    pub assignee_name: String,
    pub status: String,
    pub due_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub done_at: Option<DateTime<Utc>>,
    pub done_by: Option<String>,
    pub result: String,
}

pub(crate) const COLUMNS: &str = "id, kind, contact_id, party_id, action, explanation, assignee_kind, assignee_id, assignee_name, \
     status, due_at, created_at, created_by, done_at, done_by, result";

pub async fn insert(ex: &mut impl Executor, t: &TaskRow) -> StoreResult<()> {
    let sql = format!(
        "INSERT INTO tasks ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
    );
    on_backend!(ex, c => sqlx::query(&sql)
        .bind(t.id)
        .bind(&t.kind)
        .bind(t.contact_id)
        .bind(t.party_id)
        .bind(&t.action)
        .bind(&t.explanation)
        .bind(&t.assignee_kind)
        .bind(t.assignee_id)
        .bind(&t.assignee_name)
        .bind(&t.status)
        .bind(t.due_at)
        .bind(t.created_at)
        .bind(&t.created_by)
        .bind(t.done_at)
        .bind(&t.done_by)
        .bind(&t.result)
        .execute(c)
        .await
        .map(|_| ()))?;
    Ok(())
}

pub async fn find(ex: &mut impl Executor, id: Uuid) -> StoreResult<Option<TaskRow>> {
    let sql = format!("SELECT {COLUMNS} FROM tasks WHERE id = $1");
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(id).fetch_optional(c).await)?)
}

/// Marks a task done; false when it was not open (already done, or no such task).
pub async fn complete(
    ex: &mut impl Executor,
    id: Uuid,
    at: DateTime<Utc>,
    by: &str,
    result: &str,
) -> StoreResult<bool> {
    let n = on_backend!(ex, c => sqlx::query(
        "UPDATE tasks SET status = 'verwerkt', done_at = $2, done_by = $3, result = $4 WHERE id = $1 AND status = 'te_verwerken'",
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

pub async fn of_party(ex: &mut impl Executor, party_id: Uuid, limit: i64) -> StoreResult<Vec<TaskRow>> {
    let sql = format!("SELECT {COLUMNS} FROM tasks WHERE party_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2");
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(party_id).bind(limit).fetch_all(c).await)?)
}

/// Open follow-up tasks with a due time, the first due first (the wall board's items at risk).
pub async fn open_with_due(ex: &mut impl Executor, limit: i64) -> StoreResult<Vec<TaskRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM tasks WHERE status = 'te_verwerken' AND kind = 'opvolging' AND due_at IS NOT NULL \
         ORDER BY due_at, id LIMIT $1"
    );
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(limit).fetch_all(c).await)?)
}

/// Open follow-up tasks assigned to one of `assignees` (a user and their units), the oldest due
/// first; callbacks have queues of their own.
pub async fn open_for(ex: &mut impl Executor, assignees: &[Uuid], limit: i64) -> StoreResult<Vec<TaskRow>> {
    if assignees.is_empty() {
        return Ok(Vec::new());
    }
    on_backend!(ex, c => {
        let mut b = sqlx::QueryBuilder::new(format!(
            "SELECT {COLUMNS} FROM tasks WHERE status = 'te_verwerken' AND kind = 'opvolging' AND assignee_id IN ("
        ));
        let mut list = b.separated(", ");
        for id in assignees {
            list.push_bind(*id);
        }
        b.push(") ORDER BY due_at IS NULL, due_at, created_at LIMIT ");
        b.push_bind(limit);
        Ok(b.build_query_as().fetch_all(&mut *c).await?)
    })
}
