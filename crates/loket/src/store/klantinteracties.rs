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
enum Value {
    Text(String),
    Uuid(Uuid),
    Bool(bool),
    Time(DateTime<Utc>),
}

/// Conditions joined by AND. Each is SQL with `?` where its values go; they are bound as
/// parameters, never pasted into the text.
#[derive(Debug, Clone, Default)]
struct Where {
    conds: Vec<(String, Vec<Value>)>,
}

impl Where {
    fn push(&mut self, sql: &str, values: Vec<Value>) {
        debug_assert_eq!(sql.matches('?').count(), values.len(), "one value per ? in {sql}");
        self.conds.push((sql.to_owned(), values));
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

fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}

/// `%part%` for a case-insensitive LIKE, with LIKE's own characters taken literally.
fn contains(part: &str) -> Value {
    let escaped = part.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    Value::Text(format!("%{escaped}%"))
}

/// Parties that hold an identifier of one of `kinds` (and with `value`, when given). No kinds
/// means no party: a filter that names a register Loket does not keep matches nothing.
#[derive(Debug, Clone)]
pub struct IdentifierMatch {
    pub kinds: Vec<String>,
    pub value: Option<String>,
}

impl IdentifierMatch {
    fn push(&self, w: &mut Where, party_column: &str) {
        if self.kinds.is_empty() {
            w.push("1 = 0", vec![]);
            return;
        }
        let marks = vec!["?"; self.kinds.len()].join(", ");
        let mut values: Vec<Value> = self.kinds.iter().map(|k| text(k)).collect();
        let mut sql = format!("{party_column} IN (SELECT party_id FROM party_identifiers WHERE kind IN ({marks})");
        if let Some(v) = &self.value {
            sql.push_str(" AND value = ?");
            values.push(text(v));
        }
        sql.push(')');
        w.push(&sql, values);
    }
}

/// What `GET /klantcontacten` filters on.
#[derive(Debug, Clone)]
pub enum ContactFilter {
    Channel(String),
    Subject(String),
    Question(String),
    Response(String),
    /// Not confidential, or registered by this agent (searching a confidential text is reading it).
    ReadableBy(Uuid),
    Confidential(bool),
    ContactMade(bool),
    StartedAt(DateTime<Utc>),
    Party(Uuid),
    Participant(Uuid),
    /// With (true) or without (false) a participant that is a known party.
    HasParty(bool),
    /// A participant's party holds this identifier value (of this kind); `public_only` leaves
    /// out parties under geheimhouding.
    PartyIdentifier {
        value: String,
        kind: Option<String>,
        public_only: bool,
    },
    /// A participant's party has a digital address containing this text.
    PartyAddressContains(String),
    SubjectObject(Uuid),
    WasSubjectObject(Uuid),
    SubjectObjectId(String),
    /// Led (true) or did not lead (false) to work items.
    LedToWork(bool),
    /// Matches nothing (a field Loket does not keep).
    Nothing,
}

/// What `GET /betrokkenen` filters on.
#[derive(Debug, Clone)]
pub enum ParticipantFilter {
    Contact(Uuid),
    Party(Uuid),
    PartyIdentifier {
        value: String,
        public_only: bool,
    },
    Name(NameField, String),
    /// The party has this digital address (its lookup form, or as stored).
    PartyAddress {
        lookup: String,
        value: String,
    },
    PartyAddressId(Uuid),
    Nothing,
}

/// The parts of the name a participant gave.
#[derive(Debug, Clone, Copy)]
pub enum NameField {
    GivenName,
    Surname,
    Initials,
    SurnamePrefix,
    OrganisationName,
}

impl NameField {
    fn column(self) -> &'static str {
        match self {
            NameField::GivenName => "given_name",
            NameField::Surname => "surname",
            NameField::Initials => "initials",
            NameField::SurnamePrefix => "surname_prefix",
            NameField::OrganisationName => "organisation_name",
        }
    }
}

/// What `GET /onderwerpobjecten` filters on.
#[derive(Debug, Clone)]
pub enum SubjectObjectFilter {
    Contact(Uuid),
    WasContact(Uuid),
    ObjectId(String),
    ObjectType(String),
    Register(String),
    IdKind(String),
}

/// What `GET /partijen` filters on.
#[derive(Debug, Clone)]
pub enum PartyFilter {
    Kind(String),
    Confidential(bool),
    Identifier(IdentifierMatch),
    Nothing,
}

/// What `GET /partij-identificatoren` filters on.
#[derive(Debug, Clone)]
pub enum IdentifierFilter {
    Kinds(Vec<String>),
    Value(String),
    /// Only identifiers of parties not under geheimhouding.
    PublicOnly,
    Nothing,
}

/// What `GET /digitaleadressen` filters on.
#[derive(Debug, Clone)]
pub enum AddressFilter {
    Kind(String),
    Lookup(String),
    Contains(String),
    Preferred(bool),
    Description(String),
    Party(Uuid),
    PartyKind(String),
    PartyIdentifier(IdentifierMatch),
    /// Only addresses of parties not under geheimhouding.
    PublicPartiesOnly,
    Nothing,
}

/// What `GET /internetaken` filters on (work items that came from a contact).
#[derive(Debug, Clone)]
pub enum TaskFilter {
    Status(String),
    Contact(Uuid),
    Assignee(Uuid),
    AssigneeName(String),
    CreatedAt(DateTime<Utc>),
    Nothing,
}

/// How many contacts match, and the ids of one page of them, newest first.
pub async fn page_of_contacts(
    ex: &mut impl Executor,
    filters: &[ContactFilter],
    limit: i64,
    offset: i64,
) -> StoreResult<(i64, Vec<Uuid>)> {
    let mut w = Where::default();
    for f in filters {
        match f {
            ContactFilter::Channel(v) => w.push("c.channel = ?", vec![text(v)]),
            ContactFilter::Subject(v) => w.push("c.subject = ?", vec![text(v)]),
            ContactFilter::Question(v) => w.push("c.question = ?", vec![text(v)]),
            ContactFilter::Response(v) => w.push("c.response = ?", vec![text(v)]),
            ContactFilter::ReadableBy(agent) => {
                w.push("(c.confidential = ? OR c.agent_id = ?)", vec![Value::Bool(false), Value::Uuid(*agent)])
            }
            ContactFilter::Confidential(v) => w.push("c.confidential = ?", vec![Value::Bool(*v)]),
            ContactFilter::ContactMade(v) => w.push("c.contact_made = ?", vec![Value::Bool(*v)]),
            ContactFilter::StartedAt(at) => w.push("c.started_at = ?", vec![Value::Time(*at)]),
            ContactFilter::Party(p) => {
                w.push("c.id IN (SELECT contact_id FROM contact_participants WHERE party_id = ?)", vec![Value::Uuid(*p)])
            }
            ContactFilter::Participant(b) => {
                w.push("c.id IN (SELECT contact_id FROM contact_participants WHERE id = ?)", vec![Value::Uuid(*b)])
            }
            ContactFilter::HasParty(with) => {
                let not = if *with { "" } else { "NOT " };
                w.push(
                    &format!(
                        "c.id {not}IN (SELECT contact_id FROM contact_participants WHERE party_id IS NOT NULL AND ? = ?)"
                    ),
                    vec![Value::Bool(true), Value::Bool(true)],
                );
            }
            ContactFilter::PartyIdentifier { value, kind, public_only } => {
                let mut sql = "c.id IN (SELECT cp.contact_id FROM contact_participants cp \
                               JOIN party_identifiers pi ON pi.party_id = cp.party_id WHERE pi.value = ?"
                    .to_owned();
                let mut values = vec![text(value)];
                if let Some(kind) = kind {
                    sql.push_str(" AND pi.kind = ?");
                    values.push(text(kind));
                }
                if *public_only {
                    sql.push_str(" AND cp.party_id IN (SELECT id FROM parties WHERE confidential = ?)");
                    values.push(Value::Bool(false));
                }
                sql.push(')');
                w.push(&sql, values);
            }
            ContactFilter::PartyAddressContains(part) => w.push(
                "c.id IN (SELECT cp.contact_id FROM contact_participants cp JOIN digital_addresses d ON d.party_id = cp.party_id \
                 WHERE LOWER(d.value) LIKE ? ESCAPE '\\')",
                vec![contains(part)],
            ),
            ContactFilter::SubjectObject(s) => {
                w.push("c.id IN (SELECT contact_id FROM contact_subject_objects WHERE id = ?)", vec![Value::Uuid(*s)])
            }
            ContactFilter::WasSubjectObject(s) => w.push(
                "c.id IN (SELECT was_contact_id FROM contact_subject_objects WHERE id = ?)",
                vec![Value::Uuid(*s)],
            ),
            ContactFilter::SubjectObjectId(v) => {
                w.push("c.id IN (SELECT contact_id FROM contact_subject_objects WHERE object_id = ?)", vec![text(v)])
            }
            ContactFilter::LedToWork(led) => {
                let not = if *led { "" } else { "NOT " };
                w.push(
                    &format!("c.id {not}IN (SELECT contact_id FROM work_items WHERE contact_id IS NOT NULL AND ? = ?)"),
                    vec![Value::Bool(true), Value::Bool(true)],
                );
            }
            ContactFilter::Nothing => w.push("1 = 0", vec![]),
        }
    }
    page_of_ids(ex, "contacts c", "c.id", &w, "c.started_at DESC, c.id DESC", limit, offset).await
}

/// How many participants match, and the ids of one page of them.
pub async fn page_of_participants(
    ex: &mut impl Executor,
    filters: &[ParticipantFilter],
    limit: i64,
    offset: i64,
) -> StoreResult<(i64, Vec<Uuid>)> {
    let mut w = Where::default();
    for f in filters {
        match f {
            ParticipantFilter::Contact(c) => w.push("b.contact_id = ?", vec![Value::Uuid(*c)]),
            ParticipantFilter::Party(p) => w.push("b.party_id = ?", vec![Value::Uuid(*p)]),
            ParticipantFilter::PartyIdentifier { value, public_only } => {
                let mut sql = "b.party_id IN (SELECT party_id FROM party_identifiers WHERE value = ?".to_owned();
                let mut values = vec![text(value)];
                if *public_only {
                    sql.push_str(" AND party_id IN (SELECT id FROM parties WHERE confidential = ?)");
                    values.push(Value::Bool(false));
                }
                sql.push(')');
                w.push(&sql, values);
            }
            ParticipantFilter::Name(field, v) => w.push(
                &format!("b.id IN (SELECT participant_id FROM participant_names WHERE {} = ?)", field.column()),
                vec![text(v)],
            ),
            ParticipantFilter::PartyAddress { lookup, value } => w.push(
                "b.party_id IN (SELECT party_id FROM digital_addresses WHERE lookup = ? OR value = ?)",
                vec![text(lookup), text(value)],
            ),
            ParticipantFilter::PartyAddressId(d) => {
                w.push("b.party_id IN (SELECT party_id FROM digital_addresses WHERE id = ?)", vec![Value::Uuid(*d)])
            }
            ParticipantFilter::Nothing => w.push("1 = 0", vec![]),
        }
    }
    page_of_ids(ex, "contact_participants b", "b.id", &w, "b.id DESC", limit, offset).await
}

/// How many subject objects match, and the ids of one page of them, newest first.
pub async fn page_of_subject_objects(
    ex: &mut impl Executor,
    filters: &[SubjectObjectFilter],
    limit: i64,
    offset: i64,
) -> StoreResult<(i64, Vec<Uuid>)> {
    let mut w = Where::default();
    for f in filters {
        match f {
            SubjectObjectFilter::Contact(c) => w.push("s.contact_id = ?", vec![Value::Uuid(*c)]),
            SubjectObjectFilter::WasContact(c) => w.push("s.was_contact_id = ?", vec![Value::Uuid(*c)]),
            SubjectObjectFilter::ObjectId(v) => w.push("s.object_id = ?", vec![text(v)]),
            SubjectObjectFilter::ObjectType(v) => w.push("s.object_type = ?", vec![text(v)]),
            SubjectObjectFilter::Register(v) => w.push("s.register = ?", vec![text(v)]),
            SubjectObjectFilter::IdKind(v) => w.push("s.id_kind = ?", vec![text(v)]),
        }
    }
    page_of_ids(ex, "contact_subject_objects s", "s.id", &w, "s.created_at DESC, s.id DESC", limit, offset).await
}

/// How many parties match, and the ids of one page of them, by name.
pub async fn page_of_parties(
    ex: &mut impl Executor,
    filters: &[PartyFilter],
    limit: i64,
    offset: i64,
) -> StoreResult<(i64, Vec<Uuid>)> {
    let mut w = Where::default();
    for f in filters {
        match f {
            PartyFilter::Kind(v) => w.push("p.kind = ?", vec![text(v)]),
            PartyFilter::Confidential(v) => w.push("p.confidential = ?", vec![Value::Bool(*v)]),
            PartyFilter::Identifier(m) => m.push(&mut w, "p.id"),
            PartyFilter::Nothing => w.push("1 = 0", vec![]),
        }
    }
    page_of_ids(ex, "parties p", "p.id", &w, "p.name_key, p.id", limit, offset).await
}

/// How many identifiers match, and the ids of one page of them, oldest first.
pub async fn page_of_identifiers(
    ex: &mut impl Executor,
    filters: &[IdentifierFilter],
    limit: i64,
    offset: i64,
) -> StoreResult<(i64, Vec<Uuid>)> {
    let mut w = Where::default();
    for f in filters {
        match f {
            IdentifierFilter::Kinds(kinds) if kinds.is_empty() => w.push("1 = 0", vec![]),
            IdentifierFilter::Kinds(kinds) => {
                let marks = vec!["?"; kinds.len()].join(", ");
                w.push(&format!("i.kind IN ({marks})"), kinds.iter().map(|k| text(k)).collect());
            }
            IdentifierFilter::Value(v) => w.push("i.value = ?", vec![text(v)]),
            IdentifierFilter::PublicOnly => {
                w.push("i.party_id IN (SELECT id FROM parties WHERE confidential = ?)", vec![Value::Bool(false)])
            }
            IdentifierFilter::Nothing => w.push("1 = 0", vec![]),
        }
    }
    page_of_ids(ex, "party_identifiers i", "i.id", &w, "i.created_at, i.id", limit, offset).await
}

/// How many digital addresses match, and the ids of one page of them, oldest first.
pub async fn page_of_addresses(
    ex: &mut impl Executor,
    filters: &[AddressFilter],
    limit: i64,
    offset: i64,
) -> StoreResult<(i64, Vec<Uuid>)> {
    let mut w = Where::default();
    for f in filters {
        match f {
            AddressFilter::Kind(v) => w.push("d.kind = ?", vec![text(v)]),
            AddressFilter::Lookup(v) => w.push("d.lookup = ?", vec![text(v)]),
            AddressFilter::Contains(part) => w.push("LOWER(d.value) LIKE ? ESCAPE '\\'", vec![contains(part)]),
            AddressFilter::Preferred(v) => w.push("d.preferred = ?", vec![Value::Bool(*v)]),
            AddressFilter::Description(v) => w.push("d.description = ?", vec![text(v)]),
            AddressFilter::Party(p) => w.push("d.party_id = ?", vec![Value::Uuid(*p)]),
            AddressFilter::PartyKind(v) => {
                w.push("d.party_id IN (SELECT id FROM parties WHERE kind = ?)", vec![text(v)])
            }
            AddressFilter::PartyIdentifier(m) => m.push(&mut w, "d.party_id"),
            AddressFilter::PublicPartiesOnly => {
                w.push("d.party_id IN (SELECT id FROM parties WHERE confidential = ?)", vec![Value::Bool(false)])
            }
            AddressFilter::Nothing => w.push("1 = 0", vec![]),
        }
    }
    page_of_ids(ex, "digital_addresses d", "d.id", &w, "d.created_at, d.id", limit, offset).await
}

/// How many work items that came from a contact match, and the ids of one page of them, newest first.
pub async fn page_of_tasks(
    ex: &mut impl Executor,
    filters: &[TaskFilter],
    limit: i64,
    offset: i64,
) -> StoreResult<(i64, Vec<Uuid>)> {
    let mut w = Where::default();
    w.push("t.contact_id IS NOT NULL AND ? = ?", vec![Value::Bool(true), Value::Bool(true)]);
    for f in filters {
        match f {
            TaskFilter::Status(v) => w.push("t.status = ?", vec![text(v)]),
            TaskFilter::Contact(c) => w.push("t.contact_id = ?", vec![Value::Uuid(*c)]),
            TaskFilter::Assignee(a) => w.push("t.assignee_id = ?", vec![Value::Uuid(*a)]),
            TaskFilter::AssigneeName(v) => w.push("t.assignee_name = ?", vec![text(v)]),
            TaskFilter::CreatedAt(at) => w.push("t.created_at = ?", vec![Value::Time(*at)]),
            TaskFilter::Nothing => w.push("1 = 0", vec![]),
        }
    }
    page_of_ids(ex, "work_items t", "t.id", &w, "t.created_at DESC, t.id DESC", limit, offset).await
}

/// How many rows of `from` match, and the ids (`id_column`) of one page of them in `order`.
async fn page_of_ids(
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

/// Replaces the name given for a participant (none before is fine).
pub async fn replace_participant_name(ex: &mut impl Executor, n: &ParticipantNameRow) -> StoreResult<()> {
    super::execute_for_id(ex, "DELETE FROM participant_names WHERE participant_id = $1", n.participant_id).await?;
    insert_participant_name(ex, n).await
}

/// Changes what a subject object points at (its contact, the earlier contact and the object).
pub async fn update_subject_object(ex: &mut impl Executor, s: &SubjectObjectRow) -> StoreResult<bool> {
    let n = on_backend!(ex, c => sqlx::query(
        "UPDATE contact_subject_objects SET contact_id = $2, was_contact_id = $3, object_type = $4, register = $5, \
         id_kind = $6, object_id = $7 WHERE id = $1",
    )
    .bind(s.id)
    .bind(s.contact_id)
    .bind(s.was_contact_id)
    .bind(&s.object_type)
    .bind(&s.register)
    .bind(&s.id_kind)
    .bind(&s.object_id)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

pub async fn delete_subject_object(ex: &mut impl Executor, id: Uuid) -> StoreResult<bool> {
    Ok(super::execute_for_id(ex, "DELETE FROM contact_subject_objects WHERE id = $1", id).await? == 1)
}

pub async fn update_automated_actor(ex: &mut impl Executor, a: &AutomatedActorRow) -> StoreResult<bool> {
    let n = on_backend!(ex, c => sqlx::query(
        "UPDATE automated_actors SET name = $2, function = $3, description = $4, active = $5 WHERE id = $1",
    )
    .bind(a.id)
    .bind(&a.name)
    .bind(&a.function)
    .bind(&a.description)
    .bind(a.active)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Whether tasks are given to an automated actor (then it is not deleted, only made inactive).
pub async fn automated_actor_has_tasks(ex: &mut impl Executor, id: Uuid) -> StoreResult<bool> {
    let n: i64 = on_backend!(ex, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM work_items WHERE assignee_kind = 'geautomatiseerd' AND assignee_id = $1",
    )
    .bind(id)
    .fetch_one(c)
    .await)?;
    Ok(n > 0)
}

pub async fn delete_automated_actor(ex: &mut impl Executor, id: Uuid) -> StoreResult<bool> {
    Ok(super::execute_for_id(ex, "DELETE FROM automated_actors WHERE id = $1", id).await? == 1)
}
