//! SQL for search: the change log the index follows, the documents it is built from, synonyms,
//! the search log and what learning reads.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Executor, StoreResult};
use crate::on_backend;

/// One line of the change log.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Change {
    pub seq: i64,
    pub kind: String,
    pub item_id: Option<Uuid>,
}

/// Lines after `seq`, oldest first.
pub async fn changes_after(ex: &mut impl Executor, seq: i64, limit: i64) -> StoreResult<Vec<Change>> {
    Ok(on_backend!(ex, c => sqlx::query_as(
        "SELECT seq, kind, item_id FROM search_changes WHERE seq > $1 ORDER BY seq LIMIT $2",
    )
    .bind(seq)
    .bind(limit)
    .fetch_all(c)
    .await)?)
}

/// The newest line (0 when the log is empty).
pub async fn last_seq(ex: &mut impl Executor) -> StoreResult<i64> {
    let n: Option<i64> =
        on_backend!(ex, c => sqlx::query_scalar("SELECT MAX(seq) FROM search_changes").fetch_one(c).await)?;
    Ok(n.unwrap_or(0))
}

/// The oldest line still kept (None when the log is empty).
pub async fn first_seq(ex: &mut impl Executor) -> StoreResult<Option<i64>> {
    Ok(on_backend!(ex, c => sqlx::query_scalar("SELECT MIN(seq) FROM search_changes").fetch_one(c).await)?)
}

/// Writes a line that is not a row change (a rebuild request).
pub async fn log_change(ex: &mut impl Executor, kind: &str) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query("INSERT INTO search_changes (kind) VALUES ($1)").bind(kind).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Forgets lines up to `seq` (an index older than what is kept rebuilds itself).
pub async fn prune_changes(ex: &mut impl Executor, up_to: i64) -> StoreResult<u64> {
    Ok(
        on_backend!(ex, c => sqlx::query("DELETE FROM search_changes WHERE seq <= $1").bind(up_to).execute(c).await.map(|r| r.rows_affected()))?,
    )
}

/// A published article as the index needs it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ArticleDoc {
    pub id: Uuid,
    pub external_id: Option<String>,
    pub title: String,
    pub short_answer: String,
    pub body: String,
    pub audience: String,
    pub keywords: String,
    pub synonyms: String,
    pub upl_product: Option<String>,
    pub category: String,
    pub valid_from: Option<DateTime<Utc>>,
    pub valid_until: Option<DateTime<Utc>>,
}

// CROSS JOIN makes SQLite walk the articles in id order and look each published version up by
// its key; left to choose, it starts from the versions' state index and sorts every page, which
// makes paging through 100,000 articles quadratic. PostgreSQL plans it as an ordinary join.
const ARTICLE_DOC: &str = "SELECT a.id, a.external_id, v.title, v.short_answer, v.body, v.audience, v.keywords,      v.synonyms, v.upl_product, v.category, v.valid_from, v.valid_until
     FROM articles a CROSS JOIN article_versions v
     WHERE v.article_id = a.id AND v.version = a.published_version AND v.state = 'gepubliceerd'";

/// The published version of one article, if it has one.
pub async fn published_article(ex: &mut impl Executor, id: Uuid) -> StoreResult<Option<ArticleDoc>> {
    let sql = format!("{ARTICLE_DOC} AND a.id = $1");
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(id).fetch_optional(c).await)?)
}

/// Published articles after `after` in id order (pages for a rebuild).
pub async fn published_articles(ex: &mut impl Executor, after: Uuid, limit: i64) -> StoreResult<Vec<ArticleDoc>> {
    let sql = format!("{ARTICLE_DOC} AND a.id > $1 ORDER BY a.id LIMIT $2");
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(after).bind(limit).fetch_all(c).await)?)
}

pub async fn count_published_articles(ex: &mut impl Executor) -> StoreResult<i64> {
    Ok(on_backend!(ex, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM articles a JOIN article_versions v ON v.article_id = a.id AND v.version = a.published_version
         WHERE v.state = 'gepubliceerd'",
    )
    .fetch_one(c)
    .await)?)
}

/// A published decision tree as the index needs it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TreeDoc {
    pub id: Uuid,
    pub title: String,
    pub description: String,
    pub definition: String,
}

const TREE_DOC: &str = "SELECT t.id, v.title, v.description, v.definition
     FROM decision_trees t JOIN decision_tree_versions v ON v.tree_id = t.id AND v.version = t.published_version
     WHERE v.state = 'gepubliceerd'";

pub async fn published_tree(ex: &mut impl Executor, id: Uuid) -> StoreResult<Option<TreeDoc>> {
    let sql = format!("{TREE_DOC} AND t.id = $1");
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(id).fetch_optional(c).await)?)
}

pub async fn published_trees(ex: &mut impl Executor) -> StoreResult<Vec<TreeDoc>> {
    let sql = format!("{TREE_DOC} ORDER BY t.id");
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).fetch_all(c).await)?)
}

/// Notice ids whose window has not ended before `now` (the rest is not findable anyway).
pub async fn live_notice_ids(ex: &mut impl Executor, now: DateTime<Utc>) -> StoreResult<Vec<Uuid>> {
    Ok(on_backend!(ex, c => sqlx::query_scalar(
        "SELECT id FROM notices WHERE publish_until IS NULL OR publish_until > $1 ORDER BY id",
    )
    .bind(now)
    .fetch_all(c)
    .await)?)
}

/// A colleague as the directory shows them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EmployeeDoc {
    pub id: Uuid,
    pub display_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub topics: String,
    pub active: bool,
    pub unit_name: Option<String>,
}

const EMPLOYEE_DOC: &str = "SELECT u.id, u.display_name, u.email, u.phone, u.topics, u.active, n.name AS unit_name
     FROM users u LEFT JOIN units n ON n.id = u.unit_id";

pub async fn employee(ex: &mut impl Executor, id: Uuid) -> StoreResult<Option<EmployeeDoc>> {
    let sql = format!("{EMPLOYEE_DOC} WHERE u.id = $1");
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(id).fetch_optional(c).await)?)
}

pub async fn active_employees(ex: &mut impl Executor) -> StoreResult<Vec<EmployeeDoc>> {
    let sql = format!("{EMPLOYEE_DOC} WHERE u.active = TRUE ORDER BY u.id");
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).fetch_all(c).await)?)
}

pub async fn member_ids(ex: &mut impl Executor, unit_id: Uuid) -> StoreResult<Vec<Uuid>> {
    Ok(
        on_backend!(ex, c => sqlx::query_scalar("SELECT id FROM users WHERE unit_id = $1").bind(unit_id).fetch_all(c).await)?,
    )
}

/// Each unit with its parent, for who belongs where (notices aimed at an afdeling reach its teams).
pub async fn unit_parents(ex: &mut impl Executor) -> StoreResult<Vec<(Uuid, Option<Uuid>)>> {
    Ok(on_backend!(ex, c => sqlx::query_as("SELECT id, parent_id FROM units").fetch_all(c).await)?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SynonymRow {
    pub id: Uuid,
    pub terms: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub async fn synonyms(ex: &mut impl Executor) -> StoreResult<Vec<SynonymRow>> {
    Ok(on_backend!(ex, c => sqlx::query_as(
        "SELECT id, terms, created_by, created_at, updated_at FROM search_synonyms ORDER BY terms",
    )
    .fetch_all(c)
    .await)?)
}

pub async fn find_synonym(ex: &mut impl Executor, id: Uuid) -> StoreResult<Option<SynonymRow>> {
    Ok(on_backend!(ex, c => sqlx::query_as(
        "SELECT id, terms, created_by, created_at, updated_at FROM search_synonyms WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(c)
    .await)?)
}

pub async fn insert_synonym(ex: &mut impl Executor, row: &SynonymRow) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query(
        "INSERT INTO search_synonyms (id, terms, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(row.id)
    .bind(&row.terms)
    .bind(&row.created_by)
    .bind(row.created_at)
    .bind(row.updated_at)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn update_synonym(ex: &mut impl Executor, id: Uuid, terms: &str, at: DateTime<Utc>) -> StoreResult<u64> {
    Ok(on_backend!(ex, c => sqlx::query("UPDATE search_synonyms SET terms = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(terms)
        .bind(at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?)
}

pub async fn delete_synonym(ex: &mut impl Executor, id: Uuid) -> StoreResult<u64> {
    Ok(
        on_backend!(ex, c => sqlx::query("DELETE FROM search_synonyms WHERE id = $1").bind(id).execute(c).await.map(|r| r.rows_affected()))?,
    )
}

/// One logged search.
#[derive(Debug, Clone)]
pub struct LoggedSearch {
    pub at: DateTime<Utc>,
    pub user_id: Option<Uuid>,
    pub query: String,
    pub query_key: String,
    pub total: i64,
    pub top_id: Option<Uuid>,
    /// A hit was likely to answer it.
    pub confident: bool,
}

/// Writes a batch of searches in one statement.
pub async fn insert_searches(ex: &mut impl Executor, rows: &[LoggedSearch]) -> StoreResult<()> {
    for chunk in rows.chunks(500) {
        on_backend!(ex, c => {
            let mut b = sqlx::QueryBuilder::new("INSERT INTO search_log (at, user_id, query, query_key, total, top_id, confident) ");
            b.push_values(chunk, |mut row, s| {
                row.push_bind(s.at).push_bind(s.user_id).push_bind(&s.query).push_bind(&s.query_key).push_bind(s.total).push_bind(s.top_id).push_bind(s.confident);
            });
            b.build().execute(&mut *c).await.map(|r| r.rows_affected())
        })?;
    }
    Ok(())
}

/// A query key with how often it was searched in a period.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QueryStat {
    pub query_key: String,
    /// The most recent way it was typed.
    pub example: String,
    pub searches: i64,
    pub last_total: i64,
    pub opened: i64,
    pub top_id: Option<Uuid>,
    /// The last time, a hit was likely to answer it.
    pub confident: bool,
}

/// Searches since `from`, grouped by key: how often, how many results the last time, and how
/// often an article was opened after that query. `filter`: 'all', 'zero' (no results),
/// 'unsure' (no hit likely to answer it the last time) or 'unopened' (results, but nobody
/// opened anything).
pub async fn query_stats(
    ex: &mut impl Executor,
    from: DateTime<Utc>,
    filter: &str,
    limit: i64,
) -> StoreResult<Vec<QueryStat>> {
    // The example and last total come from the newest row of each key; opened counts signals
    // with the same key in the same period.
    let sql = "SELECT s.query_key, s.query AS example, g.searches, s.total AS last_total, s.top_id, s.confident,
                      (SELECT COUNT(*) FROM article_signals a WHERE a.query_key = s.query_key AND a.at >= $1) AS opened
               FROM search_log s
               JOIN (SELECT query_key, COUNT(*) AS searches, MAX(id) AS newest FROM search_log
                     WHERE at >= $1 AND query_key <> '' GROUP BY query_key) g ON s.id = g.newest
               WHERE ($2 = 'all'
                      OR ($2 = 'zero' AND s.total = 0)
                      OR ($2 = 'unsure' AND NOT s.confident)
                      OR ($2 = 'unopened' AND s.total > 0
                          AND NOT EXISTS (SELECT 1 FROM article_signals a WHERE a.query_key = s.query_key AND a.at >= $1)))
               ORDER BY g.searches DESC, s.query_key
               LIMIT $3";
    Ok(on_backend!(ex, c => sqlx::query_as(sql).bind(from).bind(filter).bind(limit).fetch_all(c).await)?)
}

/// Searches since `from`: in total, without results, and without a hit likely to answer them.
pub async fn search_counts(ex: &mut impl Executor, from: DateTime<Utc>) -> StoreResult<(i64, i64, i64)> {
    Ok(on_backend!(ex, c => sqlx::query_as(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN total = 0 THEN 1 ELSE 0 END), 0),
                COALESCE(SUM(CASE WHEN confident THEN 0 ELSE 1 END), 0)
         FROM search_log WHERE at >= $1",
    )
    .bind(from)
    .fetch_one(c)
    .await)?)
}

/// A use of an article after a query, for learning.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SignalRow {
    pub query_key: String,
    pub search_query: String,
    pub article_id: Uuid,
    pub kind: String,
    pub user_id: Option<Uuid>,
    pub at: DateTime<Utc>,
}

/// Signals with a query since `from`, minus what a reset took away.
pub async fn learning_signals(ex: &mut impl Executor, from: DateTime<Utc>) -> StoreResult<Vec<SignalRow>> {
    Ok(on_backend!(ex, c => sqlx::query_as(
        "SELECT s.query_key, s.search_query, s.article_id, s.kind, s.user_id, s.at FROM article_signals s
         WHERE s.query_key IS NOT NULL AND s.query_key <> '' AND s.search_query IS NOT NULL AND s.at >= $1
           AND NOT EXISTS (SELECT 1 FROM search_learning_resets r
                           WHERE r.at >= s.at
                             AND (r.query_key IS NULL OR r.query_key = s.query_key)
                             AND (r.article_id IS NULL OR r.article_id = s.article_id))",
    )
    .bind(from)
    .fetch_all(c)
    .await)?)
}

pub async fn insert_reset(
    ex: &mut impl Executor,
    id: Uuid,
    query_key: Option<&str>,
    article_id: Option<Uuid>,
    at: DateTime<Utc>,
    by: &str,
) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query(
        "INSERT INTO search_learning_resets (id, query_key, article_id, at, by_name) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(query_key)
    .bind(article_id)
    .bind(at)
    .bind(by)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Titles of articles by id (for the learning screen): the published version's, else the
/// latest's (an archived article's boost can still be seen and reset). One query.
pub async fn article_titles(ex: &mut impl Executor, ids: &[Uuid]) -> StoreResult<HashMap<Uuid, String>> {
    let select = "SELECT a.id, v.title FROM articles a JOIN article_versions v ON v.article_id = a.id \
                  AND v.version = COALESCE(a.published_version, a.latest_version) WHERE a.id IN (";
    let rows: Vec<(Uuid, String)> = super::fetch_by_ids(ex, select, ids, "").await?;
    Ok(rows.into_iter().collect())
}
