//! Beslisbomen (decision trees).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::Caller;
use crate::content::{DiffLine, VersionInfo};
use crate::http::AppState;
use crate::http::api::articles::{DiffQuery, RestoreInput, TransitionInput};
use crate::http::problem::{ApiJson, ApiPath, ApiQuery, Problem};
use crate::knowledge::trees::{self, Tree, TreeInput, TreeSummary};

/// Published decision trees.
#[utoipa::path(get, path = "/api/v1/decision-trees", tag = "knowledge", responses((status = 200, body = [TreeSummary])))]
pub async fn list(State(state): State<AppState>, _caller: Caller) -> Result<Json<Vec<TreeSummary>>, Problem> {
    Ok(Json(trees::list(&state.store, true).await?))
}

/// Every decision tree by its latest version, for editors.
#[utoipa::path(get, path = "/api/v1/editor/decision-trees", tag = "knowledge", responses((status = 200, body = [TreeSummary])))]
pub async fn editor_list(State(state): State<AppState>, _caller: Caller) -> Result<Json<Vec<TreeSummary>>, Problem> {
    Ok(Json(trees::list(&state.store, false).await?))
}

/// Create a decision tree (version 1, concept). Rejected when it has cycles, dead ends or unreachable nodes.
#[utoipa::path(post, path = "/api/v1/decision-trees", tag = "knowledge", request_body = TreeInput,
    responses((status = 201, body = Tree), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<TreeInput>,
) -> Result<(StatusCode, Json<Tree>), Problem> {
    Ok((StatusCode::CREATED, Json(trees::create(&state.store, &caller, &input).await?)))
}

/// The published version, as agents walk it.
#[utoipa::path(get, path = "/api/v1/decision-trees/{id}", tag = "knowledge", params(("id" = Uuid, Path)),
    responses((status = 200, body = Tree), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<Tree>, Problem> {
    Ok(Json(trees::for_agent(&state.store, &caller, id).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TreeChange {
    pub base_version: i32,
    #[serde(default)]
    pub reason: String,
    pub tree: TreeInput,
}

/// Save a change as a new version.
#[utoipa::path(put, path = "/api/v1/decision-trees/{id}", tag = "knowledge", params(("id" = Uuid, Path)), request_body = TreeChange,
    responses((status = 200, body = Tree), (status = 400, body = Problem), (status = 409, body = Problem)))]
pub async fn save(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(change): ApiJson<TreeChange>,
) -> Result<Json<Tree>, Problem> {
    Ok(Json(trees::save(&state.store, &caller, id, change.base_version, &change.tree, &change.reason).await?))
}

/// A step of the content cycle, as for articles.
#[utoipa::path(post, path = "/api/v1/decision-trees/{id}/transitions", tag = "knowledge", params(("id" = Uuid, Path)), request_body = TransitionInput,
    responses((status = 200, body = Tree), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn transition(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(t): ApiJson<TransitionInput>,
) -> Result<Json<Tree>, Problem> {
    Ok(Json(trees::transition(&state.store, &caller, id, t.transition, t.version).await?))
}

/// Every version, newest first (without the content).
#[utoipa::path(get, path = "/api/v1/decision-trees/{id}/versions", tag = "knowledge", params(("id" = Uuid, Path)),
    responses((status = 200, body = [VersionInfo]), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn versions(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<Vec<VersionInfo>>, Problem> {
    Ok(Json(trees::history(&state.store, &caller, id).await?))
}

/// Line-by-line differences between two versions (title, description, one line per question, answer and outcome).
#[utoipa::path(get, path = "/api/v1/decision-trees/{id}/diff", tag = "knowledge", params(("id" = Uuid, Path), DiffQuery),
    responses((status = 200, body = [DiffLine]), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn diff(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(q): ApiQuery<DiffQuery>,
) -> Result<Json<Vec<DiffLine>>, Problem> {
    Ok(Json(trees::diff(&state.store, &caller, id, q.from, q.to).await?))
}

/// Make an old version the new draft.
#[utoipa::path(post, path = "/api/v1/decision-trees/{id}/restore", tag = "knowledge", params(("id" = Uuid, Path)), request_body = RestoreInput,
    responses((status = 200, body = Tree), (status = 400, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn restore(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(r): ApiJson<RestoreInput>,
) -> Result<Json<Tree>, Problem> {
    Ok(Json(trees::restore(&state.store, &caller, id, r.version, r.base_version).await?))
}
