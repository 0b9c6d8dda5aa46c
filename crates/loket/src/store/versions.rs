//! SQL shared by every kind of versioned content: an item row that points at its latest and its
//! published version, and version rows that carry the cycle's columns (state, substantive,
//! urgent, who approved and published). Each kind keeps its own pair of tables with its own
//! content columns; what the cycle reads and writes is the same in each, and lives here once.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Executor, StoreResult};
use crate::on_backend;

/// Which pair of tables holds the items.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Table {
    Articles,
    DecisionTrees,
}

impl Table {
    fn items(self) -> &'static str {
        match self {
            Table::Articles => "articles",
            Table::DecisionTrees => "decision_trees",
        }
    }

    fn versions(self) -> &'static str {
        match self {
            Table::Articles => "article_versions",
            Table::DecisionTrees => "decision_tree_versions",
        }
    }

    fn key(self) -> &'static str {
        match self {
            Table::Articles => "article_id",
            Table::DecisionTrees => "tree_id",
        }
    }
}

/// An item's pointers.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HeadRow {
    pub id: Uuid,
    pub owner_id: Option<Uuid>,
    pub latest_version: i32,
    pub published_version: Option<i32>,
}

/// What the cycle knows of one version.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VersionMetaRow {
    pub version: i32,
    pub state: String,
    pub substantive: bool,
    pub urgent: bool,
    pub reason: String,
    pub author_name: String,
    pub created_at: DateTime<Utc>,
    pub approved_by: Option<String>,
    pub published_by: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
}

const META: &str =
    "version, state, substantive, urgent, reason, author_name, created_at, approved_by, published_by, published_at";

/// Takes the item's row lock for the rest of the transaction (PostgreSQL; SQLite already lets
/// one writer in at a time), so that version pointers are read and written by one writer.
pub async fn lock(ex: &mut impl Executor, t: Table, id: Uuid) -> StoreResult<()> {
    let sql = format!("UPDATE {} SET updated_at = updated_at WHERE id = $1", t.items());
    on_backend!(ex, c => sqlx::query(&sql).bind(id).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn head(ex: &mut impl Executor, t: Table, id: Uuid) -> StoreResult<Option<HeadRow>> {
    let sql = format!("SELECT id, owner_id, latest_version, published_version FROM {} WHERE id = $1", t.items());
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(id).fetch_optional(c).await)?)
}

pub async fn meta(ex: &mut impl Executor, t: Table, id: Uuid, version: i32) -> StoreResult<Option<VersionMetaRow>> {
    let sql = format!("SELECT {META} FROM {} WHERE {} = $1 AND version = $2", t.versions(), t.key());
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(id).bind(version).fetch_optional(c).await)?)
}

/// Every version of an item, newest first, without its content.
pub async fn metas(ex: &mut impl Executor, t: Table, id: Uuid) -> StoreResult<Vec<VersionMetaRow>> {
    let sql = format!("SELECT {META} FROM {} WHERE {} = $1 ORDER BY version DESC", t.versions(), t.key());
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(id).fetch_all(c).await)?)
}

/// Points the item at its latest and published versions.
pub async fn set_pointers(
    ex: &mut impl Executor,
    t: Table,
    id: Uuid,
    latest: i32,
    published: Option<i32>,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    let sql =
        format!("UPDATE {} SET latest_version = $2, published_version = $3, updated_at = $4 WHERE id = $1", t.items());
    on_backend!(ex, c => sqlx::query(&sql)
        .bind(id)
        .bind(latest)
        .bind(published)
        .bind(at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Records a step of the cycle on one version.
pub async fn set_state(
    ex: &mut impl Executor,
    t: Table,
    id: Uuid,
    version: i32,
    state: &str,
    approved_by: Option<&str>,
    published: Option<(&str, DateTime<Utc>, bool)>,
) -> StoreResult<()> {
    let (published_by, published_at, urgent) = match published {
        Some((by, at, urgent)) => (Some(by), Some(at), Some(urgent)),
        None => (None, None, None),
    };
    let sql = format!(
        "UPDATE {} SET state = $3,
             approved_by = COALESCE($4, approved_by),
             published_by = COALESCE($5, published_by),
             published_at = COALESCE($6, published_at),
             urgent = COALESCE($7, urgent)
         WHERE {} = $1 AND version = $2",
        t.versions(),
        t.key()
    );
    on_backend!(ex, c => sqlx::query(&sql)
        .bind(id)
        .bind(version)
        .bind(state)
        .bind(approved_by)
        .bind(published_by)
        .bind(published_at)
        .bind(urgent)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}
