//! The work queue (werkvoorraad): everything a colleague or a team still has to do for a
//! citizen, whatever channel it came from. Follow-up tasks (`tasks`) and callback requests
//! (`callbacks`) are kinds of work item; e-mail threads and chats are the next kinds.
//!
//! Rules:
//! - A work item says what has to be done, for which party, from which channel, addressed to a
//!   colleague, a team or an automated actor, and sits in the queue of one team (the addressed
//!   team, or the addressed colleague's team). It is open (`te_verwerken`) until it is finished
//!   once (`verwerkt`); a finished item takes no more claims or assignments (conflict).
//! - Whoever works the queue sees their own team's queue and what they hold; they may claim one
//!   from their team's queue, return their own to the team, or hand their own to a colleague or
//!   team. A team lead (`DistributeWork`) sees every queue and may reassign any. Work addressed
//!   to an automated actor is in no queue: nobody claims or moves it.
//! - The due time comes from the SLA policy at creation; the time left runs on the opening hours
//!   of the kind's channel for the queue's team (callbacks: telephone), or on the team's office
//!   hours for kinds without a channel of their own (follow-ups).
//! - Every claim, return, handover, attempt and finish is in the item's history (who, when, to
//!   whom or with what result) and in the audit log; every read of a queue is in the audit log.
//! - A new kind declares its code, names, SLA target and clock here; the queues, the wall board
//!   and the figures then show it without further code.

pub mod callbacks;
pub mod tasks;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::audit::{self, AuditAction, AuditEvent, Purpose};
use crate::auth::{Ability, Caller};
use crate::channels::Channel;
use crate::clock;
use crate::sla::{self, Remaining, SlaPolicy};
use crate::store::work::{EventRow, Scope, WorkItemRow};
use crate::store::{self, Executor, Store, StoreError};
use crate::validation::{self, FieldError};

/// A queue shows at most this many (a queue longer than this needs a team lead, not a page).
pub const LIST_LIMIT: i64 = 500;

#[derive(Debug, thiserror::Error)]
pub enum WorkError {
    #[error("invalid work item")]
    Invalid(Vec<FieldError>),
    #[error("no such work item")]
    NotFound,
    #[error("the work item is closed")]
    Closed,
    #[error("{0}")]
    Forbidden(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A kind of work item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WorkKind {
    /// A follow-up (opvolging): check a payment, send a form.
    Opvolging,
    /// A callback request (terugbelverzoek).
    Terugbelverzoek,
    /// An e-mail thread (`channels::email`).
    #[serde(rename = "e-mail")]
    Email,
}

impl WorkKind {
    pub const ALL: [WorkKind; 3] = [WorkKind::Opvolging, WorkKind::Terugbelverzoek, WorkKind::Email];

    /// The code in the database and the API.
    pub fn code(self) -> &'static str {
        match self {
            WorkKind::Opvolging => "opvolging",
            WorkKind::Terugbelverzoek => "terugbelverzoek",
            WorkKind::Email => "e-mail",
        }
    }

    pub fn of(code: &str) -> Option<WorkKind> {
        WorkKind::ALL.into_iter().find(|k| k.code() == code.trim())
    }

    /// The locale key of its name.
    pub fn label_key(self) -> &'static str {
        match self {
            WorkKind::Opvolging => "work.kind.opvolging",
            WorkKind::Terugbelverzoek => "work.kind.terugbelverzoek",
            WorkKind::Email => "work.kind.e-mail",
        }
    }

    /// "deze taak", "dit terugbelverzoek": for the messages below.
    fn this(self) -> &'static str {
        match self {
            WorkKind::Opvolging => "deze taak",
            WorkKind::Terugbelverzoek => "dit terugbelverzoek",
            WorkKind::Email => "deze e-mail",
        }
    }

    /// The SLA policy's target for it.
    pub fn sla_target(self) -> &'static str {
        match self {
            WorkKind::Opvolging => sla::policy::TASK,
            WorkKind::Terugbelverzoek => sla::policy::CALLBACK,
            WorkKind::Email => "e-mail",
        }
    }

    /// The channel whose opening hours its clock runs on; none: the team's office hours.
    pub fn clock_channel(self) -> Option<Channel> {
        match self {
            WorkKind::Opvolging => None,
            WorkKind::Terugbelverzoek => Some(Channel::Telefoon),
            WorkKind::Email => Some(Channel::Email),
        }
    }

    /// What the audit log calls one (its object type) and how it names a handover.
    fn audit_object(self) -> &'static str {
        match self {
            WorkKind::Opvolging => "task",
            WorkKind::Terugbelverzoek => "callback",
            WorkKind::Email => "mail_thread",
        }
    }

    fn assigned_action(self) -> AuditAction {
        match self {
            WorkKind::Opvolging | WorkKind::Email => AuditAction::WorkItemAssigned,
            WorkKind::Terugbelverzoek => AuditAction::CallbackAssigned,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WorkStatus {
    TeVerwerken,
    Verwerkt,
}

impl WorkStatus {
    pub(crate) fn of(code: &str) -> WorkStatus {
        if code == "verwerkt" { WorkStatus::Verwerkt } else { WorkStatus::TeVerwerken }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AssigneeKind {
    /// A colleague (a user).
    Medewerker,
    /// An afdeling or team.
    Eenheid,
    /// A system that picks it up by itself.
    Geautomatiseerd,
}

impl AssigneeKind {
    pub fn id(self) -> &'static str {
        match self {
            AssigneeKind::Medewerker => "medewerker",
            AssigneeKind::Eenheid => "eenheid",
            AssigneeKind::Geautomatiseerd => "geautomatiseerd",
        }
    }

    pub fn parse(s: &str) -> Option<AssigneeKind> {
        [AssigneeKind::Medewerker, AssigneeKind::Eenheid, AssigneeKind::Geautomatiseerd]
            .into_iter()
            .find(|k| k.id() == s.trim())
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssigneeInput {
    /// medewerker, eenheid or geautomatiseerd.
    pub kind: String,
    /// The user (medewerker) or unit (eenheid).
    #[serde(default)]
    pub id: Option<Uuid>,
    /// The automated actor's name.
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignInput {
    /// A team (eenheid: back in its queue) or a colleague (medewerker).
    pub assignee: AssigneeInput,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Assignee {
    pub kind: AssigneeKind,
    pub id: Option<Uuid>,
    pub name: String,
}

/// What happened to a work item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventAction {
    Aangemaakt,
    Opgepakt,
    Teruggezet,
    Overgedragen,
    Poging,
    Afgerond,
    /// What had to be done, or its explanation, was changed.
    Gewijzigd,
}

impl EventAction {
    const ALL: [EventAction; 7] = [
        EventAction::Aangemaakt,
        EventAction::Opgepakt,
        EventAction::Teruggezet,
        EventAction::Overgedragen,
        EventAction::Poging,
        EventAction::Afgerond,
        EventAction::Gewijzigd,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EventAction::Aangemaakt => "aangemaakt",
            EventAction::Opgepakt => "opgepakt",
            EventAction::Teruggezet => "teruggezet",
            EventAction::Overgedragen => "overgedragen",
            EventAction::Poging => "poging",
            EventAction::Afgerond => "afgerond",
            EventAction::Gewijzigd => "gewijzigd",
        }
    }

    /// The locale key of its name.
    pub fn label_key(self) -> &'static str {
        match self {
            EventAction::Aangemaakt => "work.event.aangemaakt",
            EventAction::Opgepakt => "work.event.opgepakt",
            EventAction::Teruggezet => "work.event.teruggezet",
            EventAction::Overgedragen => "work.event.overgedragen",
            EventAction::Poging => "work.event.poging",
            EventAction::Afgerond => "work.event.afgerond",
            EventAction::Gewijzigd => "work.event.gewijzigd",
        }
    }
}

/// One line of a work item's history.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WorkEvent {
    pub at: DateTime<Utc>,
    pub action: EventAction,
    /// Who did it, as the audit log names them.
    pub actor: String,
    /// To whom it went, or what came of it.
    pub note: String,
}

impl From<EventRow> for WorkEvent {
    fn from(e: EventRow) -> Self {
        WorkEvent {
            at: e.at,
            action: EventAction::ALL.into_iter().find(|a| a.code() == e.action).unwrap_or(EventAction::Aangemaakt),
            actor: e.actor_name,
            note: e.note,
        }
    }
}

/// Where a work item stands, in one word for every kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WorkState {
    /// In a team's queue (or with an automated actor), not yet taken.
    Nieuw,
    /// A colleague holds it.
    InBehandeling,
    /// Finished.
    Afgerond,
}

/// A work item of any kind, as the queues show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WorkItem {
    pub id: Uuid,
    pub kind: WorkKind,
    /// The thread's reference (kenmerk) of an e-mail; none for other kinds.
    pub reference: Option<String>,
    /// What it is about: an e-mail's subject, else what has to be done.
    pub subject: String,
    /// Who wrote an e-mail (their address); none for other kinds.
    pub from: Option<String>,
    pub state: WorkState,
    /// The channel it came from (a code of the channel list), when known.
    pub channel: Option<String>,
    pub contact_id: Option<Uuid>,
    pub party_id: Option<Uuid>,
    /// What has to be done.
    pub action: String,
    pub explanation: String,
    pub assignee: Assignee,
    /// The team whose queue holds it.
    pub unit_id: Option<Uuid>,
    pub status: WorkStatus,
    pub due_at: Option<DateTime<Utc>>,
    /// Open time left before it is due (open items with a due time only).
    pub remaining: Option<Remaining>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub done_at: Option<DateTime<Utc>>,
    pub done_by: Option<String>,
    pub result: String,
    /// Who did what, oldest first (one item's page; empty in lists).
    pub history: Vec<WorkEvent>,
}

impl WorkItem {
    /// With the open time left at `now` (queues, worklists, one item's page).
    pub fn from_row(row: WorkItemRow, policy: &SlaPolicy, now: DateTime<Utc>) -> WorkItem {
        let remaining = remaining(policy, &row, now);
        WorkItem { remaining, ..WorkItem::from(row) }
    }
}

/// Without the open time left (the timeline, the Klantinteracties view, a change's answer):
/// no policy needs reading.
impl From<WorkItemRow> for WorkItem {
    fn from(row: WorkItemRow) -> WorkItem {
        let state = match (WorkStatus::of(&row.status), AssigneeKind::parse(&row.assignee_kind)) {
            (WorkStatus::Verwerkt, _) => WorkState::Afgerond,
            (_, Some(AssigneeKind::Medewerker)) => WorkState::InBehandeling,
            _ => WorkState::Nieuw,
        };
        WorkItem {
            id: row.id,
            kind: WorkKind::of(&row.kind).unwrap_or(WorkKind::Opvolging),
            reference: None,
            subject: row.action.clone(),
            from: None,
            state,
            channel: row.channel,
            contact_id: row.contact_id,
            party_id: row.party_id,
            action: row.action,
            explanation: row.explanation,
            assignee: Assignee {
                kind: AssigneeKind::parse(&row.assignee_kind).unwrap_or(AssigneeKind::Geautomatiseerd),
                id: row.assignee_id,
                name: row.assignee_name,
            },
            unit_id: row.unit_id,
            status: WorkStatus::of(&row.status),
            due_at: row.due_at,
            remaining: None,
            created_at: row.created_at,
            created_by: row.created_by,
            done_at: row.done_at,
            done_by: row.done_by,
            result: row.result,
            history: Vec::new(),
        }
    }
}

/// The open time left of an open item with a due time, on its kind's clock (see the rules).
pub fn remaining(policy: &SlaPolicy, row: &WorkItemRow, now: DateTime<Utc>) -> Option<Remaining> {
    let due = row.due_at?;
    if WorkStatus::of(&row.status) != WorkStatus::TeVerwerken {
        return None;
    }
    let kind = WorkKind::of(&row.kind)?;
    let hours = match kind.clock_channel() {
        Some(channel) => policy.hours_for(channel, row.unit_id),
        None => policy.office_hours(row.unit_id),
    };
    Some(policy.remaining(kind.sla_target(), hours, due, now))
}

/// Which queue to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queue {
    /// A team's queue.
    Team(Uuid),
    /// What the caller holds.
    Mine,
    /// Every team's (team leads).
    All,
}

impl Queue {
    /// The store's scope for the caller, or why they may not see it.
    pub(crate) fn scope(self, caller: &Caller) -> Result<Scope, WorkError> {
        match self {
            Queue::Team(unit) if caller.unit_id == Some(unit) || caller.may(Ability::DistributeWork) => {
                Ok(Scope::Team(unit))
            }
            Queue::Team(_) => Err(WorkError::Forbidden(
                "U ziet de wachtrij van uw eigen team; een teamleider ziet die van alle teams.".into(),
            )),
            Queue::Mine => Ok(Scope::Assignee(caller.user_id)),
            Queue::All if caller.may(Ability::DistributeWork) => Ok(Scope::All),
            Queue::All => Err(WorkError::Forbidden("Alleen een teamleider ziet de wachtrijen van alle teams.".into())),
        }
    }
}

/// Whether the caller holds it.
pub(crate) fn held_by(row: &WorkItemRow, caller: &Caller) -> bool {
    row.assignee_kind == AssigneeKind::Medewerker.id() && row.assignee_id == Some(caller.user_id)
}

/// Whether the caller may take or work on it: it is theirs, in their own team's queue, or they
/// distribute work (team leads).
pub(crate) fn may_work_on(row: &WorkItemRow, caller: &Caller) -> bool {
    held_by(row, caller)
        || caller.may(Ability::DistributeWork)
        || (row.unit_id.is_some() && row.unit_id == caller.unit_id)
}

fn kind_of(row: &WorkItemRow) -> WorkKind {
    WorkKind::of(&row.kind).unwrap_or(WorkKind::Opvolging)
}

/// The refusal for an item in a queue the caller may not work.
pub(crate) fn other_team(kind: WorkKind) -> WorkError {
    WorkError::Forbidden(format!(
        "{} staat in de wachtrij van een ander team; een teamleider kan het overdragen.",
        capitalised(kind.this())
    ))
}

/// The refusal for an item a colleague holds.
pub(crate) fn held_by_colleague(kind: WorkKind) -> WorkError {
    WorkError::Forbidden(format!("Een collega heeft {} al opgepakt.", kind.this()))
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Adds a line to an item's history.
pub(crate) async fn record(
    ex: &mut impl Executor,
    id: Uuid,
    action: EventAction,
    caller: &Caller,
    note: &str,
) -> Result<(), StoreError> {
    let row = EventRow {
        work_item_id: id,
        at: clock::now(),
        action: action.code().to_owned(),
        actor_name: caller.actor().name,
        actor_id: Some(caller.user_id),
        note: note.to_owned(),
    };
    store::work::insert_event(ex, &row).await
}

/// The open items of a queue, of one kind or every kind, from one channel or every channel, the
/// first due first (logged as a read).
pub async fn list(
    store: &Store,
    caller: &Caller,
    queue: Queue,
    kind: Option<WorkKind>,
    channel: Option<Channel>,
) -> Result<Vec<WorkItem>, WorkError> {
    let scope = queue.scope(caller)?;
    let policy = sla::load(&mut store.acquire().await?).await?;
    let mut tx = store.begin().await?;
    let rows =
        store::work::open(&mut tx, scope, kind.map(WorkKind::code), channel.map(Channel::code), LIST_LIMIT).await?;
    let detail = serde_json::json!({
        "work_items": rows.len(), "kind": kind.map(WorkKind::code), "channel": channel.map(Channel::code),
    });
    audit::record(
        &mut tx,
        &caller.actor(),
        AuditEvent::new(AuditAction::WorkItemsListed, "work_item", None)
            .purpose(Purpose::CustomerContact)
            .detail(detail),
    )
    .await?;
    let threads = threads_of(&mut tx, &rows).await?;
    tx.commit().await?;
    let now = clock::now();
    Ok(rows.into_iter().map(|r| with_thread(WorkItem::from_row(r, &policy, now), &threads)).collect())
}

/// The e-mail threads of these rows, by work item.
async fn threads_of(
    ex: &mut impl Executor,
    rows: &[WorkItemRow],
) -> Result<std::collections::HashMap<Uuid, store::email::ThreadRow>, StoreError> {
    let ids: Vec<Uuid> = rows.iter().filter(|r| r.kind == WorkKind::Email.code()).map(|r| r.id).collect();
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(store::email::threads(ex, &ids).await?.into_iter().map(|t| (t.work_item_id, t)).collect())
}

/// An e-mail item with its thread's reference, subject and sender.
fn with_thread(mut item: WorkItem, threads: &std::collections::HashMap<Uuid, store::email::ThreadRow>) -> WorkItem {
    if let Some(t) = threads.get(&item.id) {
        item.reference = Some(t.reference.clone());
        item.subject = t.subject.clone();
        item.from = Some(t.citizen_address.clone());
    }
    item
}

/// One item with its history (logged as a read), for those who may work on it.
pub async fn get(store: &Store, caller: &Caller, id: Uuid) -> Result<WorkItem, WorkError> {
    let policy = sla::load(&mut store.acquire().await?).await?;
    let mut tx = store.begin().await?;
    let row = store::work::find(&mut tx, id).await?.ok_or(WorkError::NotFound)?;
    if !may_work_on(&row, caller) {
        return Err(other_team(kind_of(&row)));
    }
    let history = store::work::events_of(&mut tx, &[id]).await?;
    audit::record(
        &mut tx,
        &caller.actor(),
        AuditEvent::new(AuditAction::WorkItemRead, kind_of(&row).audit_object(), id.to_string())
            .purpose(Purpose::CustomerContact),
    )
    .await?;
    let threads = threads_of(&mut tx, std::slice::from_ref(&row)).await?;
    tx.commit().await?;
    let mut item = with_thread(WorkItem::from_row(row, &policy, clock::now()), &threads);
    item.history = history.into_iter().map(WorkEvent::from).collect();
    Ok(item)
}

/// Whether the item is addressed to the caller, their team or an automated actor (whoever may
/// register contacts may then finish a follow-up: see `tasks::complete`).
pub(crate) fn mine_to_finish(row: &WorkItemRow, caller: &Caller) -> bool {
    match AssigneeKind::parse(&row.assignee_kind) {
        Some(AssigneeKind::Medewerker) => row.assignee_id == Some(caller.user_id),
        Some(AssigneeKind::Eenheid) => row.assignee_id.is_some() && row.assignee_id == caller.unit_id,
        _ => true,
    }
}

/// The history of these items, by item, oldest first.
pub(crate) async fn histories(
    ex: &mut impl Executor,
    ids: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, Vec<WorkEvent>>, StoreError> {
    let mut by_item: std::collections::HashMap<Uuid, Vec<WorkEvent>> = std::collections::HashMap::new();
    for event in store::work::events_of(ex, ids).await? {
        by_item.entry(event.work_item_id).or_default().push(event.into());
    }
    Ok(by_item)
}

/// (kind, id, name) of an assignee that exists, or the rule it breaks.
pub(crate) async fn resolve_assignee(
    ex: &mut impl Executor,
    input: &AssigneeInput,
) -> Result<Result<(AssigneeKind, Option<Uuid>, String), FieldError>, StoreError> {
    let Some(kind) = AssigneeKind::parse(&input.kind) else {
        return Ok(Err(FieldError::new(
            "assignee.kind",
            "unknown_assignee_kind",
            "Kies medewerker, eenheid of geautomatiseerd.",
        )));
    };
    let missing = || FieldError::new("assignee.id", "unknown_assignee", "Deze medewerker of afdeling bestaat niet.");
    Ok(match kind {
        AssigneeKind::Medewerker => match input.id {
            Some(id) => match store::users::active_with_roles(ex, id).await?.first() {
                Some(user) => Ok((kind, Some(id), user.display_name.clone())),
                None => Err(missing()),
            },
            None => Err(missing()),
        },
        AssigneeKind::Eenheid => match input.id {
            Some(id) => match store::units::find(ex, id).await? {
                Some(unit) => Ok((kind, Some(id), unit.name)),
                None => Err(missing()),
            },
            None => Err(missing()),
        },
        AssigneeKind::Geautomatiseerd if input.id.is_some() => {
            let id = input.id;
            match store::klantinteracties::find_automated_actor(ex, id.unwrap_or_default()).await? {
                Some(actor) => Ok((kind, id, actor.name)),
                None => {
                    Err(FieldError::new("assignee.id", "unknown_assignee", "Deze geautomatiseerde actor bestaat niet."))
                }
            }
        }
        AssigneeKind::Geautomatiseerd => validation::text(input.name.as_deref().unwrap_or(""), 1, 100)
            .map(|n| (kind, None, n))
            .map_err(|e| e.for_field("assignee.name")),
    })
}

/// The team whose queue holds an item addressed to this assignee: the team itself, or the
/// colleague's team.
pub(crate) async fn queue_of(
    ex: &mut impl Executor,
    kind: AssigneeKind,
    id: Option<Uuid>,
) -> Result<Option<Uuid>, StoreError> {
    Ok(match (kind, id) {
        (AssigneeKind::Eenheid, Some(unit)) => Some(unit),
        (AssigneeKind::Medewerker, Some(user)) => store::users::find_by_id(ex, user).await?.and_then(|u| u.unit_id),
        _ => None,
    })
}

/// Takes an item from the caller's team's queue (or one already held).
pub async fn claim(store: &Store, caller: &Caller, id: Uuid) -> Result<WorkItemRow, WorkError> {
    change_assignee(store, caller, id, EventAction::Opgepakt, |row, caller| {
        if row.assignee_kind == AssigneeKind::Medewerker.id() && !held_by(row, caller) {
            return Err(held_by_colleague(kind_of(row)));
        }
        if !may_work_on(row, caller) {
            return Err(other_team(kind_of(row)));
        }
        Ok(NewAssignee::To(AssigneeKind::Medewerker, caller.user_id, caller.display_name.clone(), None))
    })
    .await
}

/// Puts an item the caller holds back in its team's queue.
pub async fn return_to_team(store: &Store, caller: &Caller, id: Uuid) -> Result<WorkItemRow, WorkError> {
    change_assignee(store, caller, id, EventAction::Teruggezet, |row, caller| {
        if !held_by(row, caller) && !caller.may(Ability::DistributeWork) {
            return Err(WorkError::Forbidden(format!("Alleen wie {} heeft, zet het terug.", kind_of(row).this())));
        }
        Ok(NewAssignee::OwnTeam)
    })
    .await
}

/// Gives an item to a colleague or a team: the holder may hand over their own, a team lead any.
pub async fn reassign(store: &Store, caller: &Caller, id: Uuid, input: &AssignInput) -> Result<WorkItemRow, WorkError> {
    let mut conn = store.acquire().await?;
    let target = match AssigneeKind::parse(&input.assignee.kind) {
        Some(AssigneeKind::Geautomatiseerd) | None => Err(FieldError::new(
            "assignee.kind",
            "unknown_assignee_kind",
            "Werk uit de wachtrij gaat naar een team of een medewerker.",
        )),
        Some(_) => resolve_assignee(&mut conn, &input.assignee).await?,
    }
    .map_err(|e| WorkError::Invalid(vec![e]))?;
    let (kind, Some(assignee_id), name) = target else {
        unreachable!("a team or colleague always has an id");
    };
    let unit = queue_of(&mut conn, kind, Some(assignee_id)).await?;
    drop(conn);
    change_assignee(store, caller, id, EventAction::Overgedragen, |row, caller| {
        if !held_by(row, caller) && !caller.may(Ability::DistributeWork) {
            return Err(WorkError::Forbidden(format!(
                "U kunt alleen werk overdragen dat u zelf heeft; een teamleider verdeelt {} en de rest.",
                kind_of(row).this()
            )));
        }
        Ok(NewAssignee::To(kind, assignee_id, name.clone(), unit))
    })
    .await
}

/// Who gets an item: someone named (kind, id, name, and the team whose queue then holds it,
/// when that changes), or the team whose queue it is in, looked up under the row's lock.
enum NewAssignee {
    To(AssigneeKind, Uuid, String, Option<Uuid>),
    OwnTeam,
}

/// Checks the rule on the current row and writes the new assignee and the history line, in one
/// transaction; answers the row as it is then.
async fn change_assignee(
    store: &Store,
    caller: &Caller,
    id: Uuid,
    action: EventAction,
    rule: impl FnOnce(&WorkItemRow, &Caller) -> Result<NewAssignee, WorkError>,
) -> Result<WorkItemRow, WorkError> {
    let mut tx = store.begin().await?;
    let row = store::work::find_for_update(&mut tx, id).await?.ok_or(WorkError::NotFound)?;
    if WorkStatus::of(&row.status) != WorkStatus::TeVerwerken {
        return Err(WorkError::Closed);
    }
    // A system finishes what is addressed to it; taking it away would leave it waiting unseen.
    if row.assignee_kind == AssigneeKind::Geautomatiseerd.id() {
        return Err(WorkError::Forbidden(format!(
            "{} is voor een geautomatiseerde actor en staat in geen wachtrij.",
            capitalised(kind_of(&row).this())
        )));
    }
    let (kind, assignee, name, unit) = match rule(&row, caller)? {
        NewAssignee::To(kind, assignee, name, unit) => (kind, assignee, name, unit),
        NewAssignee::OwnTeam => {
            let unit = match row.unit_id {
                Some(unit) => store::units::find(&mut tx, unit).await?,
                None => None,
            };
            let Some(unit) = unit else {
                return Err(WorkError::Invalid(vec![FieldError::new(
                    "unit_id",
                    "no_team",
                    format!("{} hoort bij geen team; geef het aan een collega.", capitalised(kind_of(&row).this())),
                )]));
            };
            (AssigneeKind::Eenheid, unit.id, unit.name, None)
        }
    };
    if !store::work::assign(&mut tx, id, kind.id(), assignee, &name, unit).await? {
        return Err(WorkError::Closed);
    }
    record(&mut tx, id, action, caller, &name).await?;
    let detail = serde_json::json!({ "assignee_kind": kind.id(), "assignee_id": assignee });
    let work_kind = kind_of(&row);
    audit::record(
        &mut tx,
        &caller.actor(),
        AuditEvent::new(work_kind.assigned_action(), work_kind.audit_object(), id.to_string()).detail(detail),
    )
    .await?;
    let row = store::work::find(&mut tx, id).await?.ok_or(WorkError::NotFound)?;
    tx.commit().await?;
    Ok(row)
}
