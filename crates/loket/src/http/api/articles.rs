//! Knowledge articles: what agents read, and the editors' drafts, cycle, history and diff.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::Caller;
use crate::content::DiffLine;
use crate::content::cycle::{State as CycleState, Transition};
use crate::http::AppState;
use crate::http::problem::{ApiJson, ApiPath, ApiQuery, Problem};
use crate::knowledge::KnowledgeError;
use crate::knowledge::articles::{self, Article, ArticleInput, ArticleSummary, ArticleVersion, Content, Ownership};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Part of the title.
    q: Option<String>,
    /// At most this many (1–500, default 50).
    limit: Option<i64>,
}

/// Published articles agents may use now (valid, not expired).
#[utoipa::path(get, path = "/api/v1/articles", tag = "knowledge", params(ListQuery),
    responses((status = 200, body = [ArticleSummary])))]
pub async fn list(
    State(state): State<AppState>,
    _caller: Caller,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Json<Vec<ArticleSummary>>, Problem> {
    Ok(Json(articles::list_published(&state.store, q.q.as_deref(), q.limit.unwrap_or(50)).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewArticle {
    pub article: ArticleInput,
    #[serde(default)]
    pub owner_id: Option<Uuid>,
    #[serde(default)]
    pub unit_id: Option<Uuid>,
    #[serde(default)]
    pub reason: String,
}

/// Write a new article (version 1, in concept).
#[utoipa::path(post, path = "/api/v1/articles", tag = "knowledge", request_body = NewArticle,
    responses((status = 201, body = Article), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<NewArticle>,
) -> Result<impl IntoResponse, Problem> {
    let content = Content::parse(&input.article).map_err(KnowledgeError::Invalid)?;
    let ownership = Ownership { owner_id: input.owner_id, unit_id: input.unit_id };
    let article = articles::create(&state.store, &caller, content, ownership, &input.reason).await?;
    Ok((StatusCode::CREATED, [(header::LOCATION, format!("/api/v1/articles/{}", article.id))], Json(article)))
}

/// The published version, as agents see it.
#[utoipa::path(get, path = "/api/v1/articles/{id}", tag = "knowledge", params(("id" = Uuid, Path)),
    responses((status = 200, body = Article), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<Article>, Problem> {
    Ok(Json(articles::for_agent(&state.store, &caller, id).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArticleChange {
    /// The version this change started from; a save over a newer version is refused (409).
    pub base_version: i32,
    /// A change of substance needs the owning kennisexpert's approval before publication.
    #[serde(default = "yes")]
    pub substantive: bool,
    #[serde(default)]
    pub reason: String,
    pub article: ArticleInput,
}

fn yes() -> bool {
    true
}

/// Save a change as a new version (in concept).
#[utoipa::path(put, path = "/api/v1/articles/{id}", tag = "knowledge", params(("id" = Uuid, Path)), request_body = ArticleChange,
    responses((status = 200, body = Article), (status = 400, body = Problem), (status = 409, body = Problem)))]
pub async fn save(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(change): ApiJson<ArticleChange>,
) -> Result<Json<Article>, Problem> {
    let content = Content::parse(&change.article).map_err(KnowledgeError::Invalid)?;
    Ok(Json(
        articles::save(
            &state.store,
            &caller,
            id,
            change.base_version,
            content,
            change.substantive,
            &change.reason,
            None,
        )
        .await?,
    ))
}

/// Set the owning kennisexpert and afdeling.
#[utoipa::path(put, path = "/api/v1/articles/{id}/ownership", tag = "knowledge", params(("id" = Uuid, Path)), request_body = Ownership,
    responses((status = 200, body = Article), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn set_ownership(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(o): ApiJson<Ownership>,
) -> Result<Json<Article>, Problem> {
    Ok(Json(articles::set_ownership(&state.store, &caller, id, o).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionInput {
    pub transition: Transition,
    /// The latest version the caller looked at; when given and no longer the latest, 409.
    #[serde(default)]
    pub version: Option<i32>,
}

/// Take a step of the content cycle (indienen, goedkeuren, afkeuren, publiceren, spoed_publiceren, archiveren).
#[utoipa::path(post, path = "/api/v1/articles/{id}/transitions", tag = "knowledge", params(("id" = Uuid, Path)), request_body = TransitionInput,
    responses((status = 200, body = Article), (status = 403, body = Problem), (status = 409, body = Problem)))]
pub async fn transition(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(t): ApiJson<TransitionInput>,
) -> Result<Json<Article>, Problem> {
    Ok(Json(articles::transition(&state.store, &caller, id, t.transition, t.version).await?))
}

/// Every version, newest first.
#[utoipa::path(get, path = "/api/v1/articles/{id}/versions", tag = "knowledge", params(("id" = Uuid, Path)),
    responses((status = 200, body = [ArticleVersion]), (status = 404, body = Problem)))]
pub async fn versions(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<Vec<ArticleVersion>>, Problem> {
    Ok(Json(articles::history(&state.store, &caller, id).await?))
}

/// One version, as an editor sees it (with the steps the caller may take).
#[utoipa::path(get, path = "/api/v1/articles/{id}/versions/{version}", tag = "knowledge", params(("id" = Uuid, Path), ("version" = i32, Path)),
    responses((status = 200, body = Article), (status = 404, body = Problem)))]
pub async fn version(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((id, version)): ApiPath<(Uuid, i32)>,
) -> Result<Json<Article>, Problem> {
    Ok(Json(articles::for_editor(&state.store, &caller, id, Some(version)).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RestoreInput {
    /// The old version to bring back.
    pub version: i32,
    /// The latest version the editor saw.
    pub base_version: i32,
}

/// Make an old version the new draft.
#[utoipa::path(post, path = "/api/v1/articles/{id}/restore", tag = "knowledge", params(("id" = Uuid, Path)), request_body = RestoreInput,
    responses((status = 200, body = Article), (status = 409, body = Problem)))]
pub async fn restore(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(r): ApiJson<RestoreInput>,
) -> Result<Json<Article>, Problem> {
    Ok(Json(articles::restore(&state.store, &caller, id, r.version, r.base_version).await?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiffQuery {
    pub from: i32,
    pub to: i32,
}

/// Line-by-line differences between two versions.
#[utoipa::path(get, path = "/api/v1/articles/{id}/diff", tag = "knowledge", params(("id" = Uuid, Path), DiffQuery),
    responses((status = 200, body = [DiffLine]), (status = 404, body = Problem)))]
pub async fn diff(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(q): ApiQuery<DiffQuery>,
) -> Result<Json<Vec<DiffLine>>, Problem> {
    Ok(Json(articles::diff(&state.store, &caller, id, q.from, q.to).await?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EditorQuery {
    /// Only articles whose latest version is in this state.
    state: Option<CycleState>,
    q: Option<String>,
    limit: Option<i64>,
}

/// Articles by their latest version, for editors.
#[utoipa::path(get, path = "/api/v1/editor/articles", tag = "knowledge", params(EditorQuery),
    responses((status = 200, body = [ArticleSummary])))]
pub async fn editor_list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<EditorQuery>,
) -> Result<Json<Vec<ArticleSummary>>, Problem> {
    Ok(Json(articles::list_for_editors(&state.store, &caller, q.state, q.q.as_deref(), q.limit.unwrap_or(100)).await?))
}

/// Published articles past their review date: the caller's own (kennisexpert) or all (redacteur).
#[utoipa::path(get, path = "/api/v1/editor/review-worklist", tag = "knowledge",
    responses((status = 200, body = [ArticleSummary])))]
pub async fn review_worklist(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<ArticleSummary>>, Problem> {
    Ok(Json(articles::review_worklist(&state.store, &caller).await?))
}
