//! Internal tasks (interne taken): a colleague, an afdeling or team, or an automated actor is
//! asked to do something for a customer — call back, check a payment, send a form.
//!
//! Rules:
//! - A task names what is asked (gevraagde handeling, required) and may explain why; it comes
//!   from a contact, or stands alone for a party. Without a party it takes the contact's first
//!   customer.
//! - The assignee exists: an active colleague, a unit, or an automated actor named by text.
//! - Status is `te_verwerken` until someone finishes it with a result: then `verwerkt`, once;
//!   finishing it again is a conflict (the first result stands).
//! - Whoever may register contacts may finish a task of their own, of their unit, or of an
//!   automated actor; the worklist shows what is open for the caller and their unit, oldest due first,
//!   each with the open time left until its due time (on the team's office hours; flagged in the
//!   last open hour, and on the wall board once near or past it).
//! - Callback requests (terugbelverzoeken, `callbacks`) are tasks of kind `terugbelverzoek` with
//!   rules of their own: they are finished by their attempts, not by `complete`.

pub mod callbacks;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::Caller;
use crate::auth::audit::{self, AuditAction, AuditEvent, Purpose};
use crate::clock;
use crate::contacts::optional_text;
use crate::sla::{self, Remaining, SlaPolicy, policy::TASK};
use crate::store::tasks::TaskRow;
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    TeVerwerken,
    Verwerkt,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    /// A follow-up (opvolging): check a payment, send a form.
    Opvolging,
    /// A callback request (see `callbacks`).
    Terugbelverzoek,
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

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Assignee {
    pub kind: AssigneeKind,
    pub id: Option<Uuid>,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Task {
    pub id: Uuid,
    pub kind: TaskKind,
    pub contact_id: Option<Uuid>,
    pub party_id: Option<Uuid>,
    pub action: String,
    pub explanation: String,
    pub assignee: Assignee,
    pub status: TaskStatus,
    pub due_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub done_at: Option<DateTime<Utc>>,
    pub done_by: Option<String>,
    pub result: String,
    /// The open time left until the due time, on the team's office hours (worklist only; null
    /// without a due time or once done).
    pub remaining: Option<Remaining>,
}

impl Task {
    /// Sets the time left of an open task with a due time, at `now`.
    /// The clock runs on the assigned team's own hours, or the organisation's.
    pub fn with_remaining(mut self, policy: &SlaPolicy, now: DateTime<Utc>) -> Task {
        let team = (self.assignee.kind == AssigneeKind::Eenheid).then_some(self.assignee.id).flatten();
        self.remaining = match (self.status, self.due_at) {
            (TaskStatus::TeVerwerken, Some(due)) => Some(policy.remaining(TASK, policy.office_hours(team), due, now)),
            _ => None,
        };
        self
    }
}

impl From<TaskRow> for Task {
    fn from(t: TaskRow) -> Self {
        Task {
            id: t.id,
            kind: if t.kind == "terugbelverzoek" { TaskKind::Terugbelverzoek } else { TaskKind::Opvolging },
            contact_id: t.contact_id,
            party_id: t.party_id,
            action: t.action,
            explanation: t.explanation,
            assignee: Assignee {
                kind: AssigneeKind::parse(&t.assignee_kind).unwrap_or(AssigneeKind::Geautomatiseerd),
                id: t.assignee_id,
                name: t.assignee_name,
            },
            status: if t.status == "verwerkt" { TaskStatus::Verwerkt } else { TaskStatus::TeVerwerken },
            due_at: t.due_at,
            created_at: t.created_at,
            created_by: t.created_by,
            done_at: t.done_at,
            done_by: t.done_by,
            result: t.result,
            remaining: None,
        }
    }
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

/// Creates a task, all or nothing.
pub async fn create(store: &Store, caller: &Caller, input: &TaskInput) -> Result<Task, TaskError> {
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
    checks.finish()?;
    let (Some(action), Some(explanation), Some((kind, assignee_id, assignee_name))) = (action, explanation, assignee)
    else {
        unreachable!("every missing value left an error behind");
    };
    let row = TaskRow {
        id: Uuid::now_v7(),
        kind: "opvolging".into(),
        contact_id: input.contact_id,
        party_id,
        action,
        explanation,
        assignee_kind: kind.id().to_owned(),
        assignee_id,
        assignee_name,
        status: "te_verwerken".into(),
        due_at: input.due_at.map(clock::truncate),
        created_at: now,
        created_by: caller.display_name.clone(),
        done_at: None,
        done_by: None,
        result: String::new(),
    };
    store::tasks::insert(&mut tx, &row).await?;
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
pub async fn complete(store: &Store, caller: &Caller, id: Uuid, input: &CompleteInput) -> Result<Task, TaskError> {
    let result =
        validation::text(&input.result, 0, 2_000).map_err(|e| TaskError::Invalid(vec![e.for_field("result")]))?;
    let now = clock::now();
    let mut tx = store.begin().await?;
    let task = store::tasks::find(&mut tx, id).await?.ok_or(TaskError::NotFound)?;
    if task.kind == "terugbelverzoek" {
        return Err(TaskError::Forbidden("Een terugbelverzoek wordt afgerond met een belpoging (Terugbelverzoeken)."));
    }
    let mine = match task.assignee_kind.as_str() {
        "medewerker" => task.assignee_id == Some(caller.user_id),
        "eenheid" => task.assignee_id.is_some() && task.assignee_id == caller.unit_id,
        _ => true,
    };
    if !mine {
        return Err(TaskError::Forbidden("Deze taak staat op naam van iemand anders of van een ander team."));
    }
    if !store::tasks::complete(&mut tx, id, now, &caller.display_name, &result).await? {
        return Err(TaskError::AlreadyDone);
    }
    audit::record(&mut tx, &caller.actor(), AuditEvent::new(AuditAction::TaskCompleted, "task", id.to_string()))
        .await?;
    let task = store::tasks::find(&mut tx, id).await?.ok_or(TaskError::NotFound)?;
    tx.commit().await?;
    Ok(task.into())
}

/// Tasks by id, in the order given; the caller logs the read.
pub(crate) async fn many(ex: &mut impl Executor, ids: &[Uuid]) -> Result<Vec<Task>, StoreError> {
    let mut tasks: Vec<Task> = store::klantinteracties::tasks(ex, ids).await?.into_iter().map(Task::from).collect();
    tasks.sort_by_key(|t| ids.iter().position(|i| *i == t.id));
    Ok(tasks)
}

/// Open tasks for the caller and the caller's unit, oldest due first.
pub async fn worklist(store: &Store, caller: &Caller) -> Result<Vec<Task>, TaskError> {
    let mut assignees = vec![caller.user_id];
    assignees.extend(caller.unit_id);
    // Read before the write transaction, which holds SQLite's writer while it lasts.
    let policy = sla::load(&mut store.acquire().await?).await?;
    let mut tx = store.begin().await?;
    let rows = store::tasks::open_for(&mut tx, &assignees, 500).await?;
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
    Ok(rows.into_iter().map(|r| Task::from(r).with_remaining(&policy, now)).collect())
}

/// A party's tasks for the timeline (the caller logs the read).
pub(crate) async fn of_party(ex: &mut impl Executor, party_id: Uuid, limit: i64) -> Result<Vec<Task>, StoreError> {
    Ok(store::tasks::of_party(ex, party_id, limit).await?.into_iter().map(Task::from).collect())
}
