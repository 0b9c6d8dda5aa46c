//! SQL for contacts (klantcontacten), their participants and sources, and the lists of
//! channels and outcomes.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Executor, StoreResult};
use crate::on_backend;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ContactRow {
    pub id: Uuid,
    pub channel: String,
    pub subject: String,
    pub product: Option<String>,
    pub question: String,
    pub notes: String,
    pub response: String,
    pub language: String,
    pub confidential: bool,
    pub contact_made: bool,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub outcome: Option<String>,
    pub agent_id: Option<Uuid>,
    pub agent_name: String,
    pub unit_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ParticipantRow {
    pub id: Uuid,
    pub contact_id: Uuid,
    pub party_id: Option<Uuid>,
    pub role: String,
    pub initiator: bool,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SourceRow {
    pub contact_id: Uuid,
    pub position: i32,
    pub kind: String,
    pub item_id: Uuid,
    pub title: String,
    pub detail: String,
}

/// A channel or an outcome: the lists a beheerder keeps.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ListEntryRow {
    pub code: String,
    pub name: String,
    pub active: bool,
    pub position: i32,
}

pub(crate) const CONTACT_COLUMNS: &str = "id, channel, subject, product, question, notes, response, language, confidential, \
     contact_made, started_at, ended_at, outcome, agent_id, agent_name, unit_id, created_at";

/// The lists a beheerder keeps; each is a table of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContactList {
    Channels,
    Outcomes,
}

impl ContactList {
    fn table(self) -> &'static str {
        match self {
            ContactList::Channels => "contact_channels",
            ContactList::Outcomes => "contact_outcomes",
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            ContactList::Channels => "channels",
            ContactList::Outcomes => "outcomes",
        }
    }

    /// The object type of its audit lines.
    pub fn object_type(self) -> &'static str {
        match self {
            ContactList::Channels => "contact_channel",
            ContactList::Outcomes => "contact_outcome",
        }
    }
}

pub async fn list_entries(ex: &mut impl Executor, list: ContactList) -> StoreResult<Vec<ListEntryRow>> {
    // The table name comes from the enum, never from input.
    let sql = format!("SELECT code, name, active, position FROM {} ORDER BY position, code", list.table());
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).fetch_all(c).await)?)
}

pub async fn save_list_entry(ex: &mut impl Executor, list: ContactList, row: &ListEntryRow) -> StoreResult<()> {
    let sql = format!(
        "INSERT INTO {} (code, name, active, position) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (code) DO UPDATE SET name = excluded.name, active = excluded.active, position = excluded.position",
        list.table()
    );
    on_backend!(ex, c => sqlx::query(&sql)
        .bind(&row.code).bind(&row.name).bind(row.active).bind(row.position).execute(c).await.map(|_| ()))?;
    Ok(())
}

pub async fn channels(ex: &mut impl Executor) -> StoreResult<Vec<ListEntryRow>> {
    list_entries(ex, ContactList::Channels).await
}

pub async fn outcomes(ex: &mut impl Executor) -> StoreResult<Vec<ListEntryRow>> {
    list_entries(ex, ContactList::Outcomes).await
}

pub async fn insert_contact(ex: &mut impl Executor, r: &ContactRow) -> StoreResult<()> {
    let sql = format!(
        "INSERT INTO contacts ({CONTACT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)"
    );
    on_backend!(ex, c => sqlx::query(&sql)
        .bind(r.id)
        .bind(&r.channel)
        .bind(&r.subject)
        .bind(&r.product)
        .bind(&r.question)
        .bind(&r.notes)
        .bind(&r.response)
        .bind(&r.language)
        .bind(r.confidential)
        .bind(r.contact_made)
        .bind(r.started_at)
        .bind(r.ended_at)
        .bind(&r.outcome)
        .bind(r.agent_id)
        .bind(&r.agent_name)
        .bind(r.unit_id)
        .bind(r.created_at)
        .execute(c)
        .await
        .map(|_| ()))?;
    Ok(())
}

pub async fn insert_participant(ex: &mut impl Executor, p: &ParticipantRow) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query(
        "INSERT INTO contact_participants (id, contact_id, party_id, role, initiator) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(p.id)
    .bind(p.contact_id)
    .bind(p.party_id)
    .bind(&p.role)
    .bind(p.initiator)
    .execute(c)
    .await
    .map(|_| ()))?;
    Ok(())
}

pub async fn insert_source(ex: &mut impl Executor, s: &SourceRow) -> StoreResult<()> {
    on_backend!(ex, c => sqlx::query(
        "INSERT INTO contact_sources (contact_id, position, kind, item_id, title, detail) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(s.contact_id)
    .bind(s.position)
    .bind(&s.kind)
    .bind(s.item_id)
    .bind(&s.title)
    .bind(&s.detail)
    .execute(c)
    .await
    .map(|_| ()))?;
    Ok(())
}

pub async fn find_contact(ex: &mut impl Executor, id: Uuid) -> StoreResult<Option<ContactRow>> {
    let sql = format!("SELECT {CONTACT_COLUMNS} FROM contacts WHERE id = $1");
    Ok(on_backend!(ex, c => sqlx::query_as(&sql).bind(id).fetch_optional(c).await)?)
}

/// The contacts a party took part in, newest first; only `channel` when given.
///
/// Two steps on purpose: the party's contact ids from its own index, then those contacts. As
/// one query with `IN (SELECT …) ORDER BY started_at LIMIT`, PostgreSQL chose to walk all
/// contacts by time and took a second for a 1,000-item timeline among 5 million contacts.
pub async fn contacts_of_party(
    ex: &mut impl Executor,
    party_id: Uuid,
    channel: Option<&str>,
    limit: i64,
) -> StoreResult<Vec<ContactRow>> {
    let ids: Vec<Uuid> = on_backend!(ex, c => sqlx::query_scalar(
        "SELECT contact_id FROM contact_participants WHERE party_id = $1",
    )
    .bind(party_id)
    .fetch_all(c)
    .await)?;
    let mut rows: Vec<ContactRow> = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let found: Vec<ContactRow> = on_backend!(ex, c => {
            let mut b = sqlx::QueryBuilder::new(format!("SELECT {CONTACT_COLUMNS} FROM contacts WHERE id IN ("));
            let mut list = b.separated(", ");
            for id in chunk {
                list.push_bind(*id);
            }
            b.push(")");
            if let Some(channel) = channel {
                b.push(" AND channel = ");
                b.push_bind(channel);
            }
            b.build_query_as().fetch_all(&mut *c).await
        })?;
        rows.extend(found);
    }
    rows.sort_by(|a, b| b.started_at.cmp(&a.started_at).then(b.id.cmp(&a.id)));
    rows.dedup_by_key(|r| r.id);
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    Ok(rows)
}

pub async fn participants_of(ex: &mut impl Executor, contact_ids: &[Uuid]) -> StoreResult<Vec<ParticipantRow>> {
    let select = "SELECT id, contact_id, party_id, role, initiator FROM contact_participants WHERE contact_id IN (";
    super::fetch_by_ids(ex, select, contact_ids, "ORDER BY initiator DESC, id").await
}

pub async fn sources_of(ex: &mut impl Executor, contact_ids: &[Uuid]) -> StoreResult<Vec<SourceRow>> {
    let select = "SELECT contact_id, position, kind, item_id, title, detail FROM contact_sources WHERE contact_id IN (";
    super::fetch_by_ids(ex, select, contact_ids, "ORDER BY contact_id, position").await
}

/// Inserts many contacts, each with its one participant (generated demo data at scale).
pub async fn insert_contacts_many(ex: &mut impl Executor, rows: &[(ContactRow, ParticipantRow)]) -> StoreResult<()> {
    for chunk in rows.chunks(1_000) {
        on_backend!(ex, c => {
            let mut b = sqlx::QueryBuilder::new(format!("INSERT INTO contacts ({CONTACT_COLUMNS}) "));
            b.push_values(chunk, |mut v, (r, _)| {
                v.push_bind(r.id)
                    .push_bind(&r.channel)
                    .push_bind(&r.subject)
                    .push_bind(&r.product)
                    .push_bind(&r.question)
                    .push_bind(&r.notes)
                    .push_bind(&r.response)
                    .push_bind(&r.language)
                    .push_bind(r.confidential)
                    .push_bind(r.contact_made)
                    .push_bind(r.started_at)
                    .push_bind(r.ended_at)
                    .push_bind(&r.outcome)
                    .push_bind(r.agent_id)
                    .push_bind(&r.agent_name)
                    .push_bind(r.unit_id)
                    .push_bind(r.created_at);
            });
            b.build().execute(&mut *c).await.map(|_| ())
        })?;
        on_backend!(ex, c => {
            let mut b =
                sqlx::QueryBuilder::new("INSERT INTO contact_participants (id, contact_id, party_id, role, initiator) ");
            b.push_values(chunk, |mut v, (_, p)| {
                v.push_bind(p.id).push_bind(p.contact_id).push_bind(p.party_id).push_bind(&p.role).push_bind(p.initiator);
            });
            b.build().execute(&mut *c).await.map(|_| ())
        })?;
    }
    Ok(())
}

pub async fn count(ex: &mut impl Executor) -> StoreResult<i64> {
    Ok(on_backend!(ex, c => sqlx::query_scalar("SELECT COUNT(*) FROM contacts").fetch_one(c).await)?)
}

/// The party with the most contacts (the timeline benchmark's subject).
pub async fn busiest_party(ex: &mut impl Executor) -> StoreResult<Option<Uuid>> {
    Ok(on_backend!(ex, c => sqlx::query_scalar(
        "SELECT party_id FROM contact_participants WHERE party_id IS NOT NULL GROUP BY party_id ORDER BY COUNT(*) DESC LIMIT 1",
    )
    .fetch_optional(c)
    .await)?)
}

/// What the contact reports count of one contact: no free text beyond the subject.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ContactFactRow {
    pub id: Uuid,
    pub channel: String,
    pub subject: String,
    pub outcome: Option<String>,
    pub unit_id: Option<Uuid>,
    pub started_at: DateTime<Utc>,
    pub contact_made: bool,
    /// The first customer (klant) among the participants, if any.
    pub party_id: Option<Uuid>,
}

/// Contacts that started in `[from, to)`, optionally on one channel, the first first.
pub async fn facts_between(
    ex: &mut impl Executor,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    channel: Option<&str>,
) -> StoreResult<Vec<ContactFactRow>> {
    let sql = "SELECT c.id, c.channel, c.subject, c.outcome, c.unit_id, c.started_at, c.contact_made, \
               (SELECT p.party_id FROM contact_participants p WHERE p.contact_id = c.id AND p.role = 'klant' \
                AND p.party_id IS NOT NULL ORDER BY p.initiator DESC, p.id LIMIT 1) AS party_id \
               FROM contacts c WHERE c.started_at >= $1 AND c.started_at < $2 AND ($3 IS NULL OR c.channel = $3) \
               ORDER BY c.started_at, c.id";
    Ok(on_backend!(ex, c => sqlx::query_as(sql).bind(from).bind(to).bind(channel).fetch_all(c).await)?)
}

/// Writes what a correction may change of a registered contact (not who registered it, nor when).
pub async fn update_contact(ex: &mut impl Executor, r: &ContactRow) -> StoreResult<bool> {
    let n = on_backend!(ex, c => sqlx::query(
        "UPDATE contacts SET channel = $2, subject = $3, question = $4, response = $5, language = $6, \
         confidential = $7, contact_made = $8, started_at = $9, ended_at = $10, outcome = $11 WHERE id = $1",
    )
    .bind(r.id)
    .bind(&r.channel)
    .bind(&r.subject)
    .bind(&r.question)
    .bind(&r.response)
    .bind(&r.language)
    .bind(r.confidential)
    .bind(r.contact_made)
    .bind(r.started_at)
    .bind(r.ended_at)
    .bind(&r.outcome)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Whether work hangs on a contact: a task or callback from it, or a callback attempt that became it.
pub async fn contact_has_work(ex: &mut impl Executor, id: Uuid) -> StoreResult<bool> {
    let n: i64 = on_backend!(ex, c => sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM work_items WHERE contact_id = $1) \
         + (SELECT COUNT(*) FROM callbacks WHERE result_contact_id = $1) \
         + (SELECT COUNT(*) FROM callback_attempts WHERE contact_id = $1)",
    )
    .bind(id)
    .fetch_one(c)
    .await)?;
    Ok(n > 0)
}

/// Removes a contact with its participants, their names, its sources, subject objects and
/// links to requests; subject objects of other contacts that pointed at it keep their contact.
pub async fn delete_contact(ex: &mut impl Executor, id: Uuid) -> StoreResult<bool> {
    const STATEMENTS: [&str; 7] = [
        "DELETE FROM participant_names WHERE participant_id IN (SELECT id FROM contact_participants WHERE contact_id = $1)",
        "DELETE FROM contact_participants WHERE contact_id = $1",
        "DELETE FROM contact_sources WHERE contact_id = $1",
        "DELETE FROM contact_requests WHERE contact_id = $1",
        "DELETE FROM contact_subject_objects WHERE contact_id = $1",
        // A subject object that only said "this was that contact" goes with it; one of another
        // contact keeps that contact.
        "DELETE FROM contact_subject_objects WHERE was_contact_id = $1 AND contact_id IS NULL",
        "UPDATE contact_subject_objects SET was_contact_id = NULL WHERE was_contact_id = $1",
    ];
    for sql in STATEMENTS {
        super::execute_for_id(ex, sql, id).await?;
    }
    Ok(super::execute_for_id(ex, "DELETE FROM contacts WHERE id = $1", id).await? == 1)
}

/// Changes a participant's contact, party, role and initiator mark.
pub async fn update_participant(ex: &mut impl Executor, p: &ParticipantRow) -> StoreResult<bool> {
    let n = on_backend!(ex, c => sqlx::query(
        "UPDATE contact_participants SET party_id = $2, role = $3, initiator = $4, contact_id = $5 WHERE id = $1",
    )
    .bind(p.id)
    .bind(p.party_id)
    .bind(&p.role)
    .bind(p.initiator)
    .bind(p.contact_id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Removes one participant (with the name given for it) from its contact.
pub async fn delete_participant(ex: &mut impl Executor, id: Uuid) -> StoreResult<bool> {
    super::execute_for_id(ex, "DELETE FROM participant_names WHERE participant_id = $1", id).await?;
    Ok(super::execute_for_id(ex, "DELETE FROM contact_participants WHERE id = $1", id).await? == 1)
}
