//! SQL for requests (verzoeken), their status history and the contacts about them.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Executor, StoreResult};
use crate::on_backend;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RequestTypeRow {
    pub code: String,
    pub name: String,
    pub expected_days: i32,
    pub active: bool,
    pub position: i32,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RequestRow {
    pub id: Uuid,
    pub request_type: String,
    pub subject: String,
    pub description: String,
    pub party_id: Option<Uuid>,
    pub unit_id: Option<Uuid>,
    pub status: String,
    pub expected_on: Option<String>,
    pub external_ref: Option<String>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StatusRow {
    pub id: Uuid,
    pub request_id: Uuid,
    pub status: String,
    pub note: String,
    pub expected_on: Option<String>,
    pub at: DateTime<Utc>,
    pub by_name: String,
}

const COLUMNS: &str = "id, request_type, subject, description, party_id, unit_id, status, expected_on, external_ref, \
     created_at, created_by, updated_at";

pub async fn types(ex: &mut impl Executor) -> StoreResult<Vec<RequestTypeRow>> {
    Ok(on_backend!(ex, c => sqlx::query_as(
        "SELECT code, name, expected_days, active, position FROM request_types ORDER BY position, code",
    )
    .fetch_all(c)
    .await)?)
}

pub async fn insert(ex: &mut impl Executor, r: &RequestRow) -> StoreResult<()> {
    let sql = format!("INSERT INTO requests ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)");
    on_backend!(ex, c => sqlx::query(&sql)
        .bind(r.id)
        .bind(&r.request_type)
        .bind(&r.subject)
        .bind(&r.description)
        .bind(r.party_id)
        .bind(r.unit_id)
        .bind(&r.status)
        .bind(&r.expected_on)
        .bind(&r.external_ref)
        .bind(r.created_at)
        .bind(&r.created_by)
        .bind(r.updated_at)
        .execute(c)
        .await
        .map(|_| ()))?;
    Ok(())
}

pub async fn insert_status(ex: &mut impl Executor, s: &StatusRow) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query(
        "INSERT INTO request_status_history (id, request_id, status, note, expected_on, at, by_name)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(s.id)
    .bind(s.request_id)
    .bind(&s.status)
    .bind(&s.note)
    .bind(&s.expected_on)
    .bind(s.at)
    .bind(&s.by_name)
    .execute(c)
    .await
    .map(|_| ()))?;
    Ok(())
}

/// Sets the current status (and expected date); false when there is no such request.
pub async fn set_status(
    ex: &mut impl Executor,
    id: Uuid,
    status: &str,
    expected_on: Option<&str>,
    at: DateTime<Utc>,
) -> StoreResult<bool> {
    let n = on_backend!(ex, c => sqlx::query(
        "UPDATE requests SET status = $2, expected_on = $3, updated_at = $4 WHERE id = $1",
    )
    .bind(id)
    .bind(status)
    .bind(expected_on)
    .bind(at)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Takes the request's row lock before a status change (no-op update), so two changes queue.
pub async fn lock(ex: &mut impl Executor, id: Uuid) -> StoreResult<Option<RequestRow>> {
    on_backend!(ex, c => sqlx::query("UPDATE requests SET updated_at = updated_at WHERE id = $1")
        .bind(id)
        .execute(&mut *c)
        .await
        .map(|_| ()))?;
    find(ex, id).await
}

pub async fn find(ex: &mut impl Executor, id: Uuid) -> StoreResult<Option<RequestRow>> {
    let sql = format!("SELECT {COLUMNS} FROM requests WHERE id = $1");
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(id).fetch_optional(c).await)?)
}

pub async fn of_party(ex: &mut impl Executor, party_id: Uuid, limit: i64) -> StoreResult<Vec<RequestRow>> {
    let sql = format!("SELECT {COLUMNS} FROM requests WHERE party_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2");
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(party_id).bind(limit).fetch_all(c).await)?)
}

pub async fn history(ex: &mut impl Executor, request_ids: &[Uuid]) -> StoreResult<Vec<StatusRow>> {
    let select = "SELECT id, request_id, status, note, expected_on, at, by_name FROM request_status_history WHERE request_id IN (";
    super::fetch_by_ids(ex, select, request_ids, "ORDER BY at, id").await
}

pub async fn link_contact(ex: &mut impl Executor, contact_id: Uuid, request_id: Uuid) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query("INSERT INTO contact_requests (contact_id, request_id) VALUES ($1, $2)")
        .bind(contact_id)
        .bind(request_id)
        .execute(c)
        .await
        .map(|_| ()))?;
    Ok(())
}

/// (contact, request) pairs for these contacts.
pub async fn requests_of_contacts(ex: &mut impl Executor, contact_ids: &[Uuid]) -> StoreResult<Vec<(Uuid, Uuid)>> {
    let select = "SELECT contact_id, request_id FROM contact_requests WHERE contact_id IN (";
    super::fetch_by_ids(ex, select, contact_ids, "").await
}

/// The contacts about these requests: (request, contact, channel, subject, started_at), newest
/// first within each chunk of requests.
pub async fn contacts_of_requests(
    ex: &mut impl Executor,
    request_ids: &[Uuid],
) -> StoreResult<Vec<(Uuid, Uuid, String, String, DateTime<Utc>)>> {
    let select = "SELECT cr.request_id, k.id, k.channel, k.subject, k.started_at FROM contacts k \
                  JOIN contact_requests cr ON cr.contact_id = k.id WHERE cr.request_id IN (";
    super::fetch_by_ids(ex, select, request_ids, "ORDER BY k.started_at DESC, k.id DESC").await
}
