//! Callback requests (terugbelverzoeken) and the SLA policy. The rules live in
//! `work::callbacks` and `sla`; these handlers parse and answer.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::Caller;
use crate::http::AppState;
use crate::http::api::work::{QueueParams, parse_queue};
use crate::http::problem::{ApiJson, ApiPath, ApiQuery, Problem};
use crate::reports::callbacks::{self as figures, Figures};
use crate::reports::service_level::ServiceLevelQuery;
use crate::sla::{self, SlaPolicy};
use crate::validation::FieldError;
use crate::work::AssignInput;
use crate::work::callbacks::{self, AttemptInput, Callback, CallbackInput};

/// Register a callback request; its due time follows from the SLA policy.
#[utoipa::path(post, path = "/api/v1/callbacks", tag = "callbacks", request_body = CallbackInput,
    responses((status = 201, body = Callback), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<CallbackInput>,
) -> Result<impl IntoResponse, Problem> {
    Ok((StatusCode::CREATED, Json(callbacks::create(&state.store, &caller, &input).await?)))
}

/// Open callbacks of a queue, the first due first, with the open time left on each.
#[utoipa::path(get, path = "/api/v1/callbacks", tag = "callbacks", params(QueueParams),
    responses((status = 200, body = [Callback]), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(params): ApiQuery<QueueParams>,
) -> Result<Json<Vec<Callback>>, Problem> {
    let queue = parse_queue(&caller, params.queue.as_deref()).map_err(|e| Problem::invalid(vec![e]))?;
    Ok(Json(callbacks::list(&state.store, &caller, queue).await?))
}

/// One callback with its attempts.
#[utoipa::path(get, path = "/api/v1/callbacks/{id}", tag = "callbacks", params(("id" = Uuid, Path)),
    responses((status = 200, body = Callback), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<Callback>, Problem> {
    Ok(Json(callbacks::get(&state.store, &caller, id).await?))
}

/// Take a callback from its team's queue.
#[utoipa::path(post, path = "/api/v1/callbacks/{id}/claim", tag = "callbacks", params(("id" = Uuid, Path)),
    responses((status = 200, body = Callback), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn claim(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<Callback>, Problem> {
    Ok(Json(callbacks::claim(&state.store, &caller, id).await?))
}

/// Put a callback one holds back in its team's queue.
#[utoipa::path(post, path = "/api/v1/callbacks/{id}/return", tag = "callbacks", params(("id" = Uuid, Path)),
    responses((status = 200, body = Callback), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn return_to_team(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<Callback>, Problem> {
    Ok(Json(callbacks::return_to_team(&state.store, &caller, id).await?))
}

/// Give a callback to a colleague or a team (one's own; a team lead any).
#[utoipa::path(post, path = "/api/v1/callbacks/{id}/reassign", tag = "callbacks", params(("id" = Uuid, Path)),
    request_body = AssignInput,
    responses((status = 200, body = Callback), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn reassign(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<AssignInput>,
) -> Result<Json<Callback>, Problem> {
    Ok(Json(callbacks::reassign(&state.store, &caller, id, &input).await?))
}

/// Log a call attempt. Bereikt registers a phone contact with the party and closes the
/// callback; verkeerd nummer closes it; otherwise the next attempt waits the policy's spacing,
/// and the last allowed attempt closes it as niet bereikt.
#[utoipa::path(post, path = "/api/v1/callbacks/{id}/attempts", tag = "callbacks", params(("id" = Uuid, Path)),
    request_body = AttemptInput,
    responses((status = 201, body = Callback), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn attempt(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<AttemptInput>,
) -> Result<impl IntoResponse, Problem> {
    Ok((StatusCode::CREATED, Json(callbacks::attempt(&state.store, &caller, id, &input).await?)))
}

/// The SLA policy in force: opening hours, response-time targets, the callback policy.
#[utoipa::path(get, path = "/api/v1/sla-policy", tag = "callbacks", responses((status = 200, body = SlaPolicy)))]
pub async fn policy(State(state): State<AppState>, _caller: Caller) -> Result<Json<SlaPolicy>, Problem> {
    Ok(Json(sla::current(&state.store).await?))
}

/// Replace the SLA policy as a whole (beheerder); nothing changes when any part is invalid.
#[utoipa::path(put, path = "/api/v1/sla-policy", tag = "callbacks", request_body = SlaPolicy,
    responses((status = 200, body = SlaPolicy), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn save_policy(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<SlaPolicy>,
) -> Result<Json<SlaPolicy>, Problem> {
    Ok(Json(sla::save(&state.store, &caller.actor(), &input).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CallbackReport {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// The definition of "on time" (`/kpi#callback_on_time`).
    pub definition: &'static str,
    pub figures: Figures,
}

/// Callback figures over a period (`from`/`to` as in the service-level report; other
/// parameters are ignored): created, completed, reached, on time, attempts, open by age.
#[utoipa::path(get, path = "/api/v1/reports/callbacks", tag = "reports", params(ServiceLevelQuery),
    responses((status = 200, body = CallbackReport), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn report(
    State(state): State<AppState>,
    _caller: Caller,
    ApiQuery(query): ApiQuery<ServiceLevelQuery>,
) -> Result<Json<CallbackReport>, Problem> {
    let (request, _) = super::reports::parse_service_level(&state, &query).await?;
    let (from, to) = request.instants();
    let mut conn = state.store.acquire().await?;
    let figures = figures::figures(&mut conn, from, to, None).await?;
    Ok(Json(CallbackReport { from, to, definition: "/kpi#callback_on_time", figures }))
}

/// The callbacks behind a callback figure (drill-down): created, completed, reached, due or on
/// time in the period, a page at a time; `total` is the figure itself. Written to the audit log.
#[utoipa::path(get, path = "/api/v1/reports/callbacks/items", tag = "reports", params(figures::ItemsQuery),
    responses((status = 200, body = figures::CallbackItems), (status = 400, body = Problem),
        (status = 403, body = Problem)))]
pub async fn report_items(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<figures::ItemsQuery>,
) -> Result<Json<figures::CallbackItems>, Problem> {
    let request = item_request(&query).map_err(Problem::invalid)?;
    Ok(Json(figures::behind(&state.store, &caller.actor(), &request).await?))
}

/// Checks a callback drill-down query; the period defaults to this month.
pub fn item_request(query: &figures::ItemsQuery) -> Result<figures::ItemsRequest, Vec<FieldError>> {
    let (first, today) = super::reports::this_month();
    figures::ItemsRequest::parse(query, first, today)
}
