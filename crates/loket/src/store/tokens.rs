//! SQL for API tokens. Only the SHA-256 of the token is stored; the prefix helps people recognise it.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Executor, StoreResult};
use crate::on_backend;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TokenRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub label: String,
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

pub async fn insert(ex: &mut impl Executor, row: &TokenRow, token_hash: &[u8]) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query(
        "INSERT INTO api_tokens (id, user_id, label, token_hash, prefix, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(row.id)
    .bind(row.user_id)
    .bind(&row.label)
    .bind(token_hash)
    .bind(&row.prefix)
    .bind(row.created_at)
    .execute(c)
    .await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// A token that is not revoked and belongs to an active user.
pub async fn find_live(ex: &mut impl Executor, token_hash: &[u8]) -> StoreResult<Option<TokenRow>> {
    Ok(on_backend!(ex, c => sqlx::query_as(
        "SELECT t.id, t.user_id, t.label, t.prefix, t.created_at, t.last_used_at
         FROM api_tokens t JOIN users u ON u.id = t.user_id
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active = TRUE",
    )
    .bind(token_hash)
    .fetch_optional(c)
    .await)?)
}

pub async fn touch(ex: &mut impl Executor, id: Uuid, at: DateTime<Utc>) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1")
        .bind(id)
        .bind(at)
        .execute(c)
        .await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Every token of a user, newest first, with when it was revoked (if it was).
pub async fn list_for_user(
    ex: &mut impl Executor,
    user_id: Uuid,
) -> StoreResult<Vec<(TokenRow, Option<DateTime<Utc>>)>> {
    #[derive(sqlx::FromRow)]
    struct Listed {
        #[sqlx(flatten)]
        token: TokenRow,
        revoked_at: Option<DateTime<Utc>>,
    }
    let rows: Vec<Listed> = on_backend!(ex, c => sqlx::query_as(
        "SELECT id, user_id, label, prefix, created_at, last_used_at, revoked_at
         FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC",
    )
    .bind(user_id)
    .fetch_all(c)
    .await)?;
    Ok(rows.into_iter().map(|r| (r.token, r.revoked_at)).collect())
}

pub async fn find(ex: &mut impl Executor, id: Uuid) -> StoreResult<Option<TokenRow>> {
    Ok(on_backend!(ex, c => sqlx::query_as(
        "SELECT id, user_id, label, prefix, created_at, last_used_at FROM api_tokens WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(c)
    .await)?)
}

/// Revokes one token; revoking twice keeps the first time.
pub async fn revoke(ex: &mut impl Executor, id: Uuid, at: DateTime<Utc>) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query("UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
        .bind(id)
        .bind(at)
        .execute(c)
        .await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Revokes every live token of a user; returns how many.
pub async fn revoke_for_user(ex: &mut impl Executor, user_id: Uuid, at: DateTime<Utc>) -> StoreResult<u64> {
    Ok(
        on_backend!(ex, c => sqlx::query("UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL")
        .bind(user_id)
        .bind(at)
        .execute(c)
        .await.map(|r| r.rows_affected()))?,
    )
}
