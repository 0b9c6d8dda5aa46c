//! Contacts (klantcontacten): one conversation on one channel, with who took part, what it was
//! about, what came of it and which sources the agent used.
//!
//! Rules:
//! - The channel and the outcome (gespreksresultaat) come from the lists a beheerder keeps;
//!   anything else is refused by name. Only active entries can be chosen for new contacts.
//! - A subject is required (up to 200 characters); question up to 2,000 and notes and response
//!   up to 10,000 (well above the standard's 1,000: an agent's notes of a long call fit).
//! - Times: the end is not before the start, a contact lasts at most 24 hours, and it does not
//!   start in the future (a minute of clock skew is allowed). Without times it starts now.
//! - Anonymous contacts (no participants) are allowed; every participant must be a known
//!   party, in the role klant or vertegenwoordiger; the first participant initiates unless one
//!   is marked.
//! - Sources are articles, werkberichten or decision trees that exist; their title is copied
//!   so the timeline still reads well after an article is renamed or archived.
//! - A confidential contact's question, notes and response are shown only to the agent who
//!   registered it and to roles with [`Permission::ReadConfidential`]; others see that
//!   something is withheld.
//! - Every read (one contact, a timeline) is in the audit log with purpose `klantcontact`.
//! - A registered contact, its participants and subject objects are corrected (or removed when
//!   registered by mistake) by the one who registered it, or by a team lead who also registers
//!   contacts; a confidential one only by those who may read it. Who registered it and when
//!   stay. A contact that work came from (a task, a callback) is not removed: it is the record
//!   of that work. The audit log names the fields that changed, not their content.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{ContactsError, optional_text, parties};
use crate::auth::audit::{self, AuditAction, AuditEvent, Purpose};
use crate::auth::{Ability, Actor, Caller};
use crate::clock;
use crate::store::contacts::{ContactRow, ListEntryRow, ParticipantRow, SourceRow};
use crate::store::klantinteracties::{ParticipantNameRow, SubjectObjectRow};
use crate::store::{self, Executor, Store, StoreError, StoreResult, Tx};
use crate::validation::{self, Checks, FieldError};

pub const SUBJECT_MAX: usize = 200;
pub const QUESTION_MAX: usize = 2_000;
pub const NOTES_MAX: usize = 10_000;
const MAX_PARTICIPANTS: usize = 20;
const MAX_SOURCES: usize = 50;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ListEntry {
    pub code: String,
    pub name: String,
    pub active: bool,
    /// Place in the list, lowest first.
    pub position: i32,
}

impl From<ListEntryRow> for ListEntry {
    fn from(r: ListEntryRow) -> Self {
        ListEntry { code: r.code, name: r.name, active: r.active, position: r.position }
    }
}

/// The channels (kanalen) contacts can come in on, in the beheerder's order.
pub async fn channels(store: &Store) -> Result<Vec<ListEntry>, ContactsError> {
    super::lists::entries(store, store::contacts::ContactList::Channels).await
}

/// The outcomes (gespreksresultaten) a contact can end with.
pub async fn outcomes(store: &Store) -> Result<Vec<ListEntry>, ContactsError> {
    super::lists::entries(store, store::contacts::ContactList::Outcomes).await
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ParticipantRole {
    Klant,
    Vertegenwoordiger,
}

impl ParticipantRole {
    pub fn id(self) -> &'static str {
        match self {
            ParticipantRole::Klant => "klant",
            ParticipantRole::Vertegenwoordiger => "vertegenwoordiger",
        }
    }

    pub fn parse(s: &str) -> Option<ParticipantRole> {
        [ParticipantRole::Klant, ParticipantRole::Vertegenwoordiger].into_iter().find(|r| r.id() == s.trim())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    Article,
    Notice,
    Tree,
}

impl SourceKind {
    pub fn id(self) -> &'static str {
        match self {
            SourceKind::Article => "article",
            SourceKind::Notice => "notice",
            SourceKind::Tree => "tree",
        }
    }

    pub fn parse(s: &str) -> Option<SourceKind> {
        [SourceKind::Article, SourceKind::Notice, SourceKind::Tree].into_iter().find(|k| k.id() == s.trim())
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ParticipantInput {
    pub party_id: Uuid,
    /// klant (default) or vertegenwoordiger.
    #[serde(default)]
    pub role: Option<String>,
    /// Who started the contact (default: the first participant).
    #[serde(default)]
    pub initiator: bool,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceInput {
    /// article, notice or tree.
    pub kind: String,
    pub id: Uuid,
    /// For a decision tree: the path taken, e.g. the answers given.
    #[serde(default)]
    pub detail: String,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactInput {
    /// A channel code (`GET /api/v1/contact-channels`), e.g. telefoon.
    pub channel: String,
    pub subject: String,
    /// A product name from the UPL, when the subject is one.
    #[serde(default)]
    pub product: Option<String>,
    #[serde(default)]
    pub question: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub response: String,
    /// ISO 639 code of the language spoken (default nl).
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub confidential: bool,
    /// False for an attempt that reached nobody.
    #[serde(default = "yes")]
    pub contact_made: bool,
    #[serde(default)]
    pub started_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub ended_at: Option<DateTime<Utc>>,
    /// An outcome code (`GET /api/v1/contact-outcomes`).
    #[serde(default)]
    pub outcome: Option<String>,
    /// The afdeling that handled it (default: the agent's).
    #[serde(default)]
    pub unit_id: Option<Uuid>,
    #[serde(default)]
    pub participants: Vec<ParticipantInput>,
    #[serde(default)]
    pub sources: Vec<SourceInput>,
    /// Requests this contact is about (a citizen asking how one stands).
    #[serde(default)]
    pub request_ids: Vec<Uuid>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Participant {
    pub id: Uuid,
    pub party_id: Option<Uuid>,
    pub display_name: String,
    pub role: ParticipantRole,
    pub initiator: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Source {
    pub kind: SourceKind,
    pub id: Uuid,
    pub title: String,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Contact {
    pub id: Uuid,
    pub channel: String,
    pub channel_name: String,
    pub subject: String,
    pub product: Option<String>,
    pub question: String,
    pub notes: String,
    pub response: String,
    /// True when question, notes and response were left out (a confidential contact).
    pub withheld: bool,
    pub language: String,
    pub confidential: bool,
    pub contact_made: bool,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub duration_s: Option<i64>,
    pub outcome: Option<String>,
    pub outcome_name: Option<String>,
    pub agent_id: Option<Uuid>,
    pub agent_name: String,
    pub unit_id: Option<Uuid>,
    pub participants: Vec<Participant>,
    pub sources: Vec<Source>,
    /// The requests this contact is about.
    pub request_ids: Vec<Uuid>,
    pub created_at: DateTime<Utc>,
}

fn parse_language(input: Option<&str>) -> Result<String, FieldError> {
    match input.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok("nl".to_owned()),
        Some(l) if (2..=3).contains(&l.len()) && l.chars().all(|c| c.is_ascii_alphabetic()) => Ok(l.to_lowercase()),
        Some(_) => {
            Err(FieldError::new("language", "invalid_language", "Een taalcode van 2 of 3 letters (ISO 639), zoals nl."))
        }
    }
}

/// The code of an entry of `list` that is still in use, or the error naming the ones that are.
pub(crate) fn pick(list: &[ListEntryRow], code: &str, field: &str, what: &str) -> Result<String, FieldError> {
    let code = code.trim();
    match list.iter().find(|e| e.code == code) {
        Some(e) if e.active => Ok(e.code.clone()),
        Some(_) => Err(FieldError::new(field, "inactive", format!("{what} '{code}' wordt niet meer gebruikt."))),
        None => {
            let known: Vec<&str> = list.iter().filter(|e| e.active).map(|e| e.code.as_str()).collect();
            Err(FieldError::new(
                field,
                if field == "channel" { "unknown_channel" } else { "unknown_outcome" },
                format!("Onbekend: '{code}'. Kies uit {}.", known.join(", ")),
            ))
        }
    }
}

async fn source_title(ex: &mut impl Executor, kind: SourceKind, id: Uuid) -> Result<Option<String>, StoreError> {
    Ok(match kind {
        SourceKind::Article => store::search::article_titles(ex, &[id]).await?.remove(&id),
        SourceKind::Notice => store::notices::find(ex, id).await?.map(|n| n.title),
        SourceKind::Tree => match store::trees::find(ex, id).await? {
            Some(tree) => {
                let version = tree.published_version.unwrap_or(tree.latest_version);
                store::trees::version(ex, id, version).await?.map(|v| v.title)
            }
            None => None,
        },
    })
}

/// A participant the Klantinteracties API names: possibly without a known party, with the name
/// they gave during the contact.
#[derive(Debug, Clone, Default)]
pub struct NamedParticipant {
    pub party_id: Option<Uuid>,
    pub role: Option<String>,
    pub initiator: bool,
    pub name: ParticipantNameRow,
}

/// What the subject of a contact was in another register (onderwerpobject): a zaak, or an
/// earlier contact (`was_contact_id`).
#[derive(Debug, Clone, Default)]
pub struct SubjectObjectInput {
    pub was_contact_id: Option<Uuid>,
    pub object_type: String,
    pub register: String,
    pub id_kind: String,
    pub object_id: String,
}

/// Parts of a contact that only the Klantinteracties API sends, stored with it atomically.
#[derive(Debug, Clone, Default)]
pub struct ContactExtras {
    pub named: Vec<NamedParticipant>,
    pub subjects: Vec<SubjectObjectInput>,
}

/// Registers a contact with its participants and sources, all or nothing.
pub async fn register(store: &Store, caller: &Caller, input: &ContactInput) -> Result<Contact, ContactsError> {
    register_with(store, caller, input, &ContactExtras::default()).await
}

/// [`register`], with the parts only the Klantinteracties API sends; field names of those parts
/// are `betrokkene.*` and `onderwerpobject.*` in errors.
pub async fn register_with(
    store: &Store,
    caller: &Caller,
    input: &ContactInput,
    extras: &ContactExtras,
) -> Result<Contact, ContactsError> {
    // The checks read on a read connection, before the write: SQLite lets one writer in at a
    // time, and these reads need no write lock. A party erased in between is still refused, by
    // the foreign keys. Contacts registered at the same moment share one commit.
    let planned = Arc::new(plan(&mut store.acquire().await?, caller, input, extras).await?);
    let (to_write, actor) = (Arc::clone(&planned), caller.actor());
    store
        .write_grouped(Arc::new(move |tx| {
            let (planned, actor) = (Arc::clone(&to_write), actor.clone());
            Box::pin(async move { write(tx, &actor, &planned).await })
        }))
        .await?;
    Ok(planned.shown(caller))
}

/// [`register_with`] inside the caller's transaction, so a contact can be part of a larger
/// change (a callback attempt that reached the citizen); nothing is written when it fails.
pub(crate) async fn register_in(
    tx: &mut Tx,
    caller: &Caller,
    input: &ContactInput,
    extras: &ContactExtras,
) -> Result<Contact, ContactsError> {
    let planned = plan(&mut *tx, caller, input, extras).await?;
    write(&mut *tx, &caller.actor(), &planned).await?;
    Ok(planned.shown(caller))
}

impl Planned {
    /// The contact as written, shown to the agent who registered it.
    fn shown(&self, caller: &Caller) -> Contact {
        let mut contacts = shown(vec![self.row.clone()], &self.related, Some(caller));
        contacts.pop().unwrap_or_else(|| unreachable!("one row in, one contact out"))
    }
}

/// A contact that passed every check, as the rows to write; `related` is all it is shown with.
struct Planned {
    row: ContactRow,
    related: Related,
    names: Vec<ParticipantNameRow>,
    subjects: Vec<SubjectObjectRow>,
}

/// Checks a contact against the lists and the registers it refers to; reads only.
async fn plan(
    ex: &mut impl Executor,
    caller: &Caller,
    input: &ContactInput,
    extras: &ContactExtras,
) -> Result<Planned, ContactsError> {
    let now = clock::now();
    let mut checks = Checks::default();
    let subject = checks.take("subject", validation::text(&input.subject, 1, SUBJECT_MAX));
    let product = match input.product.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => checks.take("product", validation::text(p, 1, SUBJECT_MAX)).map(Some),
        None => Some(None),
    };
    let question = checks.take("question", optional_text(&input.question, QUESTION_MAX));
    let notes = checks.take("notes", optional_text(&input.notes, NOTES_MAX));
    let response = checks.take("response", optional_text(&input.response, NOTES_MAX));
    let language = checks.take("language", parse_language(input.language.as_deref()));
    let started_at = clock::truncate(input.started_at.unwrap_or(now));
    let ended_at = input.ended_at.map(clock::truncate);
    if started_at > now + Duration::minutes(1) {
        checks.push(FieldError::new("started_at", "in_the_future", "Een contact kan niet in de toekomst beginnen."));
    }
    if let Some(end) = ended_at {
        if end < started_at {
            checks.push(FieldError::new("ended_at", "before_start", "Het einde ligt vóór het begin."));
        } else if end - started_at > Duration::hours(24) {
            checks.push(FieldError::new("ended_at", "too_long", "Een contact duurt hoogstens 24 uur."));
        }
    }
    if input.participants.len() > MAX_PARTICIPANTS {
        checks.push(FieldError::new("participants", "too_many", format!("Maximaal {MAX_PARTICIPANTS} betrokkenen.")));
    }
    if input.request_ids.len() > MAX_SOURCES {
        checks.push(FieldError::new("request_ids", "too_many", format!("Maximaal {MAX_SOURCES} verzoeken.")));
    }
    if input.sources.len() > MAX_SOURCES {
        checks.push(FieldError::new("sources", "too_many", format!("Maximaal {MAX_SOURCES} bronnen.")));
    }

    let channels = store::contacts::channels(&mut *ex).await?;
    let outcomes = store::contacts::outcomes(&mut *ex).await?;
    let channel = checks.take("channel", pick(&channels, &input.channel, "channel", "Kanaal"));
    let outcome = match input.outcome.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
        Some(o) => checks.take("outcome", pick(&outcomes, o, "outcome", "Resultaat")).map(Some),
        None => Some(None),
    };
    let unit_id = input.unit_id.or(caller.unit_id);
    if let Some(unit) = input.unit_id
        && store::units::find(&mut *ex, unit).await?.is_none()
    {
        checks.push(FieldError::new("unit_id", "unknown_unit", "Deze afdeling bestaat niet."));
    }
    let id = Uuid::now_v7();
    let initiator_marked = input.participants.iter().any(|p| p.initiator);
    let mut participants = Vec::new();
    let mut party_names = HashMap::new();
    for (i, p) in input.participants.iter().take(MAX_PARTICIPANTS).enumerate() {
        let role = match p.role.as_deref().filter(|r| !r.trim().is_empty()) {
            None => Some(ParticipantRole::Klant),
            Some(r) => {
                let role = ParticipantRole::parse(r);
                if role.is_none() {
                    checks.push(FieldError::new(
                        &format!("participants[{i}].role"),
                        "unknown_role",
                        "Kies klant of vertegenwoordiger.",
                    ));
                }
                role
            }
        };
        match store::parties::find_party(&mut *ex, p.party_id).await? {
            Some(party) => {
                party_names.insert(party.id, party.display_name);
            }
            None => checks.push(FieldError::new(
                &format!("participants[{i}].party_id"),
                "unknown_party",
                "Deze partij bestaat niet.",
            )),
        }
        if let Some(role) = role {
            participants.push(ParticipantRow {
                id: Uuid::now_v7(),
                contact_id: id,
                party_id: Some(p.party_id),
                role: role.id().to_owned(),
                initiator: if initiator_marked { p.initiator } else { i == 0 },
            });
        }
    }
    let mut names = Vec::new();
    for n in extras.named.iter().take(MAX_PARTICIPANTS) {
        let Some((row, name)) = named_participant(&mut *ex, id, n, &mut checks, &mut party_names).await? else {
            continue;
        };
        names.push(ParticipantNameRow { participant_id: row.id, ..name });
        participants.push(row);
    }
    let mut subjects = Vec::new();
    for s in extras.subjects.iter().take(MAX_SOURCES) {
        if let Some(row) = subject_object(&mut *ex, Some(id), s, "onderwerpobject", &mut checks).await? {
            subjects.push(row);
        }
    }
    let mut sources = Vec::new();
    for (i, s) in input.sources.iter().take(MAX_SOURCES).enumerate() {
        let Some(kind) = SourceKind::parse(&s.kind) else {
            checks.push(FieldError::new(
                &format!("sources[{i}].kind"),
                "unknown_source_kind",
                "Kies article, notice of tree.",
            ));
            continue;
        };
        let detail = checks.take(&format!("sources[{i}].detail"), optional_text(&s.detail, 1_000));
        match source_title(&mut *ex, kind, s.id).await? {
            Some(title) => {
                if let Some(detail) = detail
                    && !sources.iter().any(|x: &SourceRow| x.item_id == s.id)
                {
                    let position = i32::try_from(sources.len()).unwrap_or(i32::MAX);
                    sources.push(SourceRow {
                        contact_id: id,
                        position,
                        kind: kind.id().to_owned(),
                        item_id: s.id,
                        title,
                        detail,
                    });
                }
            }
            None => {
                checks.push(FieldError::new(&format!("sources[{i}].id"), "unknown_source", "Deze bron bestaat niet."))
            }
        }
    }
    let mut request_ids: Vec<Uuid> = Vec::new();
    for (i, r) in input.request_ids.iter().take(MAX_SOURCES).enumerate() {
        if store::requests::find(&mut *ex, *r).await?.is_none() {
            checks.push(FieldError::new(&format!("request_ids[{i}]"), "unknown_request", "Dit verzoek bestaat niet."));
        } else if !request_ids.contains(r) {
            request_ids.push(*r);
        }
    }
    checks.finish()?;
    let (
        Some(channel),
        Some(subject),
        Some(product),
        Some(question),
        Some(notes),
        Some(response),
        Some(language),
        Some(outcome),
    ) = (channel, subject, product, question, notes, response, language, outcome)
    else {
        unreachable!("every missing value left an error behind");
    };
    let row = ContactRow {
        id,
        channel,
        subject,
        product,
        question,
        notes,
        response,
        language,
        confidential: input.confidential,
        contact_made: input.contact_made,
        started_at,
        ended_at,
        outcome,
        agent_id: Some(caller.user_id),
        agent_name: caller.display_name.clone(),
        unit_id,
        created_at: now,
    };
    let about = request_ids.iter().map(|r| (id, *r)).collect();
    let related = Related { participants, sources, about, party_names, channels, outcomes };
    Ok(Planned { row, related, names, subjects })
}

/// Writes a planned contact and its audit line.
async fn write(tx: &mut Tx, actor: &Actor, planned: &Planned) -> StoreResult<()> {
    let Planned { row, related: Related { participants, sources, about, .. }, names, subjects } = planned;
    store::contacts::insert_contact(&mut *tx, row).await?;
    for p in participants {
        store::contacts::insert_participant(&mut *tx, p).await?;
    }
    for n in names {
        store::klantinteracties::insert_participant_name(&mut *tx, n).await?;
    }
    for s in subjects {
        store::klantinteracties::insert_subject_object(&mut *tx, s).await?;
    }
    for s in sources {
        store::contacts::insert_source(&mut *tx, s).await?;
    }
    for (_, r) in about {
        store::requests::link_contact(&mut *tx, row.id, *r).await?;
    }
    let detail = serde_json::json!({
        "channel": row.channel,
        "parties": participants.iter().filter_map(|p| p.party_id).collect::<Vec<_>>(),
        "confidential": row.confidential,
    });
    audit::record(
        &mut *tx,
        actor,
        AuditEvent::new(AuditAction::ContactRegistered, "contact", row.id.to_string()).detail(detail),
    )
    .await?;
    Ok(())
}

/// A participant the Klantinteracties API names, checked and with its name cleaned; `None`
/// with errors left in `checks`.
async fn named_participant(
    ex: &mut impl Executor,
    contact_id: Uuid,
    n: &NamedParticipant,
    checks: &mut Checks,
    party_names: &mut HashMap<Uuid, String>,
) -> Result<Option<(ParticipantRow, ParticipantNameRow)>, StoreError> {
    let role = match n.role.as_deref().filter(|r| !r.trim().is_empty()) {
        None => Some(ParticipantRole::Klant),
        Some(r) => ParticipantRole::parse(r),
    };
    if role.is_none() {
        checks.push(FieldError::new("betrokkene.rol", "unknown_role", "Kies klant of vertegenwoordiger."));
    }
    if let Some(party) = n.party_id {
        match store::parties::find_party(ex, party).await? {
            Some(party) => {
                party_names.insert(party.id, party.display_name);
            }
            None => checks.push(FieldError::new("betrokkene.wasPartij", "unknown_party", "Deze partij bestaat niet.")),
        }
    }
    let mut text = |field: &str, value: &str, max: usize| checks.take(field, optional_text(value, max));
    let name = ParticipantNameRow {
        participant_id: Uuid::nil(),
        initials: text("betrokkene.contactnaam.voorletters", &n.name.initials, 10).unwrap_or_default(),
        given_name: text("betrokkene.contactnaam.voornaam", &n.name.given_name, 200).unwrap_or_default(),
        surname_prefix: text("betrokkene.contactnaam.voorvoegselAchternaam", &n.name.surname_prefix, 10)
            .unwrap_or_default(),
        surname: text("betrokkene.contactnaam.achternaam", &n.name.surname, 200).unwrap_or_default(),
        organisation_name: text("betrokkene.organisatienaam", &n.name.organisation_name, 200).unwrap_or_default(),
    };
    Ok(role.map(|role| {
        let row = ParticipantRow {
            id: Uuid::now_v7(),
            contact_id,
            party_id: n.party_id,
            role: role.id().to_owned(),
            initiator: n.initiator,
        };
        (row, name)
    }))
}

/// A subject object, checked; `None` with errors left in `checks`.
async fn subject_object(
    ex: &mut impl Executor,
    contact_id: Option<Uuid>,
    s: &SubjectObjectInput,
    prefix: &str,
    checks: &mut Checks,
) -> Result<Option<SubjectObjectRow>, StoreError> {
    if let Some(was) = s.was_contact_id
        && store::contacts::find_contact(ex, was).await?.is_none()
    {
        checks.push(FieldError::new(
            &format!("{prefix}.wasKlantcontact"),
            "unknown_contact",
            "Dit klantcontact bestaat niet.",
        ));
    }
    let field = |name: &str| format!("{prefix}.onderwerpobjectidentificator.{name}");
    let object_type = checks.take(&field("codeObjecttype"), optional_text(&s.object_type, 200));
    let register = checks.take(&field("codeRegister"), optional_text(&s.register, 200));
    let id_kind = checks.take(&field("codeSoortObjectId"), optional_text(&s.id_kind, 200));
    let object_id = checks.take(&field("objectId"), optional_text(&s.object_id, 200));
    let (Some(object_type), Some(register), Some(id_kind), Some(object_id)) =
        (object_type, register, id_kind, object_id)
    else {
        return Ok(None);
    };
    Ok(Some(SubjectObjectRow {
        id: Uuid::now_v7(),
        contact_id,
        was_contact_id: s.was_contact_id,
        object_type,
        register,
        id_kind,
        object_id,
        created_at: clock::now(),
    }))
}

/// Adds a participant to a registered contact (Klantinteracties `POST /betrokkenen`).
pub async fn add_participant(
    store: &Store,
    caller: &Caller,
    contact_id: Uuid,
    n: &NamedParticipant,
) -> Result<Uuid, ContactsError> {
    let mut checks = Checks::default();
    let mut tx = store.begin().await?;
    if store::contacts::find_contact(&mut tx, contact_id).await?.is_none() {
        return Err(ContactsError::ContactNotFound);
    }
    let row = named_participant(&mut tx, contact_id, n, &mut checks, &mut HashMap::new()).await?;
    checks.finish()?;
    let Some((row, name)) = row else { unreachable!("every missing value left an error behind") };
    store::contacts::insert_participant(&mut tx, &row).await?;
    store::klantinteracties::insert_participant_name(&mut tx, &ParticipantNameRow { participant_id: row.id, ..name })
        .await?;
    audit::record(
        &mut tx,
        &caller.actor(),
        AuditEvent::new(AuditAction::ContactUpdated, "contact", contact_id.to_string())
            .detail(serde_json::json!({ "participant_added": row.id, "party_id": row.party_id })),
    )
    .await?;
    tx.commit().await?;
    Ok(row.id)
}

/// Records what a registered contact was about in another register (Klantinteracties
/// `POST /onderwerpobjecten`); without a contact it only records that another contact was it.
pub async fn add_subject_object(
    store: &Store,
    caller: &Caller,
    contact_id: Option<Uuid>,
    input: &SubjectObjectInput,
) -> Result<Uuid, ContactsError> {
    let mut checks = Checks::default();
    let mut tx = store.begin().await?;
    if let Some(c) = contact_id
        && store::contacts::find_contact(&mut tx, c).await?.is_none()
    {
        checks.push(FieldError::new("klantcontact", "unknown_contact", "Dit klantcontact bestaat niet."));
    }
    let row = subject_object(&mut tx, contact_id, input, "onderwerpobject", &mut checks).await?;
    checks.finish()?;
    let Some(row) = row else { unreachable!("every missing value left an error behind") };
    store::klantinteracties::insert_subject_object(&mut tx, &row).await?;
    let entity = contact_id.or(row.was_contact_id).map(|c| c.to_string());
    audit::record(
        &mut tx,
        &caller.actor(),
        AuditEvent::new(AuditAction::ContactUpdated, "contact", entity)
            .detail(serde_json::json!({ "subject_object_added": row.id })),
    )
    .await?;
    tx.commit().await?;
    Ok(row.id)
}

/// What a correction of a registered contact may change: the conversation as recorded. Who
/// registered it, its notes, sources and outcome stay; a new start moves the end along.
#[derive(Debug, Clone, Default)]
pub struct ContactCorrection {
    pub channel: String,
    pub subject: String,
    pub question: String,
    pub response: String,
    pub language: Option<String>,
    pub confidential: bool,
    pub contact_made: bool,
    /// None: the start stays.
    pub started_at: Option<DateTime<Utc>>,
}

/// Whether `caller` may change or remove this contact (see [`ContactsError::NotRegistrar`]).
fn may_correct(caller: &Caller, row: &ContactRow) -> Result<(), ContactsError> {
    let registrar = row.agent_id == Some(caller.user_id);
    let lead = caller.may(Ability::CorrectOthersContacts);
    let reads = registrar || !row.confidential || caller.may(Ability::SeeConfidential);
    if (registrar || lead) && reads { Ok(()) } else { Err(ContactsError::NotRegistrar) }
}

/// The contact of a participant or subject object, which a change of those corrects.
async fn correctable(ex: &mut impl Executor, caller: &Caller, contact_id: Uuid) -> Result<ContactRow, ContactsError> {
    let row = store::contacts::find_contact(ex, contact_id).await?.ok_or(ContactsError::ContactNotFound)?;
    may_correct(caller, &row)?;
    Ok(row)
}

/// Corrects a registered contact (a typo in the subject, the wrong channel); logged with the
/// fields that changed, not their content.
pub async fn correct(
    store: &Store,
    caller: &Caller,
    id: Uuid,
    input: &ContactCorrection,
) -> Result<Contact, ContactsError> {
    let now = clock::now();
    let mut tx = store.begin().await?;
    let old = correctable(&mut tx, caller, id).await?;
    let mut checks = Checks::default();
    let subject = checks.take("subject", validation::text(&input.subject, 1, SUBJECT_MAX));
    let question = checks.take("question", optional_text(&input.question, QUESTION_MAX));
    let response = checks.take("response", optional_text(&input.response, NOTES_MAX));
    let language = checks.take("language", parse_language(input.language.as_deref()));
    let channels = store::contacts::channels(&mut tx).await?;
    // A contact registered on a channel that was retired since keeps it.
    let channel = if input.channel.trim() == old.channel {
        Some(old.channel.clone())
    } else {
        checks.take("channel", pick(&channels, &input.channel, "channel", "Kanaal"))
    };
    let started_at = clock::truncate(input.started_at.unwrap_or(old.started_at));
    if started_at > now + Duration::minutes(1) {
        checks.push(FieldError::new("started_at", "in_the_future", "Een contact kan niet in de toekomst beginnen."));
    }
    checks.finish()?;
    let (Some(channel), Some(subject), Some(question), Some(response), Some(language)) =
        (channel, subject, question, response, language)
    else {
        unreachable!("every missing value left an error behind");
    };
    let row = ContactRow {
        channel,
        subject,
        question,
        response,
        language,
        confidential: input.confidential,
        contact_made: input.contact_made,
        ended_at: old.ended_at.map(|end| end + (started_at - old.started_at)),
        started_at,
        ..old.clone()
    };
    store::contacts::update_contact(&mut tx, &row).await?;
    let changed: Vec<&str> = [
        ("channel", row.channel != old.channel),
        ("subject", row.subject != old.subject),
        ("question", row.question != old.question),
        ("response", row.response != old.response),
        ("language", row.language != old.language),
        ("confidential", row.confidential != old.confidential),
        ("contact_made", row.contact_made != old.contact_made),
        ("started_at", row.started_at != old.started_at),
    ]
    .into_iter()
    .filter_map(|(field, differs)| differs.then_some(field))
    .collect();
    audit::record(
        &mut tx,
        &caller.actor(),
        AuditEvent::new(AuditAction::ContactUpdated, "contact", id.to_string())
            .detail(serde_json::json!({ "corrected": changed })),
    )
    .await?;
    let contact = assemble(&mut tx, vec![row], Some(caller)).await?.pop().ok_or(ContactsError::ContactNotFound)?;
    tx.commit().await?;
    Ok(contact)
}

/// Removes a contact registered by mistake, with its participants and subject objects. One that
/// work hangs on stays ([`ContactsError::ContactHasWork`]); the audit log keeps that it was.
pub async fn remove(store: &Store, caller: &Caller, id: Uuid) -> Result<(), ContactsError> {
    let mut tx = store.begin().await?;
    let row = correctable(&mut tx, caller, id).await?;
    if store::contacts::contact_has_work(&mut tx, id).await? {
        return Err(ContactsError::ContactHasWork);
    }
    let parties: Vec<Uuid> =
        store::contacts::participants_of(&mut tx, &[id]).await?.into_iter().filter_map(|p| p.party_id).collect();
    store::contacts::delete_contact(&mut tx, id).await?;
    // What was registered by mistake may name the wrong person: no readable copy stays.
    store::parties::request_scrub(&mut tx, clock::now()).await?;
    audit::record(
        &mut tx,
        &caller.actor(),
        AuditEvent::new(AuditAction::ContactDeleted, "contact", id.to_string())
            .detail(serde_json::json!({ "channel": row.channel, "parties": parties })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Changes who a participant was and in which role; `contact_id` may move it to another contact
/// (both are corrected, so the caller must be allowed on both).
pub async fn change_participant(
    store: &Store,
    caller: &Caller,
    id: Uuid,
    contact_id: Uuid,
    n: &NamedParticipant,
) -> Result<(), ContactsError> {
    let mut tx = store.begin().await?;
    let old = store::klantinteracties::participants(&mut tx, &[id]).await?.pop().ok_or(ContactsError::Hidden)?;
    correctable(&mut tx, caller, old.contact_id).await?;
    if contact_id != old.contact_id {
        correctable(&mut tx, caller, contact_id).await?;
    }
    let mut checks = Checks::default();
    let planned = named_participant(&mut tx, contact_id, n, &mut checks, &mut HashMap::new()).await?;
    checks.finish()?;
    let Some((row, name)) = planned else { unreachable!("every missing value left an error behind") };
    let row = ParticipantRow { id, ..row };
    store::contacts::update_participant(&mut tx, &row).await?;
    store::klantinteracties::replace_participant_name(&mut tx, &ParticipantNameRow { participant_id: id, ..name })
        .await?;
    audit::record(
        &mut tx,
        &caller.actor(),
        AuditEvent::new(AuditAction::ContactUpdated, "contact", contact_id.to_string()).detail(
            serde_json::json!({ "participant_changed": id, "party_id": row.party_id, "from_contact": old.contact_id }),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Takes a participant off its contact (the contact stays, perhaps anonymous).
pub async fn remove_participant(store: &Store, caller: &Caller, id: Uuid) -> Result<(), ContactsError> {
    let mut tx = store.begin().await?;
    let old = store::klantinteracties::participants(&mut tx, &[id]).await?.pop().ok_or(ContactsError::Hidden)?;
    correctable(&mut tx, caller, old.contact_id).await?;
    store::contacts::delete_participant(&mut tx, id).await?;
    store::parties::request_scrub(&mut tx, clock::now()).await?;
    audit::record(
        &mut tx,
        &caller.actor(),
        AuditEvent::new(AuditAction::ContactUpdated, "contact", old.contact_id.to_string())
            .detail(serde_json::json!({ "participant_removed": id, "party_id": old.party_id })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether `caller` may change a subject object that names these contacts (as its contact or as
/// the earlier one): each is corrected. One that names none belongs to nobody's registration,
/// so only a team lead changes it.
async fn may_change_subject(
    ex: &mut impl Executor,
    caller: &Caller,
    contacts: &[Option<Uuid>],
) -> Result<(), ContactsError> {
    let named: Vec<Uuid> = contacts.iter().flatten().copied().collect();
    if named.is_empty() && !caller.may(Ability::CorrectOthersContacts) {
        return Err(ContactsError::NotRegistrar);
    }
    for c in named {
        correctable(ex, caller, c).await?;
    }
    Ok(())
}

/// Changes what a subject object records; the contacts it names before and after are corrected.
pub async fn change_subject_object(
    store: &Store,
    caller: &Caller,
    id: Uuid,
    contact_id: Option<Uuid>,
    input: &SubjectObjectInput,
) -> Result<(), ContactsError> {
    let mut tx = store.begin().await?;
    let old = store::klantinteracties::subject_objects(&mut tx, &[id]).await?.pop().ok_or(ContactsError::Hidden)?;
    may_change_subject(&mut tx, caller, &[old.contact_id, old.was_contact_id, contact_id, input.was_contact_id])
        .await?;
    let mut checks = Checks::default();
    let row = subject_object(&mut tx, contact_id, input, "onderwerpobject", &mut checks).await?;
    checks.finish()?;
    let Some(row) = row else { unreachable!("every missing value left an error behind") };
    let row = SubjectObjectRow { id, created_at: old.created_at, ..row };
    store::klantinteracties::update_subject_object(&mut tx, &row).await?;
    let entity = contact_id.or(row.was_contact_id).map(|c| c.to_string());
    audit::record(
        &mut tx,
        &caller.actor(),
        AuditEvent::new(AuditAction::ContactUpdated, "contact", entity)
            .detail(serde_json::json!({ "subject_object_changed": id, "from_contact": old.contact_id })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a subject object.
pub async fn remove_subject_object(store: &Store, caller: &Caller, id: Uuid) -> Result<(), ContactsError> {
    let mut tx = store.begin().await?;
    let old = store::klantinteracties::subject_objects(&mut tx, &[id]).await?.pop().ok_or(ContactsError::Hidden)?;
    may_change_subject(&mut tx, caller, &[old.contact_id, old.was_contact_id]).await?;
    store::klantinteracties::delete_subject_object(&mut tx, id).await?;
    audit::record(
        &mut tx,
        &caller.actor(),
        AuditEvent::new(
            AuditAction::ContactUpdated,
            "contact",
            old.contact_id.or(old.was_contact_id).map(|c| c.to_string()),
        )
        .detail(serde_json::json!({ "subject_object_removed": id })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Contacts by id as `caller` may see them, in the order given; the caller logs the read.
pub(crate) async fn many(ex: &mut impl Executor, caller: &Caller, ids: &[Uuid]) -> Result<Vec<Contact>, StoreError> {
    let rows = store::klantinteracties::contacts(ex, ids).await?;
    let mut contacts = assemble(ex, rows, Some(caller)).await?;
    contacts.sort_by_key(|c| ids.iter().position(|i| *i == c.id));
    Ok(contacts)
}

/// One contact, logged as read.
pub async fn get(store: &Store, caller: &Caller, id: Uuid) -> Result<Contact, ContactsError> {
    let mut tx = store.begin().await?;
    let row = store::contacts::find_contact(&mut tx, id).await?.ok_or(ContactsError::ContactNotFound)?;
    audit::record(
        &mut tx,
        &caller.actor(),
        AuditEvent::new(AuditAction::ContactRead, "contact", id.to_string()).purpose(Purpose::CustomerContact),
    )
    .await?;
    let contact = assemble(&mut tx, vec![row], Some(caller)).await?.pop().ok_or(ContactsError::ContactNotFound)?;
    tx.commit().await?;
    Ok(contact)
}

/// The contacts a party took part in, newest first, as `caller` may see them (`None`: nothing
/// withheld, for the person's own request); only those on `channel` when given. The caller logs
/// the read.
pub(crate) async fn of_party(
    ex: &mut impl Executor,
    caller: Option<&Caller>,
    party_id: Uuid,
    channel: Option<&str>,
    limit: i64,
) -> Result<Vec<Contact>, StoreError> {
    let rows = store::contacts::contacts_of_party(ex, party_id, channel, limit).await?;
    assemble(ex, rows, caller).await
}

/// Rows with their participants, sources and list names; confidentiality applied for `caller`
/// (`None`: nothing withheld).
async fn assemble(
    ex: &mut impl Executor,
    rows: Vec<ContactRow>,
    caller: Option<&Caller>,
) -> Result<Vec<Contact>, StoreError> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let participants = store::contacts::participants_of(ex, &ids).await?;
    let sources = store::contacts::sources_of(ex, &ids).await?;
    let about = store::requests::requests_of_contacts(ex, &ids).await?;
    let mut party_ids: Vec<Uuid> = participants.iter().filter_map(|p| p.party_id).collect();
    party_ids.sort_unstable();
    party_ids.dedup();
    let party_names = parties::names(ex, &party_ids).await?.into_iter().collect();
    let channels = store::contacts::channels(ex).await?;
    let outcomes = store::contacts::outcomes(ex).await?;
    Ok(shown(rows, &Related { participants, sources, about, party_names, channels, outcomes }, caller))
}

/// What contacts are shown with besides their own rows.
struct Related {
    participants: Vec<ParticipantRow>,
    sources: Vec<SourceRow>,
    /// (contact, request) pairs.
    about: Vec<(Uuid, Uuid)>,
    party_names: HashMap<Uuid, String>,
    channels: Vec<ListEntryRow>,
    outcomes: Vec<ListEntryRow>,
}

/// Rows with their related parts; confidentiality applied for `caller` (`None`: nothing withheld).
fn shown(rows: Vec<ContactRow>, related: &Related, caller: Option<&Caller>) -> Vec<Contact> {
    let Related { participants, sources, about, party_names: names, channels, outcomes } = related;
    let name_of = |list: &[ListEntryRow], code: &str| {
        list.iter().find(|e| e.code == code).map_or_else(|| code.to_owned(), |e| e.name.clone())
    };
    rows.into_iter()
        .map(|r| {
            let shown = match caller {
                None => true,
                Some(caller) => {
                    !r.confidential || r.agent_id == Some(caller.user_id) || caller.may(Ability::SeeConfidential)
                }
            };
            let withheld = |text: String| if shown { text } else { String::new() };
            Contact {
                id: r.id,
                channel_name: name_of(channels, &r.channel),
                channel: r.channel,
                subject: r.subject,
                product: r.product,
                question: withheld(r.question),
                notes: withheld(r.notes),
                response: withheld(r.response),
                withheld: !shown,
                language: r.language,
                confidential: r.confidential,
                contact_made: r.contact_made,
                started_at: r.started_at,
                ended_at: r.ended_at,
                duration_s: r.ended_at.map(|e| (e - r.started_at).num_seconds()),
                outcome_name: r.outcome.as_deref().map(|o| name_of(outcomes, o)),
                outcome: r.outcome,
                agent_id: r.agent_id,
                agent_name: r.agent_name,
                unit_id: r.unit_id,
                participants: participants
                    .iter()
                    .filter(|p| p.contact_id == r.id)
                    .map(|p| Participant {
                        id: p.id,
                        party_id: p.party_id,
                        display_name: p.party_id.and_then(|id| names.get(&id).cloned()).unwrap_or_default(),
                        role: ParticipantRole::parse(&p.role).unwrap_or(ParticipantRole::Klant),
                        initiator: p.initiator,
                    })
                    .collect(),
                sources: sources
                    .iter()
                    .filter(|s| s.contact_id == r.id)
                    .filter_map(|s| {
                        Some(Source {
                            kind: SourceKind::parse(&s.kind)?,
                            id: s.item_id,
                            title: s.title.clone(),
                            detail: s.detail.clone(),
                        })
                    })
                    .collect(),
                request_ids: about.iter().filter(|(c, _)| *c == r.id).map(|(_, req)| *req).collect(),
                created_at: r.created_at,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(code: &str, active: bool) -> ListEntryRow {
        ListEntryRow { code: code.into(), name: code.into(), active, position: 1 }
    }

    #[test]
    fn an_unknown_channel_is_refused_with_the_known_ones() {
        let list = [entry("telefoon", true), entry("fax", false)];
        assert_eq!(pick(&list, " telefoon ", "channel", "Kanaal").unwrap(), "telefoon");
        let err = pick(&list, "duif", "channel", "Kanaal").unwrap_err();
        assert_eq!(err.code, "unknown_channel");
        assert!(err.message.contains("telefoon") && !err.message.contains("fax"), "{}", err.message);
        assert_eq!(pick(&list, "fax", "channel", "Kanaal").unwrap_err().code, "inactive");
        assert_eq!(pick(&list, "x", "outcome", "Resultaat").unwrap_err().code, "unknown_outcome");
    }

    #[test]
    fn the_language_is_dutch_unless_another_code_is_given() {
        assert_eq!(parse_language(None).unwrap(), "nl");
        assert_eq!(parse_language(Some("EN")).unwrap(), "en");
        assert_eq!(parse_language(Some("nederlands")).unwrap_err().code, "invalid_language");
    }
}
