//! SQL for login sessions. Only the SHA-256 of the cookie secret is stored.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Executor, StoreResult};
use crate::on_backend;

pub struct NewSessionRow<'a> {
    pub id_hash: &'a [u8],
    pub user_id: Uuid,
    pub csrf_token: &'a str,
    pub at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
}

#[derive(Debug, sqlx::FromRow)]
pub struct LiveSession {
    pub user_id: Uuid,
    pub csrf_token: String,
    pub last_seen_at: DateTime<Utc>,
}

pub async fn insert(ex: &mut impl Executor, s: &NewSessionRow<'_>) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, ip, user_agent)
         VALUES ($1, $2, $3, $4, $4, $5, $6, $7)",
    )
    .bind(s.id_hash)
    .bind(s.user_id)
    .bind(s.csrf_token)
    .bind(s.at)
    .bind(s.expires_at)
    .bind(s.ip)
    .bind(s.user_agent)
    .execute(c)
    .await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// A session that has neither expired nor been idle since `idle_since`, of an active user.
pub async fn find_live(
    ex: &mut impl Executor,
    id_hash: &[u8],
    now: DateTime<Utc>,
    idle_since: DateTime<Utc>,
) -> StoreResult<Option<LiveSession>> {
    Ok(on_backend!(ex, c => sqlx::query_as(
        "SELECT s.user_id, s.csrf_token, s.last_seen_at FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.id_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3 AND u.active = TRUE",
    )
    .bind(id_hash)
    .bind(now)
    .bind(idle_since)
    .fetch_optional(c)
    .await)?)
}

pub async fn touch(ex: &mut impl Executor, id_hash: &[u8], at: DateTime<Utc>) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1")
        .bind(id_hash)
        .bind(at)
        .execute(c)
        .await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn delete(ex: &mut impl Executor, id_hash: &[u8]) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(id_hash).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Ends every session of a user (password change, deactivation).
pub async fn delete_for_user(ex: &mut impl Executor, user_id: Uuid) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn delete_expired(ex: &mut impl Executor, now: DateTime<Utc>, idle_since: DateTime<Utc>) -> StoreResult<u64> {
    let done = on_backend!(ex, c => sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
        .bind(now)
        .bind(idle_since)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(done)
}
