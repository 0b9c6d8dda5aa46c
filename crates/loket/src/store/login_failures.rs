//! SQL for the login throttle: failed attempts per user name and per address.

use chrono::{DateTime, Utc};

use super::{Executor, StoreResult};
use crate::on_backend;

/// Records an attempt (counted as a failure until it succeeds); returns its id.
pub async fn insert(ex: &mut impl Executor, username: &str, ip: Option<&str>, at: DateTime<Utc>) -> StoreResult<i64> {
    Ok(
        on_backend!(ex, c => sqlx::query_scalar("INSERT INTO login_failures (username, ip, at) VALUES ($1, $2, $3) RETURNING id")
        .bind(username)
        .bind(ip)
        .bind(at)
        .fetch_one(c)
        .await)?,
    )
}

pub async fn delete(ex: &mut impl Executor, id: i64) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query("DELETE FROM login_failures WHERE id = $1").bind(id).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Failures since `since` for this user name, and for this address; with the oldest of each.
pub async fn recent(
    ex: &mut impl Executor,
    username: &str,
    ip: Option<&str>,
    since: DateTime<Utc>,
) -> StoreResult<(Vec<DateTime<Utc>>, Vec<DateTime<Utc>>)> {
    let by_name: Vec<DateTime<Utc>> = on_backend!(ex, c => sqlx::query_scalar(
        "SELECT at FROM login_failures WHERE username = $1 AND at > $2 ORDER BY at",
    )
    .bind(username)
    .bind(since)
    .fetch_all(c)
    .await)?;
    let by_ip: Vec<DateTime<Utc>> = match ip {
        Some(ip) => on_backend!(ex, c => sqlx::query_scalar(
            "SELECT at FROM login_failures WHERE ip = $1 AND at > $2 ORDER BY at",
        )
        .bind(ip)
        .bind(since)
        .fetch_all(c)
        .await)?,
        None => Vec::new(),
    };
    Ok((by_name, by_ip))
}

pub async fn clear_for(ex: &mut impl Executor, username: &str) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query("DELETE FROM login_failures WHERE username = $1").bind(username).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn delete_older_than(ex: &mut impl Executor, before: DateTime<Utc>) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query("DELETE FROM login_failures WHERE at <= $1").bind(before).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}
