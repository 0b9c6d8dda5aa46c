//! SQL for article feedback and usage signals.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Executor, StoreResult};
use crate::on_backend;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FeedbackRow {
    pub id: Uuid,
    pub article_id: Uuid,
    pub article_version: i32,
    pub kind: String,
    pub note: String,
    pub search_query: Option<String>,
    pub contact_ref: Option<String>,
    pub submitter_id: Uuid,
    pub submitter_name: String,
    pub created_at: DateTime<Utc>,
    pub status: String,
    pub reply: String,
    pub handled_by: Option<String>,
    pub handled_at: Option<DateTime<Utc>>,
    pub resolved_version: Option<i32>,
}

/// Feedback with the title of the article's latest version, for worklists.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FeedbackListed {
    #[sqlx(flatten)]
    pub feedback: FeedbackRow,
    pub title: String,
    pub owner_id: Option<Uuid>,
}

const COLUMNS: &str = "f.id, f.article_id, f.article_version, f.kind, f.note, f.search_query, f.contact_ref, f.submitter_id, \
     f.submitter_name, f.created_at, f.status, f.reply, f.handled_by, f.handled_at, f.resolved_version";

pub async fn insert(ex: &mut impl Executor, f: &FeedbackRow) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query(
        "INSERT INTO article_feedback (id, article_id, article_version, kind, note, search_query, contact_ref, submitter_id,
             submitter_name, created_at, status, reply, handled_by, handled_at, resolved_version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
    )
    .bind(f.id)
    .bind(f.article_id)
    .bind(f.article_version)
    .bind(&f.kind)
    .bind(&f.note)
    .bind(&f.search_query)
    .bind(&f.contact_ref)
    .bind(f.submitter_id)
    .bind(&f.submitter_name)
    .bind(f.created_at)
    .bind(&f.status)
    .bind(&f.reply)
    .bind(&f.handled_by)
    .bind(f.handled_at)
    .bind(f.resolved_version)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn find(ex: &mut impl Executor, id: Uuid) -> StoreResult<Option<FeedbackListed>> {
    let sql = format!(
        "SELECT {COLUMNS}, v.title, a.owner_id FROM article_feedback f
         JOIN articles a ON a.id = f.article_id
         JOIN article_versions v ON v.article_id = a.id AND v.version = a.latest_version
         WHERE f.id = $1"
    );
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(id).fetch_optional(c).await)?)
}

/// The worklist: feedback in `status` (any when `None`), of articles owned by `owner` or by
/// nobody when `owner` is given; oldest first so nothing waits forever.
/// Feedback in one of `statuses`, oldest first.
pub async fn worklist(
    ex: &mut impl Executor,
    statuses: &[&str],
    owner: Option<Uuid>,
    limit: i64,
) -> StoreResult<Vec<FeedbackListed>> {
    on_backend!(ex, c => {
        let mut b = sqlx::QueryBuilder::new(format!(
            "SELECT {COLUMNS}, v.title, a.owner_id FROM article_feedback f
             JOIN articles a ON a.id = f.article_id
             JOIN article_versions v ON v.article_id = a.id AND v.version = a.latest_version
             WHERE f.status IN ("
        ));
        let mut list = b.separated(", ");
        for s in statuses {
            list.push_bind(*s);
        }
        b.push(") AND (");
        b.push_bind(owner);
        b.push(" IS NULL OR a.owner_id = ");
        b.push_bind(owner);
        b.push(" OR a.owner_id IS NULL) ORDER BY f.created_at LIMIT ");
        b.push_bind(limit);
        Ok(b.build_query_as().fetch_all(&mut *c).await?)
    })
}

/// What one person submitted, newest first, with the title of the version they flagged (a
/// submitter may not see later drafts).
pub async fn by_submitter(ex: &mut impl Executor, submitter: Uuid, limit: i64) -> StoreResult<Vec<FeedbackListed>> {
    let sql = format!(
        "SELECT {COLUMNS}, v.title, a.owner_id FROM article_feedback f
         JOIN articles a ON a.id = f.article_id
         JOIN article_versions v ON v.article_id = a.id AND v.version = f.article_version
         WHERE f.submitter_id = $1 ORDER BY f.created_at DESC LIMIT $2"
    );
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(submitter).bind(limit).fetch_all(c).await)?)
}

pub async fn update(
    ex: &mut impl Executor,
    id: Uuid,
    status: &str,
    reply: &str,
    handled_by: &str,
    at: DateTime<Utc>,
    resolved_version: Option<i32>,
) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query(
        "UPDATE article_feedback SET status = $2, reply = $3, handled_by = $4, handled_at = $5, resolved_version = $6 WHERE id = $1",
    )
    .bind(id)
    .bind(status)
    .bind(reply)
    .bind(handled_by)
    .bind(at)
    .bind(resolved_version)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn insert_signal(
    ex: &mut impl Executor,
    article_id: Uuid,
    version: i32,
    kind: &str,
    user_id: Option<Uuid>,
    query: Option<(&str, &str)>,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    let (query, key) = query.map_or((None, None), |(q, k)| (Some(q), Some(k)));
    on_backend!(ex, c => sqlx::query(
        "INSERT INTO article_signals (article_id, article_version, kind, user_id, search_query, at, query_key) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(article_id)
    .bind(version)
    .bind(kind)
    .bind(user_id)
    .bind(query)
    .bind(at)
    .bind(key)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}
