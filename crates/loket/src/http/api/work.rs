//! The work queue (werkvoorraad) of every kind: follow-ups and callbacks today, e-mail and chat
//! next. The rules live in `work`; these handlers parse and answer. Kinds with steps of their own
//! (a callback's attempts) keep their own paths beside these.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::Caller;
use crate::channels::Channel;
use crate::channels::email::{self, CloseInput, MailMessage, ReplyInput};
use crate::http::AppState;
use crate::http::problem::{ApiJson, ApiPath, ApiQuery, Problem};
use crate::validation::FieldError;
use crate::work::{self, AssignInput, Queue, WorkItem, WorkKind};

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueParams {
    /// `mine` (what the caller holds), `all` (team leads), or a team's unit id. Default: the
    /// caller's team, or `mine` without one.
    pub queue: Option<String>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WorkQueueParams {
    /// `mine` (what the caller holds), `all` (team leads), or a team's unit id. Default: the
    /// caller's team, or `mine` without one.
    pub queue: Option<String>,
    /// One kind only: `opvolging`, `terugbelverzoek` or `e-mail`. Default: every kind.
    pub kind: Option<String>,
    /// One channel only (a code of the channel list, e.g. `e-mail`, `telefoon`). Default: every channel.
    pub channel: Option<String>,
}

/// A queue's open work items.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkItemList {
    pub items: Vec<WorkItem>,
}

/// One work item; an e-mail thread comes with its messages, in and out, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkItemDetail {
    #[serde(flatten)]
    pub item: WorkItem,
    /// E-mail threads only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub messages: Option<Vec<MailMessage>>,
    /// E-mail threads only: the customer whose address this is, when exactly one has it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggested_party_id: Option<Uuid>,
    /// E-mail threads only: the thread this one was split from (another sender, or it was closed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub linked_to: Option<Uuid>,
}

/// Parses the `queue` parameter.
pub fn parse_queue(caller: &Caller, queue: Option<&str>) -> Result<Queue, FieldError> {
    match queue.map(str::trim).filter(|q| !q.is_empty()) {
        None => Ok(caller.unit_id.map_or(Queue::Mine, Queue::Team)),
        Some("mine") => Ok(Queue::Mine),
        Some("all") => Ok(Queue::All),
        Some(id) => id
            .parse()
            .map(Queue::Team)
            .map_err(|_| FieldError::new("queue", "unknown_queue", "Kies mine, all of het id van een team.")),
    }
}

/// Parses the `kind` parameter; none or empty: every kind.
pub fn parse_kind(kind: Option<&str>) -> Result<Option<WorkKind>, FieldError> {
    match kind.map(str::trim).filter(|k| !k.is_empty()) {
        None => Ok(None),
        Some(code) => WorkKind::of(code)
            .map(Some)
            .ok_or_else(|| FieldError::new("kind", "unknown_kind", "Kies opvolging, terugbelverzoek of e-mail.")),
    }
}

/// Parses the `channel` parameter; none or empty: every channel.
pub fn parse_channel(channel: Option<&str>) -> Result<Option<Channel>, FieldError> {
    match channel.map(str::trim).filter(|c| !c.is_empty()) {
        None => Ok(None),
        Some(code) => Channel::of(code).map(Some).ok_or_else(|| {
            FieldError::new("channel", "unknown_channel", "Dit kanaal kent Loket niet (zoals e-mail of telefoon).")
        }),
    }
}

/// Open work items of a queue, of every kind or one, from every channel or one, the first due
/// first, with the open time left on each.
#[utoipa::path(get, path = "/api/v1/work-items", tag = "work", params(WorkQueueParams),
    responses((status = 200, body = WorkItemList), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(params): ApiQuery<WorkQueueParams>,
) -> Result<Json<WorkItemList>, Problem> {
    let queue = parse_queue(&caller, params.queue.as_deref());
    let kind = parse_kind(params.kind.as_deref());
    let channel = parse_channel(params.channel.as_deref());
    let (queue, kind, channel) = match (queue, kind, channel) {
        (Ok(q), Ok(k), Ok(c)) => (q, k, c),
        (q, k, c) => return Err(Problem::invalid(q.err().into_iter().chain(k.err()).chain(c.err()).collect())),
    };
    Ok(Json(WorkItemList { items: work::list(&state.store, &caller, queue, kind, channel).await? }))
}

/// One work item with its history (who did what, when); an e-mail thread with its messages.
#[utoipa::path(get, path = "/api/v1/work-items/{id}", tag = "work", params(("id" = Uuid, Path)),
    responses((status = 200, body = WorkItemDetail), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<WorkItemDetail>, Problem> {
    let item = work::get(&state.store, &caller, id).await?;
    let thread = match item.kind {
        WorkKind::Email => Some(email::thread_of(&state.store, &caller, id).await?),
        _ => None,
    };
    Ok(Json(WorkItemDetail {
        suggested_party_id: thread.as_ref().and_then(|t| t.suggested_party_id),
        linked_to: thread.as_ref().and_then(|t| t.linked_to),
        messages: thread.map(|t| t.messages),
        item,
    }))
}

/// Answer the citizen of an e-mail thread: sent from the mailbox's address, with the thread's
/// reference in the subject, as a reply to their last mail.
#[utoipa::path(post, path = "/api/v1/work-items/{id}/reply", tag = "work", params(("id" = Uuid, Path)),
    request_body = ReplyInput,
    responses((status = 201, body = MailMessage), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn reply(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<ReplyInput>,
) -> Result<(StatusCode, Json<MailMessage>), Problem> {
    Ok((StatusCode::CREATED, Json(email::reply(&state.store, &caller, id, &input).await?)))
}

/// Take a work item from one's team's queue.
#[utoipa::path(post, path = "/api/v1/work-items/{id}/claim", tag = "work", params(("id" = Uuid, Path)),
    responses((status = 200, body = WorkItem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn claim(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<WorkItem>, Problem> {
    work::claim(&state.store, &caller, id).await?;
    Ok(Json(work::get(&state.store, &caller, id).await?))
}

/// Put a work item one holds back in its team's queue.
#[utoipa::path(post, path = "/api/v1/work-items/{id}/return", tag = "work", params(("id" = Uuid, Path)),
    responses((status = 200, body = WorkItem), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn return_to_team(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<WorkItem>, Problem> {
    let row = work::return_to_team(&state.store, &caller, id).await?;
    Ok(Json(item_after_handover(&state, &caller, row).await?))
}

/// Give a work item to a colleague or a team (one's own; a team lead any).
#[utoipa::path(post, path = "/api/v1/work-items/{id}/reassign", tag = "work", params(("id" = Uuid, Path)),
    request_body = AssignInput,
    responses((status = 200, body = WorkItem), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn reassign(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<AssignInput>,
) -> Result<Json<WorkItem>, Problem> {
    let row = work::reassign(&state.store, &caller, id, &input).await?;
    Ok(Json(item_after_handover(&state, &caller, row).await?))
}

/// After a handover or a return the caller may no longer see the item through `get` (it went
/// to a queue that is not theirs): they see what they just did, without its history.
async fn item_after_handover(
    state: &AppState,
    caller: &Caller,
    row: crate::store::work::WorkItemRow,
) -> Result<WorkItem, Problem> {
    match work::get(&state.store, caller, row.id).await {
        Ok(item) => Ok(item),
        Err(work::WorkError::Forbidden(_)) => {
            let policy = crate::sla::load(&mut state.store.acquire().await?).await?;
            Ok(WorkItem::from_row(row, &policy, crate::clock::now()))
        }
        Err(e) => Err(e.into()),
    }
}

/// Close an e-mail thread with its result (the holder, or a team lead); a later mail of the
/// citizen starts a new thread linked to it.
#[utoipa::path(post, path = "/api/v1/work-items/{id}/close", tag = "work", params(("id" = Uuid, Path)),
    request_body = CloseInput,
    responses((status = 200, body = WorkItemDetail), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn close(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<CloseInput>,
) -> Result<Json<WorkItemDetail>, Problem> {
    email::close(&state.store, &caller, id, &input).await?;
    get(State(state), caller, ApiPath(id)).await
}
