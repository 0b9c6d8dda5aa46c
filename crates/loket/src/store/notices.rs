//! SQL for werkberichten (notices), their target units and read receipts.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Executor, StoreResult};
use crate::on_backend;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NoticeRow {
    pub id: Uuid,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub priority: String,
    pub publish_from: DateTime<Utc>,
    pub publish_until: Option<DateTime<Utc>>,
    pub author_id: Option<Uuid>,
    pub author_name: String,
    pub created_at: DateTime<Utc>,
}

/// A notice with whether the reader has read it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NoticeForReader {
    #[sqlx(flatten)]
    pub notice: NoticeRow,
    pub read_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "n.id, n.kind, n.title, n.body, n.priority, n.publish_from, n.publish_until, n.author_id, n.author_name, n.created_at";

/// Whether a notice is meant for a user in `$2` (unit) whose afdeling is `$3`: no targets means
/// everyone; a target afdeling reaches its teams.
const FOR_READER: &str = "(NOT EXISTS (SELECT 1 FROM notice_targets t WHERE t.notice_id = n.id)
      OR EXISTS (SELECT 1 FROM notice_targets t WHERE t.notice_id = n.id AND (t.unit_id = $2 OR t.unit_id = $3)))";

pub async fn insert(ex: &mut impl Executor, n: &NoticeRow, targets: &[Uuid]) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query(
        "INSERT INTO notices (id, kind, title, body, priority, publish_from, publish_until, author_id, author_name, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(n.id)
    .bind(&n.kind)
    .bind(&n.title)
    .bind(&n.body)
    .bind(&n.priority)
    .bind(n.publish_from)
    .bind(n.publish_until)
    .bind(n.author_id)
    .bind(&n.author_name)
    .bind(n.created_at)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    for unit in targets {
        on_backend!(ex, c => sqlx::query("INSERT INTO notice_targets (notice_id, unit_id) VALUES ($1, $2)")
            .bind(n.id)
            .bind(*unit)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

pub async fn find(ex: &mut impl Executor, id: Uuid) -> StoreResult<Option<NoticeRow>> {
    let sql = format!("SELECT {COLUMNS} FROM notices n WHERE n.id = $1");
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(id).fetch_optional(c).await)?)
}

pub async fn targets(ex: &mut impl Executor, id: Uuid) -> StoreResult<Vec<Uuid>> {
    Ok(
        on_backend!(ex, c => sqlx::query_scalar("SELECT unit_id FROM notice_targets WHERE notice_id = $1").bind(id).fetch_all(c).await)?,
    )
}

/// Notices current at `now` for a reader; belangrijk first, then newest.
pub async fn current_for(
    ex: &mut impl Executor,
    now: DateTime<Utc>,
    unit: Option<Uuid>,
    afdeling: Option<Uuid>,
    user_id: Uuid,
) -> StoreResult<Vec<NoticeForReader>> {
    let sql = format!(
        "SELECT {COLUMNS}, r.read_at FROM notices n
         LEFT JOIN notice_reads r ON r.notice_id = n.id AND r.user_id = $4
         WHERE n.publish_from <= $1 AND (n.publish_until IS NULL OR n.publish_until > $1) AND {FOR_READER}
         ORDER BY CASE WHEN n.priority = 'belangrijk' THEN 0 ELSE 1 END, n.publish_from DESC"
    );
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(now).bind(unit).bind(afdeling).bind(user_id).fetch_all(c).await)?)
}

/// Current notices for a reader that they have not read.
pub async fn unread_count(
    ex: &mut impl Executor,
    now: DateTime<Utc>,
    unit: Option<Uuid>,
    afdeling: Option<Uuid>,
    user_id: Uuid,
) -> StoreResult<i64> {
    let sql = format!(
        "SELECT COUNT(*) FROM notices n
         WHERE n.publish_from <= $1 AND (n.publish_until IS NULL OR n.publish_until > $1) AND {FOR_READER}
           AND NOT EXISTS (SELECT 1 FROM notice_reads r WHERE r.notice_id = n.id AND r.user_id = $4)"
    );
    Ok(
        on_backend!(ex, c => sqlx::query_scalar(&sql).bind(now).bind(unit).bind(afdeling).bind(user_id).fetch_one(c).await)?,
    )
}

/// Every notice, newest first (for those who write them).
pub async fn all(ex: &mut impl Executor, limit: i64) -> StoreResult<Vec<NoticeRow>> {
    let sql = format!("SELECT {COLUMNS} FROM notices n ORDER BY n.publish_from DESC LIMIT $1");
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(limit).fetch_all(c).await)?)
}

/// Records a read; reading twice keeps the first time.
pub async fn mark_read(ex: &mut impl Executor, notice_id: Uuid, user_id: Uuid, at: DateTime<Utc>) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query(
        "INSERT INTO notice_reads (notice_id, user_id, read_at) VALUES ($1, $2, $3) ON CONFLICT (notice_id, user_id) DO NOTHING",
    )
    .bind(notice_id)
    .bind(user_id)
    .bind(at)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn end(ex: &mut impl Executor, id: Uuid, at: DateTime<Utc>) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query("UPDATE notices SET publish_until = $2 WHERE id = $1 AND (publish_until IS NULL OR publish_until > $2)")
        .bind(id)
        .bind(at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// (display name, read at) for everyone the notice is meant for: read or not.
pub async fn receipts(ex: &mut impl Executor, id: Uuid) -> StoreResult<Vec<(String, Option<DateTime<Utc>>)>> {
    Ok(on_backend!(ex, c => sqlx::query_as(
        "SELECT u.display_name, r.read_at FROM users u
         LEFT JOIN units un ON un.id = u.unit_id
         LEFT JOIN notice_reads r ON r.notice_id = $1 AND r.user_id = u.id
         WHERE u.active = TRUE
           AND (NOT EXISTS (SELECT 1 FROM notice_targets t WHERE t.notice_id = $1)
                OR EXISTS (SELECT 1 FROM notice_targets t WHERE t.notice_id = $1 AND (t.unit_id = u.unit_id OR t.unit_id = un.parent_id)))
         ORDER BY r.read_at IS NULL DESC, u.display_name",
    )
    .bind(id)
    .fetch_all(c)
    .await)?)
}
