//! Feedback on articles and the "dit beantwoordde de vraag" signal.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::Caller;
use crate::http::AppState;
use crate::http::problem::{ApiJson, ApiPath, ApiQuery, Problem};
use crate::knowledge::feedback::{self, Feedback, FeedbackHandling, FeedbackInput, FeedbackStatus, Signal};

/// Flag an article (klopt_niet, informatie_ontbreekt, verouderd, onduidelijk).
#[utoipa::path(post, path = "/api/v1/articles/{id}/feedback", tag = "knowledge", params(("id" = Uuid, Path)), request_body = FeedbackInput,
    responses((status = 201, body = Feedback), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<FeedbackInput>,
) -> Result<(StatusCode, Json<Feedback>), Problem> {
    Ok((StatusCode::CREATED, Json(feedback::submit(&state.store, &caller, id, &input).await?)))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct AnsweredInput {
    #[serde(default)]
    pub search_query: Option<String>,
}

/// Record that this article answered the question (per view; the search ranking learns from it).
#[utoipa::path(post, path = "/api/v1/articles/{id}/answered", tag = "knowledge", params(("id" = Uuid, Path)), request_body = AnsweredInput,
    responses((status = 204), (status = 404, body = Problem)))]
pub async fn answered(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<AnsweredInput>,
) -> Result<StatusCode, Problem> {
    feedback::record_signal(&state.store, &caller, id, Signal::Answered, input.search_query.as_deref()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WorklistQuery {
    status: Option<FeedbackStatus>,
}

/// The feedback worklist: the caller's articles (kennisexpert) or all (redacteur, tweede lijn); oldest first.
#[utoipa::path(get, path = "/api/v1/feedback", tag = "knowledge", params(WorklistQuery),
    responses((status = 200, body = [Feedback]), (status = 403, body = Problem)))]
pub async fn worklist(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<WorklistQuery>,
) -> Result<Json<Vec<Feedback>>, Problem> {
    // Without a status: every status, as this API always answered.
    let filter = q.status.map_or(feedback::WorklistFilter::All, feedback::WorklistFilter::One);
    Ok(Json(feedback::worklist(&state.store, &caller, filter).await?))
}

/// What the caller flagged, with status and reply.
#[utoipa::path(get, path = "/api/v1/feedback/mine", tag = "knowledge", responses((status = 200, body = [Feedback])))]
pub async fn mine(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<Feedback>>, Problem> {
    Ok(Json(feedback::mine(&state.store, &caller).await?))
}

/// Set the status and reply (and the version that took it into account).
#[utoipa::path(patch, path = "/api/v1/feedback/{id}", tag = "knowledge", params(("id" = Uuid, Path)), request_body = FeedbackHandling,
    responses((status = 200, body = Feedback), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn handle(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<FeedbackHandling>,
) -> Result<Json<Feedback>, Problem> {
    Ok(Json(feedback::handle(&state.store, &caller, id, &input).await?))
}
