//! Callback requests (terugbelverzoeken): a kind of work item (see `work`) to phone a citizen back.
//!
//! Rules:
//! - A callback names a number (E.164; by default the party's preferred phone number), a
//!   subject, and is addressed to a team (its queue) or a colleague (who then holds it, in their
//!   team's queue). It may carry the citizen's preferred window, which must lie ahead and be
//!   at most 14 days long. Its due time comes from the SLA policy at creation.
//! - The queue rules are the work queue's (`work`): whoever works callbacks sees their own
//!   team's queue and what they hold, claims, returns and hands over; a team lead reassigns any.
//! - The addressee is told by e-mail when they have an address; the mail holds the due time and
//!   a link, no free text.
//! - An attempt is logged with its result (bereikt, geen gehoor, voicemail ingesproken, verkeerd
//!   nummer), time and agent. The next attempt waits the policy's spacing; after the policy's
//!   maximum of failed attempts the callback closes as niet bereikt, and a wrong number closes it
//!   at once. A successful attempt registers a phone contact with the party, in the same
//!   transaction, and closes the callback as bereikt.
//! - A closed callback takes no more attempts or assignments (conflict).
//! - Every read of callbacks (they hold a phone number and a name) is in the audit log.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{
    AssignInput, Assignee, AssigneeInput, AssigneeKind, EventAction, Queue, WorkError, WorkEvent, WorkItem, WorkKind,
    WorkStatus, resolve_assignee,
};
use crate::auth::Caller;
use crate::auth::audit::{self, AuditAction, AuditEvent, Purpose};
use crate::channels::Channel;
use crate::clock;
use crate::contacts::contact::{self, ContactInput, ParticipantInput};
use crate::contacts::digital_address::PhoneNumber;
use crate::contacts::{ContactsError, optional_text};
use crate::sla::{self, Remaining, SlaPolicy};
use crate::store::callbacks::{AttemptRow, CallbackRow};
use crate::store::work::WorkItemRow;
use crate::store::{self, Executor, Store, StoreError};
use crate::validation::{self, Checks, FieldError};

/// How long a citizen's preferred window may be.
const MAX_WINDOW_DAYS: i64 = 14;

#[derive(Debug, thiserror::Error)]
pub enum CallbackError {
    #[error("invalid callback")]
    Invalid(Vec<FieldError>),
    #[error("no such callback")]
    NotFound,
    #[error("the callback is closed")]
    Closed,
    #[error("too soon for the next attempt")]
    TooSoon { next_attempt_at: DateTime<Utc> },
    #[error("{0}")]
    Forbidden(String),
    #[error(transparent)]
    Contact(#[from] ContactsError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<Vec<FieldError>> for CallbackError {
    fn from(errors: Vec<FieldError>) -> Self {
        CallbackError::Invalid(errors)
    }
}

impl From<WorkError> for CallbackError {
    fn from(e: WorkError) -> Self {
        match e {
            WorkError::Invalid(errors) => CallbackError::Invalid(errors),
            WorkError::NotFound => CallbackError::NotFound,
            WorkError::Closed => CallbackError::Closed,
            WorkError::Forbidden(why) => CallbackError::Forbidden(why),
            WorkError::Store(e) => CallbackError::Store(e),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AttemptResult {
    Bereikt,
    GeenGehoor,
    /// Voicemail ingesproken.
    Voicemail,
    VerkeerdNummer,
}

impl AttemptResult {
    pub const ALL: [AttemptResult; 4] =
        [AttemptResult::Bereikt, AttemptResult::GeenGehoor, AttemptResult::Voicemail, AttemptResult::VerkeerdNummer];

    pub fn id(self) -> &'static str {
        match self {
            AttemptResult::Bereikt => "bereikt",
            AttemptResult::GeenGehoor => "geen_gehoor",
            AttemptResult::Voicemail => "voicemail",
            AttemptResult::VerkeerdNummer => "verkeerd_nummer",
        }
    }

    pub fn parse(field: &str, s: &str) -> Result<AttemptResult, FieldError> {
        AttemptResult::ALL.into_iter().find(|r| r.id() == s.trim()).ok_or_else(|| {
            FieldError::new(field, "unknown_attempt_result", "Kies bereikt, geen_gehoor, voicemail of verkeerd_nummer.")
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            AttemptResult::Bereikt => "Bereikt",
            AttemptResult::GeenGehoor => "Geen gehoor",
            AttemptResult::Voicemail => "Voicemail ingesproken",
            AttemptResult::VerkeerdNummer => "Verkeerd nummer",
        }
    }
}

/// How a closed callback ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CallbackOutcome {
    Bereikt,
    /// The policy's attempts were used up.
    NietBereikt,
    VerkeerdNummer,
}

impl CallbackOutcome {
    pub fn id(self) -> &'static str {
        match self {
            CallbackOutcome::Bereikt => "bereikt",
            CallbackOutcome::NietBereikt => "niet_bereikt",
            CallbackOutcome::VerkeerdNummer => "verkeerd_nummer",
        }
    }

    fn parse(s: &str) -> Option<CallbackOutcome> {
        [CallbackOutcome::Bereikt, CallbackOutcome::NietBereikt, CallbackOutcome::VerkeerdNummer]
            .into_iter()
            .find(|o| o.id() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            CallbackOutcome::Bereikt => "Bereikt",
            CallbackOutcome::NietBereikt => "Niet bereikt",
            CallbackOutcome::VerkeerdNummer => "Verkeerd nummer",
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallbackInput {
    /// The contact during which it was asked.
    #[serde(default)]
    pub contact_id: Option<Uuid>,
    /// Who to call (default: the contact's customer).
    #[serde(default)]
    pub party_id: Option<Uuid>,
    /// The number to call (default: the party's preferred phone number).
    #[serde(default)]
    pub phone: Option<String>,
    /// Reason and subject.
    pub subject: String,
    /// For the colleague who calls.
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub window_from: Option<DateTime<Utc>>,
    #[serde(default)]
    pub window_to: Option<DateTime<Utc>>,
    /// A team (eenheid) or a colleague (medewerker).
    pub assignee: AssigneeInput,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttemptInput {
    /// bereikt, geen_gehoor, voicemail or verkeerd_nummer.
    pub result: String,
    #[serde(default)]
    pub note: String,
    /// For a successful attempt: the outcome code of the contact it becomes (default
    /// zelfstandig afgehandeld when that exists).
    #[serde(default)]
    pub outcome: Option<String>,
    /// For a successful attempt: what was said (the contact's notes).
    #[serde(default)]
    pub response: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Attempt {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub agent_id: Uuid,
    pub agent_name: String,
    pub result: AttemptResult,
    pub note: String,
    pub contact_id: Option<Uuid>,
}

impl Attempt {
    /// "03-12-2026 10:15:00 Geen gehoor (Anouk Jansen): note", as the queue and the timeline list it.
    pub fn history_line(&self) -> String {
        let note = if self.note.is_empty() { String::new() } else { format!(": {}", self.note) };
        format!("{} {} ({}){note}", clock::format_local(self.at), self.result.label(), self.agent_name)
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Callback {
    pub id: Uuid,
    pub contact_id: Option<Uuid>,
    pub party_id: Option<Uuid>,
    pub party_name: Option<String>,
    /// E.164.
    pub phone: String,
    pub subject: String,
    pub note: String,
    pub window_from: Option<DateTime<Utc>>,
    pub window_to: Option<DateTime<Utc>>,
    /// The team whose queue holds it.
    pub unit_id: Option<Uuid>,
    pub assignee: Assignee,
    pub status: WorkStatus,
    pub due_at: Option<DateTime<Utc>>,
    /// Open time left before it is due (open callbacks only).
    pub remaining: Option<Remaining>,
    pub attempts: u32,
    pub max_attempts: u32,
    /// Not to be tried again before this time.
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub outcome: Option<CallbackOutcome>,
    /// The contact the successful attempt became.
    pub result_contact_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub done_at: Option<DateTime<Utc>>,
    pub attempt_log: Vec<Attempt>,
    /// Who did what with it, oldest first (the work queue's history).
    pub history: Vec<WorkEvent>,
}

impl Callback {
    fn new(
        row: CallbackRow,
        attempts: Vec<AttemptRow>,
        history: Vec<WorkEvent>,
        policy: &SlaPolicy,
        now: DateTime<Utc>,
    ) -> Callback {
        let item = WorkItem::from_row(row.item, policy, now);
        Callback {
            id: item.id,
            contact_id: item.contact_id,
            party_id: item.party_id,
            party_name: row.party_name,
            phone: row.phone,
            subject: row.subject,
            note: item.explanation,
            window_from: row.window_from,
            window_to: row.window_to,
            unit_id: item.unit_id,
            assignee: item.assignee,
            status: item.status,
            due_at: item.due_at,
            remaining: item.remaining,
            attempts: row.attempts.max(0) as u32,
            max_attempts: policy.callbacks.max_attempts,
            next_attempt_at: row.next_attempt_at,
            outcome: row.outcome.as_deref().and_then(CallbackOutcome::parse),
            result_contact_id: row.result_contact_id,
            created_at: item.created_at,
            created_by: item.created_by,
            done_at: item.done_at,
            attempt_log: attempts
                .into_iter()
                .map(|a| Attempt {
                    id: a.id,
                    at: a.at,
                    agent_id: a.user_id,
                    agent_name: a.user_name,
                    result: AttemptResult::parse("result", &a.result).unwrap_or(AttemptResult::GeenGehoor),
                    note: a.note,
                    contact_id: a.contact_id,
                })
                .collect(),
            history,
        }
    }
}

/// Callbacks with their attempts and history, in the order of `rows`.
async fn assemble(ex: &mut impl Executor, rows: Vec<CallbackRow>) -> Result<Vec<Callback>, StoreError> {
    let policy = sla::load(ex).await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.item.id).collect();
    let mut attempts = store::callbacks::attempts_of(ex, &ids).await?;
    let mut histories = super::histories(ex, &ids).await?;
    let now = clock::now();
    Ok(rows
        .into_iter()
        .map(|row| {
            let (mine, rest) = attempts.drain(..).partition(|a| a.work_item_id == row.item.id);
            attempts = rest;
            let history = histories.remove(&row.item.id).unwrap_or_default();
            Callback::new(row, mine, history, &policy, now)
        })
        .collect())
}

fn read_event(action: AuditAction, id: Option<String>) -> AuditEvent {
    AuditEvent::new(action, "callback", id).purpose(Purpose::CustomerContact)
}

/// The party's preferred phone number, or its first one.
async fn phone_of(ex: &mut impl Executor, party: Uuid) -> Result<Option<String>, StoreError> {
    let addresses = store::parties::digital_addresses_of(ex, &[party]).await?;
    Ok(addresses.into_iter().find(|a| a.kind == "telefoonnummer").map(|a| a.value))
}

/// Tells the addressed colleague or team by e-mail, when they have an address: the due time and
/// a link to the queue only, no free text (it may name the citizen).
async fn notify_addressee(
    ex: &mut impl Executor,
    kind: AssigneeKind,
    id: Uuid,
    due_at: Option<DateTime<Utc>>,
) -> Result<(), StoreError> {
    let (address, link) = match kind {
        AssigneeKind::Medewerker => (
            store::users::find_by_id(ex, id).await?.and_then(|u| u.email),
            "/terugbelverzoeken?wachtrij=mine".to_owned(),
        ),
        _ => (store::units::find(ex, id).await?.and_then(|u| u.email), format!("/terugbelverzoeken?wachtrij={id}")),
    };
    let Some(address) = address.and_then(|a| crate::contacts::digital_address::EmailAddress::parse(&a).ok()) else {
        return Ok(());
    };
    let due = due_at.map_or_else(|| "zonder termijn".to_owned(), |d| format!("uiterlijk {}", clock::format_local(d)));
    // The subject is typed by an agent and may hold a name: the mail carries only the due time.
    let body = format!(
        "Er staat een terugbelverzoek voor u klaar in Loket, {due}.\n\n\
         Onderwerp, naam en nummer ziet u in Loket; open de wachtrij om het op te pakken:"
    );
    crate::mail::enqueue(ex, &address, "Terugbelverzoek in Loket", &body, &link).await
}

/// Registers a callback request, all or nothing; its due time comes from the SLA policy.
pub async fn create(store: &Store, caller: &Caller, input: &CallbackInput) -> Result<Callback, CallbackError> {
    let now = clock::now();
    let mut checks = Checks::default();
    let subject = checks.take("subject", validation::text(&input.subject, 1, 200));
    let note = checks.take("note", optional_text(&input.note, 2_000));
    let window = match (input.window_from, input.window_to) {
        (None, None) => None,
        (Some(from), Some(to)) => {
            let (from, to) = (clock::truncate(from), clock::truncate(to));
            if to <= from {
                checks.push(FieldError::new(
                    "window_to",
                    "before_start",
                    "Het einde van het tijdvak ligt vóór het begin.",
                ));
            } else if to < now {
                checks.push(FieldError::new("window_to", "in_the_past", "Dit tijdvak is al voorbij."));
            } else if to - from > Duration::days(MAX_WINDOW_DAYS) {
                checks.push(FieldError::new(
                    "window_to",
                    "too_long",
                    format!("Een tijdvak is hoogstens {MAX_WINDOW_DAYS} dagen."),
                ));
            }
            Some((from, to))
        }
        (Some(_), None) => {
            checks.push(FieldError::new("window_to", "required", "Geef ook het einde van het tijdvak."));
            None
        }
        (None, Some(_)) => {
            checks.push(FieldError::new("window_from", "required", "Geef ook het begin van het tijdvak."));
            None
        }
    };
    let mut tx = store.begin().await?;
    let assignee = match AssigneeKind::parse(&input.assignee.kind) {
        Some(AssigneeKind::Geautomatiseerd) => {
            checks.push(FieldError::new(
                "assignee.kind",
                "unknown_assignee_kind",
                "Een terugbelverzoek gaat naar een team of een medewerker.",
            ));
            None
        }
        _ => match resolve_assignee(&mut tx, &input.assignee).await? {
            Ok(a) => Some(a),
            Err(e) => {
                checks.push(e);
                None
            }
        },
    };
    let mut party_id = input.party_id;
    if let Some(party) = party_id
        && store::parties::find_party(&mut tx, party).await?.is_none()
    {
        checks.push(FieldError::new("party_id", "unknown_party", "Deze partij bestaat niet."));
        party_id = None;
    }
    if let Some(contact) = input.contact_id {
        if store::contacts::find_contact(&mut tx, contact).await?.is_none() {
            checks.push(FieldError::new("contact_id", "unknown_contact", "Dit klantcontact bestaat niet."));
        } else if party_id.is_none() {
            party_id = store::contacts::participants_of(&mut tx, &[contact])
                .await?
                .into_iter()
                .filter(|p| p.role == "klant")
                .find_map(|p| p.party_id);
        }
    }
    let phone = match input.phone.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => checks.take("phone", PhoneNumber::parse(p).map_err(|e| e.for_field("phone"))).map(String::from),
        None => match party_id {
            Some(party) => phone_of(&mut tx, party).await?,
            None => None,
        },
    };
    if phone.is_none() && input.phone.as_deref().is_none_or(|p| p.trim().is_empty()) {
        checks.push(FieldError::new(
            "phone",
            "required",
            "Geef het nummer om terug te bellen; deze klant heeft geen telefoonnummer.",
        ));
    }
    checks.finish()?;
    let (Some(subject), Some(note), Some((kind, Some(assignee_id), assignee_name)), Some(phone)) =
        (subject, note, assignee, phone)
    else {
        unreachable!("every missing value left an error behind");
    };
    let unit_id = super::queue_of(&mut tx, kind, Some(assignee_id)).await?;
    let policy = sla::load(&mut tx).await?;
    let due_at = policy.callback_due(unit_id, now, window).map(clock::truncate);
    let row = CallbackRow {
        item: WorkItemRow {
            id: Uuid::now_v7(),
            kind: WorkKind::Terugbelverzoek.code().into(),
            // A callback is a phone call, whatever channel it was asked on.
            channel: Some(Channel::Telefoon.code().into()),
            contact_id: input.contact_id,
            party_id,
            action: format!("Terugbellen: {subject}"),
            explanation: note,
            assignee_kind: kind.id().to_owned(),
            assignee_id: Some(assignee_id),
            assignee_name,
            unit_id,
            status: "te_verwerken".into(),
            due_at,
            created_at: now,
            created_by: caller.display_name.clone(),
            done_at: None,
            done_by: None,
            result: String::new(),
        },
        phone,
        subject,
        window_from: window.map(|w| w.0),
        window_to: window.map(|w| w.1),
        attempts: 0,
        next_attempt_at: None,
        outcome: None,
        result_contact_id: None,
        party_name: None,
    };
    store::callbacks::insert(&mut tx, &row).await?;
    let id = row.item.id;
    super::record(&mut tx, id, EventAction::Aangemaakt, caller, &row.item.assignee_name).await?;
    notify_addressee(&mut tx, kind, assignee_id, due_at).await?;
    let detail = serde_json::json!({ "assignee_kind": kind.id(), "assignee_id": assignee_id, "party_id": party_id, "due_at": due_at });
    audit::record(
        &mut tx,
        &caller.actor(),
        AuditEvent::new(AuditAction::CallbackCreated, "callback", id.to_string()).detail(detail),
    )
    .await?;
    let row = store::callbacks::find(&mut tx, id).await?.ok_or(CallbackError::NotFound)?;
    let callback = assemble(&mut tx, vec![row]).await?.remove(0);
    tx.commit().await?;
    Ok(callback)
}

/// One callback with its attempts (logged as a read), for those who may list or work on it:
/// who holds it, its team, or a team lead. Nobody reads one callback from a queue they may not see.
pub async fn get(store: &Store, caller: &Caller, id: Uuid) -> Result<Callback, CallbackError> {
    let mut tx = store.begin().await?;
    let row = store::callbacks::find(&mut tx, id).await?.ok_or(CallbackError::NotFound)?;
    if !super::may_work_on(&row.item, caller) {
        return Err(super::other_team(WorkKind::Terugbelverzoek).into());
    }
    let callback = assemble(&mut tx, vec![row]).await?.remove(0);
    audit::record(&mut tx, &caller.actor(), read_event(AuditAction::CallbackRead, Some(id.to_string()))).await?;
    tx.commit().await?;
    Ok(callback)
}

/// Open callbacks, the first due first (logged as a read).
pub async fn list(store: &Store, caller: &Caller, queue: Queue) -> Result<Vec<Callback>, CallbackError> {
    let scope = queue.scope(caller)?;
    let mut tx = store.begin().await?;
    let rows = store::callbacks::open(&mut tx, scope, super::LIST_LIMIT).await?;
    let callbacks = assemble(&mut tx, rows).await?;
    let detail = serde_json::json!({ "callbacks": callbacks.len() });
    audit::record(&mut tx, &caller.actor(), read_event(AuditAction::CallbacksListed, None).detail(detail)).await?;
    tx.commit().await?;
    Ok(callbacks)
}

/// Callbacks of a party, for the timeline (the caller logs the read).
pub(crate) async fn of_items(ex: &mut impl Executor, ids: &[Uuid]) -> Result<Vec<Callback>, StoreError> {
    let rows = store::callbacks::many(ex, ids).await?;
    assemble(ex, rows).await
}

/// The callback after a change of the work queue, when `id` is a callback at all.
async fn after_queue_change<F, Fut>(store: &Store, id: Uuid, change: F) -> Result<Callback, CallbackError>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<WorkItemRow, WorkError>>,
{
    let mut conn = store.acquire().await?;
    if store::callbacks::find(&mut conn, id).await?.is_none() {
        return Err(CallbackError::NotFound);
    }
    drop(conn);
    change().await?;
    let mut conn = store.acquire().await?;
    let row = store::callbacks::find(&mut conn, id).await?.ok_or(CallbackError::NotFound)?;
    Ok(assemble(&mut conn, vec![row]).await?.remove(0))
}

/// Takes a callback from a team's queue (or one already held).
pub async fn claim(store: &Store, caller: &Caller, id: Uuid) -> Result<Callback, CallbackError> {
    after_queue_change(store, id, || super::claim(store, caller, id)).await
}

/// Puts a callback the caller holds back in its team's queue.
pub async fn return_to_team(store: &Store, caller: &Caller, id: Uuid) -> Result<Callback, CallbackError> {
    after_queue_change(store, id, || super::return_to_team(store, caller, id)).await
}

/// Gives a callback to a colleague or a team: the holder may hand over their own, a team lead any.
pub async fn reassign(
    store: &Store,
    caller: &Caller,
    id: Uuid,
    input: &AssignInput,
) -> Result<Callback, CallbackError> {
    after_queue_change(store, id, || super::reassign(store, caller, id, input)).await
}

/// Logs an attempt and applies the policy; a successful one becomes a contact with the party.
pub async fn attempt(
    store: &Store,
    caller: &Caller,
    id: Uuid,
    input: &AttemptInput,
) -> Result<Callback, CallbackError> {
    let now = clock::now();
    let mut checks = Checks::default();
    let result = checks.take("result", AttemptResult::parse("result", &input.result));
    let note = checks.take("note", optional_text(&input.note, 2_000));
    checks.finish()?;
    let (Some(result), Some(note)) = (result, note) else { unreachable!("every missing value left an error behind") };

    let mut tx = store.begin().await?;
    let row = store::callbacks::find_for_update(&mut tx, id).await?.ok_or(CallbackError::NotFound)?;
    if row.item.status != "te_verwerken" {
        return Err(CallbackError::Closed);
    }
    if row.item.assignee_kind == AssigneeKind::Medewerker.id() && !super::held_by(&row.item, caller) {
        return Err(super::held_by_colleague(WorkKind::Terugbelverzoek).into());
    }
    if !super::may_work_on(&row.item, caller) {
        return Err(super::other_team(WorkKind::Terugbelverzoek).into());
    }
    if let Some(next) = row.next_attempt_at
        && next > now
    {
        return Err(CallbackError::TooSoon { next_attempt_at: next });
    }
    // Whoever calls holds it (an attempt straight from the queue claims it).
    if !super::held_by(&row.item, caller) {
        let me = AssigneeKind::Medewerker.id();
        store::work::assign(&mut tx, id, me, caller.user_id, &caller.display_name, None).await?;
        super::record(&mut tx, id, EventAction::Opgepakt, caller, &caller.display_name).await?;
    }
    let policy = sla::load(&mut tx).await?;
    let attempts = row.attempts + 1;
    let contact_id = if result == AttemptResult::Bereikt {
        let outcome = match input.outcome.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
            Some(o) => Some(o.to_owned()),
            None => store::contacts::outcomes(&mut tx)
                .await?
                .into_iter()
                .find(|o| o.active && o.code == "zelfstandig_afgehandeld")
                .map(|o| o.code),
        };
        let contact = ContactInput {
            // A callback is a phone call.
            channel: Channel::Telefoon.code().into(),
            subject: row.subject.clone(),
            product: None,
            question: row.item.explanation.clone(),
            notes: if note.is_empty() { input.response.clone() } else { format!("{note}\n\n{}", input.response) },
            response: String::new(),
            language: None,
            confidential: false,
            contact_made: true,
            started_at: Some(now),
            ended_at: None,
            outcome,
            unit_id: None,
            participants: row
                .item
                .party_id
                .map(|p| ParticipantInput { party_id: p, role: None, initiator: false })
                .into_iter()
                .collect(),
            sources: Vec::new(),
            request_ids: Vec::new(),
        };
        let registered = contact::register_in(&mut tx, caller, &contact, &Default::default()).await?;
        Some(registered.id)
    } else {
        None
    };
    let outcome = match result {
        AttemptResult::Bereikt => Some(CallbackOutcome::Bereikt),
        AttemptResult::VerkeerdNummer => Some(CallbackOutcome::VerkeerdNummer),
        _ if attempts as u32 >= policy.callbacks.max_attempts => Some(CallbackOutcome::NietBereikt),
        _ => None,
    };
    let next_attempt_at =
        outcome.is_none().then(|| clock::truncate(now + Duration::minutes(policy.callbacks.spacing_minutes.into())));
    store::callbacks::insert_attempt(
        &mut tx,
        &AttemptRow {
            id: Uuid::now_v7(),
            work_item_id: id,
            at: now,
            user_id: caller.user_id,
            user_name: caller.display_name.clone(),
            result: result.id().to_owned(),
            note,
            contact_id,
        },
    )
    .await?;
    store::callbacks::after_attempt(&mut tx, id, attempts, next_attempt_at, outcome.map(|o| o.id()), contact_id)
        .await?;
    super::record(&mut tx, id, EventAction::Poging, caller, result.label()).await?;
    if let Some(outcome) = outcome {
        let summary = format!("{} na {attempts} poging(en)", outcome.label());
        store::work::complete(&mut tx, id, now, &caller.display_name, &summary).await?;
        super::record(&mut tx, id, EventAction::Afgerond, caller, &summary).await?;
    }
    let detail = serde_json::json!({ "result": result.id(), "attempt": attempts, "outcome": outcome.map(|o| o.id()) });
    audit::record(
        &mut tx,
        &caller.actor(),
        AuditEvent::new(AuditAction::CallbackAttempted, "callback", id.to_string()).detail(detail),
    )
    .await?;
    let row = store::callbacks::find(&mut tx, id).await?.ok_or(CallbackError::NotFound)?;
    let callback = assemble(&mut tx, vec![row]).await?.remove(0);
    tx.commit().await?;
    Ok(callback)
}
