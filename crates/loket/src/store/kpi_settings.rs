//! SQL for the beheerder's parameters: the KPI parameters (one row each) and the SLA policy (one
//! JSON document under `sla_policy`). A missing row is the default.

use chrono::{DateTime, Utc};

use super::{Executor, StoreResult};
use crate::on_backend;

pub async fn all(ex: &mut impl Executor) -> StoreResult<Vec<(String, String)>> {
    Ok(on_backend!(ex, c => sqlx::query_as("SELECT key, value FROM kpi_settings ORDER BY key").fetch_all(c).await)?)
}

pub async fn put(ex: &mut impl Executor, key: &str, value: &str, at: DateTime<Utc>, by: &str) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query(
        "INSERT INTO kpi_settings (key, value, updated_at, updated_by) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(key).bind(value).bind(at).bind(by).execute(c).await.map(|_| ()))?;
    Ok(())
}

pub async fn get(ex: &mut impl Executor, key: &str) -> StoreResult<Option<String>> {
    Ok(
        on_backend!(ex, c => sqlx::query_scalar("SELECT value FROM kpi_settings WHERE key = $1").bind(key).fetch_optional(c).await)?,
    )
}
