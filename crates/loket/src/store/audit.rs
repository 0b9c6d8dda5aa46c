//! SQL for the audit log (verwerkingslog). There is deliberately no update or delete here; the
//! migrations add triggers that refuse them as well.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Executor, StoreResult};
use crate::on_backend;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_kind: String,
    pub user_id: Option<Uuid>,
    pub token_id: Option<Uuid>,
    pub actor_name: String,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<String>,
    pub purpose: Option<String>,
    pub detail: Option<String>,
    pub ip: Option<String>,
}

pub async fn insert(ex: &mut impl Executor, row: &AuditRow) -> StoreResult<i64> {
    Ok(on_backend!(ex, c => sqlx::query_scalar(
        "INSERT INTO audit_log (at, actor_kind, user_id, token_id, actor_name, action, object_type, object_id, purpose, detail, ip)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(row.at)
    .bind(&row.actor_kind)
    .bind(row.user_id)
    .bind(row.token_id)
    .bind(&row.actor_name)
    .bind(&row.action)
    .bind(&row.object_type)
    .bind(&row.object_id)
    .bind(&row.purpose)
    .bind(&row.detail)
    .bind(row.ip.as_deref())
    .fetch_one(c)
    .await)?)
}

/// Filters; `None` means "any". `actor_like` is a lower-case LIKE pattern, already escaped.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct AuditQuery {
    pub actor_like: Option<String>,
    pub action: Option<String>,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub before_id: Option<i64>,
    pub limit: i64,
}

/// Newest first, keyset-paginated on `id` so a page stays cheap however long the log grows.
pub async fn query(ex: &mut impl Executor, q: &AuditQuery) -> StoreResult<Vec<AuditRow>> {
    Ok(on_backend!(ex, c => sqlx::query_as(
        "SELECT id, at, actor_kind, user_id, token_id, actor_name, action, object_type, object_id, purpose, detail, ip
         FROM audit_log
         WHERE ($1 IS NULL OR lower(actor_name) LIKE $1 ESCAPE '\\')
           AND ($2 IS NULL OR action = $2)
           AND ($3 IS NULL OR object_type = $3)
           AND ($4 IS NULL OR object_id = $4)
           AND ($5 IS NULL OR at >= $5)
           AND ($6 IS NULL OR at < $6)
           AND ($7 IS NULL OR id < $7)
         ORDER BY id DESC
         LIMIT $8",
    )
    .bind(&q.actor_like)
    .bind(&q.action)
    .bind(&q.object_type)
    .bind(&q.object_id)
    .bind(q.from)
    .bind(q.until)
    .bind(q.before_id)
    .bind(q.limit)
    .fetch_all(c)
    .await)?)
}
