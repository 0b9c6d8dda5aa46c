//! SQL for organisational units (afdelingen and teams).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Executor, StoreResult};
use crate::on_backend;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UnitRow {
    pub id: Uuid,
    pub name: String,
    pub kind: String,
    pub parent_id: Option<Uuid>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub description: String,
    pub created_at: DateTime<Utc>,
}

pub async fn insert(ex: &mut impl Executor, unit: &UnitRow) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query(
        "INSERT INTO units (id, name, kind, parent_id, email, phone, description, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(unit.id)
    .bind(&unit.name)
    .bind(&unit.kind)
    .bind(unit.parent_id)
    .bind(&unit.email)
    .bind(&unit.phone)
    .bind(&unit.description)
    .bind(unit.created_at)
    .execute(c)
    .await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn find(ex: &mut impl Executor, id: Uuid) -> StoreResult<Option<UnitRow>> {
    Ok(on_backend!(ex, c => sqlx::query_as(
        "SELECT id, name, kind, parent_id, email, phone, description, created_at FROM units WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(c)
    .await)?)
}

pub async fn find_by_name(ex: &mut impl Executor, name: &str) -> StoreResult<Option<UnitRow>> {
    Ok(on_backend!(ex, c => sqlx::query_as(
        "SELECT id, name, kind, parent_id, email, phone, description, created_at FROM units WHERE name = $1",
    )
    .bind(name)
    .fetch_optional(c)
    .await)?)
}

pub async fn list(ex: &mut impl Executor) -> StoreResult<Vec<UnitRow>> {
    Ok(on_backend!(ex, c => sqlx::query_as(
        "SELECT id, name, kind, parent_id, email, phone, description, created_at FROM units ORDER BY name",
    )
    .fetch_all(c)
    .await)?)
}

/// Active members per unit.
pub async fn member_counts(ex: &mut impl Executor) -> StoreResult<Vec<(Uuid, i64)>> {
    Ok(on_backend!(ex, c => sqlx::query_as(
        "SELECT unit_id, COUNT(*) FROM users WHERE unit_id IS NOT NULL AND active = TRUE GROUP BY unit_id",
    )
    .fetch_all(c)
    .await)?)
}
