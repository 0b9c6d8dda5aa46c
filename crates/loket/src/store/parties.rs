//! SQL for parties (partijen), their identifiers and digital addresses.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Executor, StoreResult};
use crate::on_backend;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PartyRow {
    pub id: Uuid,
    pub kind: String,
    pub given_name: String,
    pub surname_prefix: String,
    pub surname: String,
    pub organisation_name: String,
    pub display_name: String,
    pub name_key: String,
    pub confidential: bool,
    pub street: String,
    pub house_number: Option<i32>,
    pub house_letter: String,
    pub house_number_addition: String,
    pub postcode: Option<String>,
    pub city: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct IdentifierRow {
    pub id: Uuid,
    pub party_id: Uuid,
    pub kind: String,
    pub value: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DigitalAddressRow {
    pub id: Uuid,
    pub party_id: Uuid,
    pub kind: String,
    pub value: String,
    pub lookup: String,
    pub description: String,
    pub preferred: bool,
    pub created_at: DateTime<Utc>,
}

const PARTY_COLUMNS: &str = "id, kind, given_name, surname_prefix, surname, organisation_name, display_name, name_key, \
     confidential, street, house_number, house_letter, house_number_addition, postcode, city, created_at, updated_at";

pub async fn insert_party(ex: &mut impl Executor, p: &PartyRow) -> StoreResult<()> {
    let sql = format!(
        "INSERT INTO parties ({PARTY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)"
    );
    on_backend!(ex, c => sqlx::query(&sql)
        .bind(p.id)
        .bind(&p.kind)
        .bind(&p.given_name)
        .bind(&p.surname_prefix)
        .bind(&p.surname)
        .bind(&p.organisation_name)
        .bind(&p.display_name)
        .bind(&p.name_key)
        .bind(p.confidential)
        .bind(&p.street)
        .bind(p.house_number)
        .bind(&p.house_letter)
        .bind(&p.house_number_addition)
        .bind(&p.postcode)
        .bind(&p.city)
        .bind(p.created_at)
        .bind(p.updated_at)
        .execute(c)
        .await
        .map(|_| ()))?;
    Ok(())
}

pub async fn insert_identifier(ex: &mut impl Executor, i: &IdentifierRow) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query(
        "INSERT INTO party_identifiers (id, party_id, kind, value, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(i.id)
    .bind(i.party_id)
    .bind(&i.kind)
    .bind(&i.value)
    .bind(i.created_at)
    .execute(c)
    .await
    .map(|_| ()))?;
    Ok(())
}

pub async fn insert_digital_address(ex: &mut impl Executor, d: &DigitalAddressRow) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query(
        "INSERT INTO digital_addresses (id, party_id, kind, value, lookup, description, preferred, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(d.id)
    .bind(d.party_id)
    .bind(&d.kind)
    .bind(&d.value)
    .bind(&d.lookup)
    .bind(&d.description)
    .bind(d.preferred)
    .bind(d.created_at)
    .execute(c)
    .await
    .map(|_| ()))?;
    Ok(())
}

/// Makes `preferred` the one preferred address of its party.
pub async fn prefer_digital_address(ex: &mut impl Executor, party_id: Uuid, preferred: Uuid) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query("UPDATE digital_addresses SET preferred = (id = $2) WHERE party_id = $1")
        .bind(party_id)
        .bind(preferred)
        .execute(c)
        .await
        .map(|_| ()))?;
    Ok(())
}

/// Takes the party's row lock, so two writers adding addresses do not interleave.
pub async fn touch_party(ex: &mut impl Executor, id: Uuid, at: DateTime<Utc>) -> StoreResult<bool> {
    let n = on_backend!(ex, c => sqlx::query("UPDATE parties SET updated_at = $2 WHERE id = $1")
        .bind(id)
        .bind(at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

pub async fn find_party(ex: &mut impl Executor, id: Uuid) -> StoreResult<Option<PartyRow>> {
    let sql = format!("SELECT {PARTY_COLUMNS} FROM parties WHERE id = $1");
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(id).fetch_optional(c).await)?)
}

/// The party holding an identifier of `kind` with `value`.
pub async fn party_by_identifier(ex: &mut impl Executor, kind: &str, value: &str) -> StoreResult<Option<Uuid>> {
    Ok(on_backend!(ex, c => sqlx::query_scalar(
        "SELECT party_id FROM party_identifiers WHERE kind = $1 AND value = $2",
    )
    .bind(kind)
    .bind(value)
    .fetch_optional(c)
    .await)?)
}

/// Parties with a digital address whose lookup form is `lookup`, newest first.
pub async fn parties_by_digital_address(
    ex: &mut impl Executor,
    lookup: &str,
    limit: i64,
) -> StoreResult<Vec<PartyRow>> {
    let sql = format!(
        "SELECT {PARTY_COLUMNS} FROM parties WHERE id IN (SELECT party_id FROM digital_addresses WHERE lookup = $1)
         ORDER BY created_at DESC LIMIT $2"
    );
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(lookup).bind(limit).fetch_all(c).await)?)
}

/// Parties at a postcode (and house number, when given).
pub async fn parties_by_address(
    ex: &mut impl Executor,
    postcode: &str,
    house_number: Option<i32>,
    limit: i64,
) -> StoreResult<Vec<PartyRow>> {
    let sql = format!(
        "SELECT {PARTY_COLUMNS} FROM parties WHERE postcode = $1 AND ($2 IS NULL OR house_number = $2)
         ORDER BY house_number, display_name LIMIT $3"
    );
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(postcode).bind(house_number).bind(limit).fetch_all(c).await)?)
}

/// Parties whose folded name contains every one of `words` (already folded, no wildcards).
pub async fn parties_by_name(ex: &mut impl Executor, words: &[String], limit: i64) -> StoreResult<Vec<PartyRow>> {
    on_backend!(ex, c => {
        let mut b = sqlx::QueryBuilder::new(format!("SELECT {PARTY_COLUMNS} FROM parties WHERE 1 = 1"));
        for w in words {
            b.push(" AND name_key LIKE ");
            b.push_bind(format!("%{w}%"));
        }
        b.push(" ORDER BY display_name LIMIT ");
        b.push_bind(limit);
        Ok(b.build_query_as().fetch_all(&mut *c).await?)
    })
}

pub async fn parties(ex: &mut impl Executor, ids: &[Uuid]) -> StoreResult<Vec<PartyRow>> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let rows: Vec<PartyRow> = on_backend!(ex, c => {
            let mut b = sqlx::QueryBuilder::new(format!("SELECT {PARTY_COLUMNS} FROM parties WHERE id IN ("));
            let mut list = b.separated(", ");
            for id in chunk {
                list.push_bind(*id);
            }
            b.push(")");
            b.build_query_as().fetch_all(&mut *c).await
        })?;
        out.extend(rows);
    }
    Ok(out)
}

pub async fn identifiers_of(ex: &mut impl Executor, party_ids: &[Uuid]) -> StoreResult<Vec<IdentifierRow>> {
    let mut out = Vec::new();
    for chunk in party_ids.chunks(500) {
        let rows: Vec<IdentifierRow> = on_backend!(ex, c => {
            let mut b = sqlx::QueryBuilder::new(
                "SELECT id, party_id, kind, value, created_at FROM party_identifiers WHERE party_id IN (",
            );
            let mut list = b.separated(", ");
            for id in chunk {
                list.push_bind(*id);
            }
            b.push(") ORDER BY created_at, id");
            b.build_query_as().fetch_all(&mut *c).await
        })?;
        out.extend(rows);
    }
    Ok(out)
}

pub async fn digital_addresses_of(ex: &mut impl Executor, party_ids: &[Uuid]) -> StoreResult<Vec<DigitalAddressRow>> {
    let mut out = Vec::new();
    for chunk in party_ids.chunks(500) {
        let rows: Vec<DigitalAddressRow> = on_backend!(ex, c => {
            let mut b = sqlx::QueryBuilder::new(
                "SELECT id, party_id, kind, value, lookup, description, preferred, created_at FROM digital_addresses \
                 WHERE party_id IN (",
            );
            let mut list = b.separated(", ");
            for id in chunk {
                list.push_bind(*id);
            }
            b.push(") ORDER BY preferred DESC, created_at, id");
            b.build_query_as().fetch_all(&mut *c).await
        })?;
        out.extend(rows);
    }
    Ok(out)
}
