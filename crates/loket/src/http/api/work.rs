//! The work queue (werkvoorraad) of every kind: follow-ups and callbacks today, e-mail and chat
//! next. The rules live in `work`; these handlers parse and answer. Kinds with steps of their own
//! (a callback's attempts) keep their own paths beside these.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::auth::Caller;
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
    /// One kind only: `opvolging` or `terugbelverzoek`. Default: every kind.
    pub kind: Option<String>,
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
            .ok_or_else(|| FieldError::new("kind", "unknown_kind", "Kies opvolging of terugbelverzoek.")),
    }
}

/// Open work items of a queue, of every kind or one, the first due first, with the open time
/// left on each.
#[utoipa::path(get, path = "/api/v1/work-items", tag = "work", params(WorkQueueParams),
    responses((status = 200, body = [WorkItem]), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(params): ApiQuery<WorkQueueParams>,
) -> Result<Json<Vec<WorkItem>>, Problem> {
    let queue = parse_queue(&caller, params.queue.as_deref());
    let kind = parse_kind(params.kind.as_deref());
    let (queue, kind) = match (queue, kind) {
        (Ok(q), Ok(k)) => (q, k),
        (q, k) => return Err(Problem::invalid(q.err().into_iter().chain(k.err()).collect())),
    };
    Ok(Json(work::list(&state.store, &caller, queue, kind).await?))
}

/// One work item with its history (who did what, when).
#[utoipa::path(get, path = "/api/v1/work-items/{id}", tag = "work", params(("id" = Uuid, Path)),
    responses((status = 200, body = WorkItem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<WorkItem>, Problem> {
    Ok(Json(work::get(&state.store, &caller, id).await?))
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
