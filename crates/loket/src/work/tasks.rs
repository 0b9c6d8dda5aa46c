//! Follow-up tasks (opvolging, interne taken): a colleague, an afdeling or team, or an automated
//! actor is asked to do something for a customer — check a payment, send a form. A kind of work
//! item (see `work`).
//!
//! Rules:
//! - A task names what is asked (gevraagde handeling, required) and may explain why; it comes
//!   from a contact (and then from its channel), or stands alone for a party. Without a party it
//!   takes the contact's first customer.
//! - The assignee exists: an active colleague, a unit, or an automated actor named by text.
//! - Status is `te_verwerken` until someone finishes it with a result: then `verwerkt`, once;
//!   finishing it again is a conflict (the first result stands).
//! - Whoever may register contacts may finish a task of their own, of their unit, or of an
//!   automated actor; the worklist shows what is open for the caller and their unit, oldest due first,
//!   each with the open time left until its due time (on the team's office hours; flagged in the
//!   last open hour, and on the wall board once near or past it).
//! - Callback requests are another kind of work item (`work::callbacks`): they are finished by
//!   their attempts, not by `complete`.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{AssigneeInput, EventAction, WorkItem, WorkKind, resolve_assignee};
use crate::auth::audit::{self, AuditAction, AuditEvent, Purpose};
use crate::auth::{Ability, Caller};
use crate::clock;
use crate::contacts::optional_text;
use crate::sla;
use crate::store::work::{Scope, WorkItemRow};
use crate::store::{self, Executor, Store, StoreError};
use crate::validation::{self, Checks, FieldError};

#[derive(Debug, thiserror::Error)]
pub enum TaskError {
    #[error("invalid task")]
    Invalid(Vec<FieldError>),
    #[error("no such task")]
    NotFound,
    #[error("the task was already finished")]
    AlreadyDone,
    #[error("{0}")]
    Forbidden(&'static str),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<Vec<FieldError>> for TaskError {
    fn from(errors: Vec<FieldError>) -> Self {
        TaskError::Invalid(errors)
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskInput {
    #[serde(default)]
    pub contact_id: Option<Uuid>,
    #[serde(default)]
    pub party_id: Option<Uuid>,
    /// What is asked (gevraagde handeling).
    pub action: String,
    #[serde(default)]
    pub explanation: String,
    pub assignee: AssigneeInput,
    #[serde(default)]
    pub due_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteInput {
    /// What was done.
    #[serde(default)]
    pub result: String,
}

/// Creates a task, all or nothing.
pub async fn create(store: &Store, caller: &Caller, input: &TaskInput) -> Result<WorkItem, TaskError> {
    let now = clock::now();
    let mut checks = Checks::default();
    let action = checks.take("action", validation::text(&input.action, 1, 200));
    let explanation = checks.take("explanation", optional_text(&input.explanation, 2_000));
    if input.due_at.is_some_and(|d| d < now - chrono::Duration::minutes(1)) {
        checks.push(FieldError::new(
            "due_at",
            "in_the_past",
            "Een taak kan niet in het verleden moeten zijn afgerond.",
        ));
    }
    let mut tx = store.begin().await?;
    let assignee = match resolve_assignee(&mut tx, &input.assignee).await? {
        Ok(a) => Some(a),
        Err(e) => {
            checks.push(e);
            None
        }
    };
    let mut party_id = input.party_id;
    if let Some(party) = input.party_id
        && store::parties::find_party(&mut tx, party).await?.is_none()
    {
        checks.push(FieldError::new("party_id", "unknown_party", "Deze partij bestaat niet."));
    }
    let mut channel = None;
    if let Some(contact) = input.contact_id {
        match store::contacts::find_contact(&mut tx, contact).await? {
            None => checks.push(FieldError::new("contact_id", "unknown_contact", "Dit klantcontact bestaat niet.")),
            Some(found) => {
                channel = Some(found.channel);
                if party_id.is_none() {
                    party_id = store::contacts::participants_of(&mut tx, &[contact])
                        .await?
                        .into_iter()
                        .filter(|p| p.role == "klant")
                        .find_map(|p| p.party_id);
                }
            }
        }
    }
    checks.finish()?;
    let (Some(action), Some(explanation), Some((kind, assignee_id, assignee_name))) = (action, explanation, assignee)
    else {
        unreachable!("every missing value left an error behind");
    };
    let row = WorkItemRow {
        id: Uuid::now_v7(),
        kind: WorkKind::Opvolging.code().into(),
        channel,
        contact_id: input.contact_id,
        party_id,
        action,
        explanation,
        assignee_kind: kind.id().to_owned(),
        assignee_id,
        unit_id: super::queue_of(&mut tx, kind, assignee_id).await?,
        assignee_name,
        status: "te_verwerken".into(),
        due_at: input.due_at.map(clock::truncate),
        created_at: now,
        created_by: caller.display_name.clone(),
        done_at: None,
        done_by: None,
        result: String::new(),
    };
    store::work::insert(&mut tx, &row).await?;
    super::record(&mut tx, row.id, EventAction::Aangemaakt, caller, &row.assignee_name).await?;
    let detail = serde_json::json!({ "assignee_kind": row.assignee_kind, "assignee_id": row.assignee_id, "party_id": row.party_id });
    audit::record(
        &mut tx,
        &caller.actor(),
        AuditEvent::new(AuditAction::TaskCreated, "task", row.id.to_string()).detail(detail),
    )
    .await?;
    tx.commit().await?;
    Ok(row.into())
}

/// Finishes an open task with its result.
pub async fn complete(store: &Store, caller: &Caller, id: Uuid, input: &CompleteInput) -> Result<WorkItem, TaskError> {
    let result =
        validation::text(&input.result, 0, 2_000).map_err(|e| TaskError::Invalid(vec![e.for_field("result")]))?;
    let now = clock::now();
    let mut tx = store.begin().await?;
    let task = store::work::find_for_update(&mut tx, id).await?.ok_or(TaskError::NotFound)?;
    if task.kind != WorkKind::Opvolging.code() {
        return Err(TaskError::Forbidden("Een terugbelverzoek wordt afgerond met een belpoging (Terugbelverzoeken)."));
    }
    if !super::mine_to_finish(&task, caller) {
        return Err(TaskError::Forbidden("Deze taak staat op naam van iemand anders of van een ander team."));
    }
    if !store::work::complete(&mut tx, id, now, &caller.display_name, &result).await? {
        return Err(TaskError::AlreadyDone);
    }
    super::record(&mut tx, id, EventAction::Afgerond, caller, &result).await?;
    audit::record(&mut tx, &caller.actor(), AuditEvent::new(AuditAction::TaskCompleted, "task", id.to_string()))
        .await?;
    let task = store::work::find(&mut tx, id).await?.ok_or(TaskError::NotFound)?;
    tx.commit().await?;
    Ok(task.into())
}

/// A change to what a follow-up asks or explains (`None` leaves it as it is).
#[derive(Debug, Clone, Default)]
pub struct TaskEdit {
    pub action: Option<String>,
    pub explanation: Option<String>,
}

/// Whether `caller` may change or delete this follow-up: whoever may finish it, or a team lead.
fn may_change(task: &store::work::WorkItemRow, caller: &Caller) -> bool {
    super::mine_to_finish(task, caller) || caller.may(Ability::DistributeWork)
}

/// Checks, before any of it is done, whether `caller` may make a change of several steps to a
/// follow-up (another system's update): change its text, hand it on, finish it. Each step keeps
/// its own rule; this refuses the whole when one of them would be refused.
pub async fn may_update(
    store: &Store,
    caller: &Caller,
    id: Uuid,
    (edit, hand_on, finish): (bool, bool, bool),
) -> Result<(), TaskError> {
    let task = store::work::find(&mut store.acquire().await?, id).await?.ok_or(TaskError::NotFound)?;
    if !(edit || hand_on || finish) {
        return Ok(());
    }
    if task.kind != WorkKind::Opvolging.code() {
        return Err(TaskError::Forbidden("Een terugbelverzoek wordt gewerkt in Terugbelverzoeken."));
    }
    if task.status != "te_verwerken" {
        return Err(TaskError::AlreadyDone);
    }
    if edit && !may_change(&task, caller) {
        return Err(TaskError::Forbidden("Deze taak staat op naam van iemand anders of van een ander team."));
    }
    if hand_on && !super::held_by(&task, caller) && !caller.may(Ability::DistributeWork) {
        return Err(TaskError::Forbidden(
            "U kunt alleen een taak overdragen die u zelf heeft; een teamleider verdeelt de rest.",
        ));
    }
    if finish && !super::mine_to_finish(&task, caller) {
        return Err(TaskError::Forbidden("Deze taak staat op naam van iemand anders of van een ander team."));
    }
    Ok(())
}

/// Changes what an open follow-up asks or explains; the history says it was changed and what
/// it said before.
pub async fn edit(store: &Store, caller: &Caller, id: Uuid, edit: &TaskEdit) -> Result<WorkItem, TaskError> {
    let mut checks = Checks::default();
    let action = edit.action.as_deref().map(|a| checks.take("action", validation::text(a, 1, 200)));
    let explanation = edit.explanation.as_deref().map(|e| checks.take("explanation", optional_text(e, 2_000)));
    checks.finish()?;
    let mut tx = store.begin().await?;
    let task = store::work::find_for_update(&mut tx, id).await?.ok_or(TaskError::NotFound)?;
    if task.kind != WorkKind::Opvolging.code() {
        return Err(TaskError::Forbidden("Een terugbelverzoek wijzigt u in Terugbelverzoeken."));
    }
    if !may_change(&task, caller) {
        return Err(TaskError::Forbidden("Deze taak staat op naam van iemand anders of van een ander team."));
    }
    let action = action.flatten().unwrap_or_else(|| task.action.clone());
    let explanation = explanation.flatten().unwrap_or_else(|| task.explanation.clone());
    if (action.as_str(), explanation.as_str()) != (task.action.as_str(), task.explanation.as_str()) {
        if !store::work::set_text(&mut tx, id, &action, &explanation).await? {
            return Err(TaskError::AlreadyDone);
        }
        let was = format!("was: {}", task.action);
        super::record(&mut tx, id, EventAction::Gewijzigd, caller, &was).await?;
        let event = AuditEvent::new(AuditAction::TaskChanged, "task", id.to_string());
        audit::record(&mut tx, &caller.actor(), event).await?;
    }
    let task = store::work::find(&mut tx, id).await?.ok_or(TaskError::NotFound)?;
    tx.commit().await?;
    Ok(task.into())
}

/// Deletes a follow-up with its history (one made by mistake, e.g. twice by another system):
/// whoever may finish it, or a team lead. The audit log keeps what it asked.
pub async fn delete(store: &Store, caller: &Caller, id: Uuid) -> Result<(), TaskError> {
    let mut tx = store.begin().await?;
    let task = store::work::find_for_update(&mut tx, id).await?.ok_or(TaskError::NotFound)?;
    if task.kind != WorkKind::Opvolging.code() {
        return Err(TaskError::Forbidden("Een terugbelverzoek wordt afgerond, niet verwijderd."));
    }
    if !may_change(&task, caller) {
        return Err(TaskError::Forbidden("Deze taak staat op naam van iemand anders of van een ander team."));
    }
    store::work::delete(&mut tx, id).await?;
    let event = AuditEvent::new(AuditAction::TaskDeleted, "task", id.to_string())
        .detail(serde_json::json!({ "action": task.action, "status": task.status }));
    audit::record(&mut tx, &caller.actor(), event).await?;
    tx.commit().await?;
    Ok(())
}

/// Work items by id, of any kind, in the order given; the caller logs the read.
pub(crate) async fn many(ex: &mut impl Executor, ids: &[Uuid]) -> Result<Vec<WorkItem>, StoreError> {
    let mut items: Vec<WorkItem> = store::work::many(ex, ids).await?.into_iter().map(WorkItem::from).collect();
    items.sort_by_key(|t| ids.iter().position(|i| *i == t.id));
    Ok(items)
}

/// Open follow-ups for the caller and the caller's unit, oldest due first (callbacks have
/// queues of their own).
pub async fn worklist(store: &Store, caller: &Caller) -> Result<Vec<WorkItem>, TaskError> {
    // Read before the write transaction, which holds SQLite's writer while it lasts.
    let policy = sla::load(&mut store.acquire().await?).await?;
    let mut tx = store.begin().await?;
    // A team lead sees every follow-up of their team (all of them without a team); an agent
    // what is addressed to them or to their team.
    let scope = match (caller.may(Ability::DistributeWork), caller.unit_id) {
        (true, Some(unit)) => Scope::Team(unit),
        (true, None) => Scope::All,
        (false, unit) => Scope::AssigneeOrTeam(caller.user_id, unit),
    };
    let rows = store::work::open(&mut tx, scope, Some(WorkKind::Opvolging.code()), None, super::LIST_LIMIT).await?;
    audit::record(
        &mut tx,
        &caller.actor(),
        AuditEvent::new(AuditAction::TasksListed, "task", None)
            .purpose(Purpose::CustomerContact)
            .detail(serde_json::json!({ "tasks": rows.len() })),
    )
    .await?;
    tx.commit().await?;
    let now = clock::now();
    Ok(rows.into_iter().map(|r| WorkItem::from_row(r, &policy, now)).collect())
}

/// A party's work items of every kind, for the timeline (the caller logs the read).
pub(crate) async fn of_party(ex: &mut impl Executor, party_id: Uuid, limit: i64) -> Result<Vec<WorkItem>, StoreError> {
    Ok(store::work::of_party(ex, party_id, limit).await?.into_iter().map(WorkItem::from).collect())
}
