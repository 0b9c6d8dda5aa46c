//! SQL for contact drafts (concepten): the contact form of an agent, kept as one JSON text.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Executor, StoreResult};
use crate::on_backend;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DraftRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub party_id: Option<Uuid>,
    pub started_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub fields: String,
}

/// Writes the draft `id` of `user_id`; false when that id is another user's draft (nothing
/// changes then).
pub async fn put(ex: &mut impl Executor, row: &DraftRow) -> StoreResult<bool> {
    let changed = on_backend!(ex, c => sqlx::query(
        "INSERT INTO contact_drafts (id, user_id, party_id, started_at, updated_at, fields) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (id) DO UPDATE SET party_id = excluded.party_id, started_at = excluded.started_at, \
         updated_at = excluded.updated_at, fields = excluded.fields WHERE contact_drafts.user_id = excluded.user_id",
    )
    .bind(row.id)
    .bind(row.user_id)
    .bind(row.party_id)
    .bind(row.started_at)
    .bind(row.updated_at)
    .bind(&row.fields)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(changed > 0)
}

/// The drafts of one user, oldest first.
pub async fn of_user(ex: &mut impl Executor, user_id: Uuid) -> StoreResult<Vec<DraftRow>> {
    Ok(on_backend!(ex, c => sqlx::query_as(
        "SELECT id, user_id, party_id, started_at, updated_at, fields FROM contact_drafts \
         WHERE user_id = $1 ORDER BY started_at, id",
    )
    .bind(user_id)
    .fetch_all(c)
    .await)?)
}

pub async fn count_of_user(ex: &mut impl Executor, user_id: Uuid) -> StoreResult<i64> {
    Ok(on_backend!(ex, c => sqlx::query_scalar("SELECT COUNT(*) FROM contact_drafts WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(c)
        .await)?)
}

/// Removes one draft of `user_id`; false when there was none.
pub async fn delete(ex: &mut impl Executor, id: Uuid, user_id: Uuid) -> StoreResult<bool> {
    let n = on_backend!(ex, c => sqlx::query("DELETE FROM contact_drafts WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

pub async fn delete_of_user(ex: &mut impl Executor, user_id: Uuid) -> StoreResult<u64> {
    Ok(on_backend!(ex, c => sqlx::query("DELETE FROM contact_drafts WHERE user_id = $1")
        .bind(user_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?)
}

/// Removes every draft last saved before `before`; returns how many.
pub async fn delete_untouched_since(ex: &mut impl Executor, before: DateTime<Utc>) -> StoreResult<u64> {
    Ok(on_backend!(ex, c => sqlx::query("DELETE FROM contact_drafts WHERE updated_at < $1")
        .bind(before)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?)
}
