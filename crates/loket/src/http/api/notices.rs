//! Werkberichten (notices) and their read receipts.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::Caller;
use crate::http::AppState;
use crate::http::problem::{ApiJson, ApiPath, Problem};
use crate::knowledge::notices::{self, Notice, NoticeInput, Receipt};

/// Current notices for the caller, belangrijk first, with when the caller read each.
#[utoipa::path(get, path = "/api/v1/notices", tag = "knowledge", responses((status = 200, body = [Notice])))]
pub async fn current(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<Notice>>, Problem> {
    Ok(Json(notices::current(&state.store, &caller).await?))
}

/// Publish a notice (redacteur, teamleider).
#[utoipa::path(post, path = "/api/v1/notices", tag = "knowledge", request_body = NoticeInput,
    responses((status = 201, body = Notice), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<NoticeInput>,
) -> Result<(StatusCode, Json<Notice>), Problem> {
    Ok((StatusCode::CREATED, Json(notices::create(&state.store, &caller, &input).await?)))
}

/// Record that the caller has read the notice.
#[utoipa::path(post, path = "/api/v1/notices/{id}/read", tag = "knowledge", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
pub async fn read(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<StatusCode, Problem> {
    notices::mark_read(&state.store, &caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// End a notice now.
#[utoipa::path(post, path = "/api/v1/notices/{id}/end", tag = "knowledge", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
pub async fn end(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<StatusCode, Problem> {
    notices::end(&state.store, &caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct Receipts {
    pub notice: Notice,
    /// Everyone the notice is for; unread first.
    pub readers: Vec<Receipt>,
}

/// Who has read a notice, and who has not yet.
#[utoipa::path(get, path = "/api/v1/notices/{id}/receipts", tag = "knowledge", params(("id" = Uuid, Path)),
    responses((status = 200, body = Receipts), (status = 404, body = Problem)))]
pub async fn receipts(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<Receipts>, Problem> {
    let (notice, readers) = notices::receipts(&state.store, &caller, id).await?;
    Ok(Json(Receipts { notice, readers }))
}
