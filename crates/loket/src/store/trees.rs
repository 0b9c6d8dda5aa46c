//! SQL for decision trees and their versions.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Executor, StoreResult};
use crate::on_backend;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TreeRow {
    pub id: Uuid,
    pub owner_id: Option<Uuid>,
    pub latest_version: i32,
    pub published_version: Option<i32>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TreeVersionRow {
    pub tree_id: Uuid,
    pub version: i32,
    pub state: String,
    pub title: String,
    pub description: String,
    pub definition: String,
    pub substantive: bool,
    pub urgent: bool,
    pub reason: String,
    pub author_name: String,
    pub created_at: DateTime<Utc>,
    pub approved_by: Option<String>,
    pub published_by: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
}

const TREE: &str = "id, owner_id, latest_version, published_version, created_at, updated_at";
const VERSION: &str = "tree_id, version, state, title, description, definition, substantive, urgent, reason, author_name, \
     created_at, approved_by, published_by, published_at";

pub async fn insert(ex: &mut impl Executor, t: &TreeRow) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query(
        "INSERT INTO decision_trees (id, owner_id, latest_version, published_version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(t.id)
    .bind(t.owner_id)
    .bind(t.latest_version)
    .bind(t.published_version)
    .bind(t.created_at)
    .bind(t.updated_at)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn insert_version(ex: &mut impl Executor, v: &TreeVersionRow) -> StoreResult<()> {
    let sql = format!(
        "INSERT INTO decision_tree_versions ({VERSION}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
    );
    on_backend!(ex, c => sqlx::query(&sql)
        .bind(v.tree_id)
        .bind(v.version)
        .bind(&v.state)
        .bind(&v.title)
        .bind(&v.description)
        .bind(&v.definition)
        .bind(v.substantive)
        .bind(v.urgent)
        .bind(&v.reason)
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

pub async fn find(ex: &mut impl Executor, id: Uuid) -> StoreResult<Option<TreeRow>> {
    let sql = format!("SELECT {TREE} FROM decision_trees WHERE id = $1");
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(id).fetch_optional(c).await)?)
}

pub async fn version(ex: &mut impl Executor, id: Uuid, version: i32) -> StoreResult<Option<TreeVersionRow>> {
    let sql = format!("SELECT {VERSION} FROM decision_tree_versions WHERE tree_id = $1 AND version = $2");
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(id).bind(version).fetch_optional(c).await)?)
}

/// (tree, title, state) by latest version, or only published (with the published title).
pub async fn list(ex: &mut impl Executor, published_only: bool) -> StoreResult<Vec<(Uuid, String, String)>> {
    let sql = if published_only {
        "SELECT t.id, v.title, v.state FROM decision_trees t JOIN decision_tree_versions v ON v.tree_id = t.id AND v.version = t.published_version
         WHERE v.state = 'gepubliceerd' ORDER BY v.title"
    } else {
        "SELECT t.id, v.title, v.state FROM decision_trees t JOIN decision_tree_versions v ON v.tree_id = t.id AND v.version = t.latest_version
         ORDER BY v.title"
    };
    Ok(on_backend!(ex, c => sqlx::query_as(sql).fetch_all(c).await)?)
}
