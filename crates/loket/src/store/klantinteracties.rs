//! SQL for the Klantinteracties API: filtered, paged id lists over Loket's own tables, and the
//! few things that standard holds beyond them (automated actors, subject objects, the names
//! participants gave).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::contacts::{CONTACT_COLUMNS, ContactRow, ParticipantRow};
use super::parties::{DigitalAddressRow, IdentifierRow};
use super::work::WorkItemRow;
use super::{Executor, StoreResult};
use crate::on_backend;

/// A value bound into a filter.
#[derive(Debug, Clone)]
pub enum Value {
    Text(String),
    Uuid(Uuid),
    Bool(bool),
    Time(DateTime<Utc>),
}

/// Conditions joined by AND. Each is SQL with `?` where its values go; they are bound as
/// parameters, never pasted into the text.
#[derive(Debug, Clone, Default)]
pub struct Where {
    conds: Vec<(String, Vec<Value>)>,
}

impl Where {
    pub fn push(&mut self, sql: &str, values: Vec<Value>) {
        debug_assert_eq!(sql.matches('?').count(), values.len(), "one value per ? in {sql}");
        self.conds.push((sql.to_owned(), values));
    }

    pub fn is_empty(&self) -> bool {
        self.conds.is_empty()
    }

    pub fn and(mut self, other: Where) -> Where {
        self.conds.extend(other.conds);
        self
    }

    fn write<'a, DB: sqlx::Database>(&'a self, b: &mut sqlx::QueryBuilder<'a, DB>)
    where
        String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
        Uuid: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
        bool: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
        DateTime<Utc>: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    {
        for (sql, values) in &self.conds {
            b.push(" AND (");
            let mut parts = sql.split('?');
            if let Some(first) = parts.next() {
                b.push(first);
            }
            for (part, value) in parts.zip(values) {
                match value {
                    Value::Text(s) => b.push_bind(s.clone()),
                    Value::Uuid(u) => b.push_bind(*u),
                    Value::Bool(v) => b.push_bind(*v),
                    Value::Time(t) => b.push_bind(*t),
                };
                b.push(part);
            }
            b.push(")");
        }
    }
}

/// How many rows of `from` match, and the ids (`id_column`) of one page of them in `order`.
pub async fn page_of_ids(
    ex: &mut impl Executor,
    from: &str,
    id_column: &str,
    filter: &Where,
    order: &str,
    limit: i64,
    offset: i64,
) -> StoreResult<(i64, Vec<Uuid>)> {
    let count: i64 = on_backend!(ex, c => {
        let mut b = sqlx::QueryBuilder::new(format!("SELECT COUNT(*) FROM {from} WHERE 1 = 1"));
        filter.write(&mut b);
        b.build_query_scalar().fetch_one(&mut *c).await
    })?;
    if count <= offset {
        return Ok((count, Vec::new()));
    }
    let ids: Vec<Uuid> = on_backend!(ex, c => {
        let mut b = sqlx::QueryBuilder::new(format!("SELECT {id_column} FROM {from} WHERE 1 = 1"));
        filter.write(&mut b);
        b.push(format!(" ORDER BY {order} LIMIT "));
        b.push_bind(limit);
        b.push(" OFFSET ");
        b.push_bind(offset);
        b.build_query_scalar().fetch_all(&mut *c).await
    })?;
    Ok((count, ids))
}

pub async fn identifiers(ex: &mut impl Executor, ids: &[Uuid]) -> StoreResult<Vec<IdentifierRow>> {
    let select = "SELECT id, party_id, kind, value, created_at FROM party_identifiers WHERE id IN (";
    super::fetch_by_ids(ex, select, ids, "ORDER BY created_at, id").await
}

pub async fn digital_addresses(ex: &mut impl Executor, ids: &[Uuid]) -> StoreResult<Vec<DigitalAddressRow>> {
    let select = "SELECT id, party_id, kind, value, lookup, description, preferred, created_at FROM digital_addresses \
                  WHERE id IN (";
    super::fetch_by_ids(ex, select, ids, "ORDER BY created_at, id").await
}

pub async fn contacts(ex: &mut impl Executor, ids: &[Uuid]) -> StoreResult<Vec<ContactRow>> {
    let select = format!("SELECT {CONTACT_COLUMNS} FROM contacts WHERE id IN (");
    super::fetch_by_ids(ex, &select, ids, "ORDER BY started_at DESC, id DESC").await
}

pub async fn participants(ex: &mut impl Executor, ids: &[Uuid]) -> StoreResult<Vec<ParticipantRow>> {
    let select = "SELECT id, contact_id, party_id, role, initiator FROM contact_participants WHERE id IN (";
    super::fetch_by_ids(ex, select, ids, "ORDER BY id").await
}

/// The participants a party was, across all its contacts.
pub async fn participants_of_parties(ex: &mut impl Executor, party_ids: &[Uuid]) -> StoreResult<Vec<ParticipantRow>> {
    let select = "SELECT id, contact_id, party_id, role, initiator FROM contact_participants WHERE party_id IN (";
    super::fetch_by_ids(ex, select, party_ids, "ORDER BY id").await
}

pub async fn tasks(ex: &mut impl Executor, ids: &[Uuid]) -> StoreResult<Vec<WorkItemRow>> {
    let select = format!("SELECT {} FROM work_items WHERE id IN (", super::work::COLUMNS);
    super::fetch_by_ids(ex, &select, ids, "ORDER BY created_at DESC, id DESC").await
}

pub async fn tasks_of_contacts(ex: &mut impl Executor, contact_ids: &[Uuid]) -> StoreResult<Vec<WorkItemRow>> {
    let select = format!("SELECT {} FROM work_items WHERE contact_id IN (", super::work::COLUMNS);
    super::fetch_by_ids(ex, &select, contact_ids, "ORDER BY created_at, id").await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AutomatedActorRow {
    pub id: Uuid,
    pub name: String,
    pub function: String,
    pub description: String,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

pub async fn insert_automated_actor(ex: &mut impl Executor, a: &AutomatedActorRow) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query(
        "INSERT INTO automated_actors (id, name, function, description, active, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(a.id)
    .bind(&a.name)
    .bind(&a.function)
    .bind(&a.description)
    .bind(a.active)
    .bind(a.created_at)
    .execute(c)
    .await
    .map(|_| ()))?;
    Ok(())
}

pub async fn automated_actors(ex: &mut impl Executor) -> StoreResult<Vec<AutomatedActorRow>> {
    Ok(on_backend!(ex, c => sqlx::query_as(
        "SELECT id, name, function, description, active, created_at FROM automated_actors ORDER BY name, id",
    )
    .fetch_all(c)
    .await)?)
}

pub async fn find_automated_actor(ex: &mut impl Executor, id: Uuid) -> StoreResult<Option<AutomatedActorRow>> {
    Ok(on_backend!(ex, c => sqlx::query_as(
        "SELECT id, name, function, description, active, created_at FROM automated_actors WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(c)
    .await)?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SubjectObjectRow {
    pub id: Uuid,
    pub contact_id: Option<Uuid>,
    pub was_contact_id: Option<Uuid>,
    pub object_type: String,
    pub register: String,
    pub id_kind: String,
    pub object_id: String,
    pub created_at: DateTime<Utc>,
}

const SUBJECT_COLUMNS: &str = "id, contact_id, was_contact_id, object_type, register, id_kind, object_id, created_at";

pub async fn insert_subject_object(ex: &mut impl Executor, s: &SubjectObjectRow) -> StoreResult<()> {
    let sql =
        format!("INSERT INTO contact_subject_objects ({SUBJECT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
    on_backend!(ex, c => sqlx::query(&sql)
        .bind(s.id)
        .bind(s.contact_id)
        .bind(s.was_contact_id)
        .bind(&s.object_type)
        .bind(&s.register)
        .bind(&s.id_kind)
        .bind(&s.object_id)
        .bind(s.created_at)
        .execute(c)
        .await
        .map(|_| ()))?;
    Ok(())
}

pub async fn subject_objects(ex: &mut impl Executor, ids: &[Uuid]) -> StoreResult<Vec<SubjectObjectRow>> {
    let select = format!("SELECT {SUBJECT_COLUMNS} FROM contact_subject_objects WHERE id IN (");
    super::fetch_by_ids(ex, &select, ids, "ORDER BY created_at, id").await
}

pub async fn subject_objects_of(ex: &mut impl Executor, contact_ids: &[Uuid]) -> StoreResult<Vec<SubjectObjectRow>> {
    let select = format!("SELECT {SUBJECT_COLUMNS} FROM contact_subject_objects WHERE contact_id IN (");
    super::fetch_by_ids(ex, &select, contact_ids, "ORDER BY created_at, id").await
}

#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct ParticipantNameRow {
    pub participant_id: Uuid,
    pub initials: String,
    pub given_name: String,
    pub surname_prefix: String,
    pub surname: String,
    pub organisation_name: String,
}

pub async fn insert_participant_name(ex: &mut impl Executor, n: &ParticipantNameRow) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query(
        "INSERT INTO participant_names (participant_id, initials, given_name, surname_prefix, surname, organisation_name) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(n.participant_id)
    .bind(&n.initials)
    .bind(&n.given_name)
    .bind(&n.surname_prefix)
    .bind(&n.surname)
    .bind(&n.organisation_name)
    .execute(c)
    .await
    .map(|_| ()))?;
    Ok(())
}

pub async fn participant_names(
    ex: &mut impl Executor,
    participant_ids: &[Uuid],
) -> StoreResult<Vec<ParticipantNameRow>> {
    let select = "SELECT participant_id, initials, given_name, surname_prefix, surname, organisation_name \
                  FROM participant_names WHERE participant_id IN (";
    super::fetch_by_ids(ex, select, participant_ids, "").await
}
