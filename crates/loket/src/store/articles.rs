//! SQL for knowledge articles and their versions.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::{Executor, StoreResult};
use crate::on_backend;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ArticleRow {
    pub id: Uuid,
    pub external_id: Option<String>,
    pub owner_id: Option<Uuid>,
    pub unit_id: Option<Uuid>,
    pub latest_version: i32,
    pub published_version: Option<i32>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VersionRow {
    pub article_id: Uuid,
    pub version: i32,
    pub state: String,
    pub title: String,
    pub short_answer: String,
    pub body: String,
    pub instructions: String,
    pub audience: String,
    pub keywords: String,
    pub synonyms: String,
    pub upl_product: Option<String>,
    pub category: String,
    pub valid_from: Option<DateTime<Utc>>,
    pub valid_until: Option<DateTime<Utc>>,
    pub review_date: Option<NaiveDate>,
    pub related: String,
    pub substantive: bool,
    pub urgent: bool,
    pub reason: String,
    pub author_id: Option<Uuid>,
    pub author_name: String,
    pub created_at: DateTime<Utc>,
    pub approved_by: Option<String>,
    pub published_by: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
}

const ARTICLE_COLUMNS: &str =
    "id, external_id, owner_id, unit_id, latest_version, published_version, created_at, updated_at";
const VERSION_COLUMNS: &str = "article_id, version, state, title, short_answer, body, instructions, audience, keywords, \
     synonyms, upl_product, category, valid_from, valid_until, review_date, related, substantive, urgent, reason, \
     author_id, author_name, created_at, approved_by, published_by, published_at";

pub async fn insert(ex: &mut impl Executor, a: &ArticleRow) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query(
        "INSERT INTO articles (id, external_id, owner_id, unit_id, latest_version, published_version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(a.id)
    .bind(&a.external_id)
    .bind(a.owner_id)
    .bind(a.unit_id)
    .bind(a.latest_version)
    .bind(a.published_version)
    .bind(a.created_at)
    .bind(a.updated_at)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn insert_version(ex: &mut impl Executor, v: &VersionRow) -> StoreResult<()> {
    let sql = format!(
        "INSERT INTO article_versions ({VERSION_COLUMNS}) VALUES
         ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25)"
    );
    on_backend!(ex, c => sqlx::query(&sql)
        .bind(v.article_id)
        .bind(v.version)
        .bind(&v.state)
        .bind(&v.title)
        .bind(&v.short_answer)
        .bind(&v.body)
        .bind(&v.instructions)
        .bind(&v.audience)
        .bind(&v.keywords)
        .bind(&v.synonyms)
        .bind(&v.upl_product)
        .bind(&v.category)
        .bind(v.valid_from)
        .bind(v.valid_until)
        .bind(v.review_date)
        .bind(&v.related)
        .bind(v.substantive)
        .bind(v.urgent)
        .bind(&v.reason)
        .bind(v.author_id)
        .bind(&v.author_name)
        .bind(v.created_at)
        .bind(&v.approved_by)
        .bind(&v.published_by)
        .bind(v.published_at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn find(ex: &mut impl Executor, id: Uuid) -> StoreResult<Option<ArticleRow>> {
    let sql = format!("SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = $1");
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(id).fetch_optional(c).await)?)
}

pub async fn find_by_external_id(ex: &mut impl Executor, external_id: &str) -> StoreResult<Option<ArticleRow>> {
    let sql = format!("SELECT {ARTICLE_COLUMNS} FROM articles WHERE external_id = $1");
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(external_id).fetch_optional(c).await)?)
}

pub async fn version(ex: &mut impl Executor, id: Uuid, version: i32) -> StoreResult<Option<VersionRow>> {
    let sql = format!("SELECT {VERSION_COLUMNS} FROM article_versions WHERE article_id = $1 AND version = $2");
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(id).bind(version).fetch_optional(c).await)?)
}

/// Every version of an article, newest first.
pub async fn versions(ex: &mut impl Executor, id: Uuid) -> StoreResult<Vec<VersionRow>> {
    let sql = format!("SELECT {VERSION_COLUMNS} FROM article_versions WHERE article_id = $1 ORDER BY version DESC");
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(id).fetch_all(c).await)?)
}

pub async fn set_owner(
    ex: &mut impl Executor,
    id: Uuid,
    owner_id: Option<Uuid>,
    unit_id: Option<Uuid>,
) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query("UPDATE articles SET owner_id = $2, unit_id = $3 WHERE id = $1")
        .bind(id)
        .bind(owner_id)
        .bind(unit_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// An article with one of its versions, for listings.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Listed {
    #[sqlx(flatten)]
    pub article: ArticleRow,
    pub state: String,
    pub title: String,
    pub short_answer: String,
    pub audience: String,
    pub category: String,
    pub review_date: Option<NaiveDate>,
    pub valid_until: Option<DateTime<Utc>>,
}

const LISTED: &str = "a.id, a.external_id, a.owner_id, a.unit_id, a.latest_version, a.published_version, a.created_at, \
     a.updated_at, v.state, v.title, v.short_answer, v.audience, v.category, v.review_date, v.valid_until";

/// Articles by their latest version (what editors work on); `state` and a title fragment
/// (lower-case LIKE pattern) narrow it.
pub async fn list_latest(
    ex: &mut impl Executor,
    state: Option<&str>,
    title_like: Option<&str>,
    limit: i64,
) -> StoreResult<Vec<Listed>> {
    let sql = format!(
        "SELECT {LISTED} FROM articles a JOIN article_versions v ON v.article_id = a.id AND v.version = a.latest_version
         WHERE ($1 IS NULL OR v.state = $1) AND ($2 IS NULL OR lower(v.title) LIKE $2 ESCAPE '\\')
         ORDER BY v.title LIMIT $3"
    );
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(state).bind(title_like).bind(limit).fetch_all(c).await)?)
}

/// Published articles agents may see now: not expired, already valid; `public_only` for citizens.
pub async fn list_published(
    ex: &mut impl Executor,
    now: DateTime<Utc>,
    title_like: Option<&str>,
    public_only: bool,
    limit: i64,
) -> StoreResult<Vec<Listed>> {
    let sql = format!(
        "SELECT {LISTED} FROM articles a JOIN article_versions v ON v.article_id = a.id AND v.version = a.published_version
         WHERE v.state = 'gepubliceerd'
           AND (v.valid_from IS NULL OR v.valid_from <= $1) AND (v.valid_until IS NULL OR v.valid_until > $1)
           AND ($2 IS NULL OR lower(v.title) LIKE $2 ESCAPE '\\')
           AND ($3 = FALSE OR v.audience = 'publiek')
         ORDER BY v.title LIMIT $4"
    );
    Ok(
        on_backend!(ex, c => sqlx::query_as(&sql).bind(now).bind(title_like).bind(public_only).bind(limit).fetch_all(c).await)?,
    )
}

/// Published articles whose review date has come, optionally of one owner.
pub async fn due_for_review(ex: &mut impl Executor, today: NaiveDate, owner: Option<Uuid>) -> StoreResult<Vec<Listed>> {
    let sql = format!(
        "SELECT {LISTED} FROM articles a JOIN article_versions v ON v.article_id = a.id AND v.version = a.published_version
         WHERE v.state = 'gepubliceerd' AND v.review_date IS NOT NULL AND v.review_date <= $1
           AND ($2 IS NULL OR a.owner_id = $2)
         ORDER BY v.review_date, v.title"
    );
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(today).bind(owner).fetch_all(c).await)?)
}

/// For export: every article with its published version, or else its latest.
pub async fn all_for_export(ex: &mut impl Executor) -> StoreResult<Vec<(ArticleRow, VersionRow)>> {
    let sql = format!("SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY created_at, id");
    let articles: Vec<ArticleRow> = on_backend!(ex, c => sqlx::query_as(&sql).fetch_all(c).await)?;
    let mut out = Vec::with_capacity(articles.len());
    for a in articles {
        if let Some(v) = version(ex, a.id, a.published_version.unwrap_or(a.latest_version)).await? {
            out.push((a, v));
        }
    }
    Ok(out)
}

pub async fn upsert_upl(ex: &mut impl Executor, name: &str, uri: &str, burger: bool, bedrijf: bool) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query(
        "INSERT INTO upl_products (name, uri, burger, bedrijf) VALUES ($1, $2, $3, $4)
         ON CONFLICT (name) DO UPDATE SET uri = excluded.uri, burger = excluded.burger, bedrijf = excluded.bedrijf",
    )
    .bind(name)
    .bind(uri)
    .bind(burger)
    .bind(bedrijf)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn upl_exists(ex: &mut impl Executor, name: &str) -> StoreResult<bool> {
    let n: i64 = on_backend!(ex, c => sqlx::query_scalar("SELECT COUNT(*) FROM upl_products WHERE name = $1").bind(name).fetch_one(c).await)?;
    Ok(n > 0)
}

pub async fn upl_count(ex: &mut impl Executor) -> StoreResult<i64> {
    Ok(on_backend!(ex, c => sqlx::query_scalar("SELECT COUNT(*) FROM upl_products").fetch_one(c).await)?)
}

pub async fn upl_names(ex: &mut impl Executor) -> StoreResult<Vec<String>> {
    Ok(on_backend!(ex, c => sqlx::query_scalar("SELECT name FROM upl_products ORDER BY name").fetch_all(c).await)?)
}
