//! SQL for the mail outbox.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Executor, StoreResult};
use crate::on_backend;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxRow {
    pub id: Uuid,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    pub link_path: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub attempts: i32,
    pub last_error: String,
    /// Empty: the configured sender address (notifications to colleagues).
    pub from_address: String,
    /// Empty: the sender makes one.
    pub message_id: String,
    pub in_reply_to: String,
    /// Message-IDs separated by spaces.
    pub refs: String,
    pub auto_submitted: bool,
}

const COLUMNS: &str = "id, to_address, subject, body, link_path, created_at, sent_at, attempts, last_error, \
                       from_address, message_id, in_reply_to, refs, auto_submitted";

pub async fn insert(ex: &mut impl Executor, m: &OutboxRow) -> StoreResult<()> {
    let sql = format!(
        "INSERT INTO mail_outbox ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
    );
    on_backend!(ex, c => sqlx::query(&sql)
        .bind(m.id).bind(&m.to_address).bind(&m.subject).bind(&m.body).bind(&m.link_path)
        .bind(m.created_at).bind(m.sent_at).bind(m.attempts).bind(&m.last_error)
        .bind(&m.from_address).bind(&m.message_id).bind(&m.in_reply_to).bind(&m.refs).bind(m.auto_submitted)
        .execute(c).await.map(|_| ()))?;
    Ok(())
}

/// Mail that may be sent (see [`SENDABLE`]), the oldest first.
pub async fn pending(
    ex: &mut impl Executor,
    since: DateTime<Utc>,
    now: DateTime<Utc>,
    max_attempts: i32,
    limit: i64,
) -> StoreResult<Vec<OutboxRow>> {
    let sql = format!("SELECT {COLUMNS} FROM mail_outbox WHERE {SENDABLE} ORDER BY created_at, id LIMIT $4");
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(since).bind(max_attempts).bind(now).bind(limit)
        .fetch_all(c).await)?)
}

/// What may still be sent: unsent, fresh, not tried too often, not held by a live claim.
/// `$1` since, `$2` max attempts, `$3` now.
const SENDABLE: &str = "sent_at IS NULL AND created_at >= $1 AND attempts < $2 \
                        AND (claimed_until IS NULL OR claimed_until < $3)";

/// Claims these mails for `token` until `until` where they may still be sent (what [`SENDABLE`] allows),
/// in one statement; answers the ids this claim got.
#[allow(clippy::too_many_arguments)]
pub async fn claim_many(
    ex: &mut impl Executor,
    ids: &[Uuid],
    token: Uuid,
    since: DateTime<Utc>,
    max_attempts: i32,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> StoreResult<Vec<Uuid>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    on_backend!(ex, c => {
        let mut b = sqlx::QueryBuilder::new("UPDATE mail_outbox SET claimed_until = ");
        b.push_bind(until).push(", claimed_by = ").push_bind(token);
        b.push(" WHERE sent_at IS NULL AND created_at >= ").push_bind(since);
        b.push(" AND attempts < ").push_bind(max_attempts);
        b.push(" AND (claimed_until IS NULL OR claimed_until < ").push_bind(now).push(") AND id IN (");
        {
            let mut list = b.separated(", ");
            for id in ids {
                list.push_bind(*id);
            }
        }
        b.push(") RETURNING id");
        let rows: Vec<(Uuid,)> = b.build_query_as().fetch_all(&mut *c).await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    })
}

/// Marks these mails sent, by the holder of their claim; answers how many were still held.
pub async fn mark_sent_many(ex: &mut impl Executor, ids: &[Uuid], token: Uuid, at: DateTime<Utc>) -> StoreResult<u64> {
    if ids.is_empty() {
        return Ok(0);
    }
    on_backend!(ex, c => {
        let mut b = sqlx::QueryBuilder::new("UPDATE mail_outbox SET sent_at = ");
        b.push_bind(at).push(", attempts = attempts + 1, claimed_until = NULL, claimed_by = NULL WHERE claimed_by = ");
        b.push_bind(token).push(" AND id IN (");
        {
            let mut list = b.separated(", ");
            for id in ids {
                list.push_bind(*id);
            }
        }
        b.push(")");
        Ok(b.build().execute(&mut *c).await?.rows_affected())
    })
}

/// Marks a mail sent, by the holder of its claim; false when the claim was no longer theirs.
pub async fn mark_sent(ex: &mut impl Executor, id: Uuid, token: Uuid, at: DateTime<Utc>) -> StoreResult<bool> {
    let sql = "UPDATE mail_outbox SET sent_at = $3, attempts = attempts + 1, claimed_until = NULL, claimed_by = NULL \
               WHERE id = $1 AND claimed_by = $2";
    let done = on_backend!(ex, c => sqlx::query(sql).bind(id).bind(token).bind(at).execute(c).await
        .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// Counts a failed try and frees the mail for a step after `retry_at` (the claim's time is
/// reused as the time before which nobody tries again), by the holder of its claim.
pub async fn mark_failed(
    ex: &mut impl Executor,
    id: Uuid,
    token: Uuid,
    error: &str,
    retry_at: DateTime<Utc>,
) -> StoreResult<()> {
    let sql = "UPDATE mail_outbox SET attempts = attempts + 1, last_error = $3, claimed_until = $4, \
               claimed_by = NULL WHERE id = $1 AND claimed_by = $2";
    on_backend!(ex, c => sqlx::query(sql).bind(id).bind(token).bind(error).bind(retry_at).execute(c).await.map(|_| ()))?;
    Ok(())
}

/// Removes mail older than `before`, sent or not (what was not sent by then is no news any more).
pub async fn purge(ex: &mut impl Executor, before: DateTime<Utc>) -> StoreResult<u64> {
    Ok(on_backend!(ex, c => sqlx::query("DELETE FROM mail_outbox WHERE created_at < $1")
        .bind(before).execute(c).await.map(|r| r.rows_affected()))?)
}

/// Everything in the outbox for one address (tests and support), the newest first.
pub async fn for_address(ex: &mut impl Executor, to: &str) -> StoreResult<Vec<OutboxRow>> {
    let sql = format!("SELECT {COLUMNS} FROM mail_outbox WHERE to_address = $1 ORDER BY created_at DESC, id DESC");
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(to).fetch_all(c).await)?)
}

/// When each receipt was queued and when it was sent (`loket bench mail`).
pub async fn receipt_delays(ex: &mut impl Executor) -> StoreResult<Vec<(DateTime<Utc>, Option<DateTime<Utc>>)>> {
    Ok(on_backend!(ex, c => sqlx::query_as("SELECT created_at, sent_at FROM mail_outbox WHERE auto_submitted")
        .fetch_all(c).await)?)
}
