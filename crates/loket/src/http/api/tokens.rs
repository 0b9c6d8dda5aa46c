//! Issuing API tokens (beheerder): for oneself, or for a koppeling's account.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::auth::tokens::{self, IssuedToken, TokenInfo};
use crate::auth::users::Username;
use crate::http::AppState;
use crate::http::problem::ApiPath;
use crate::http::problem::{ApiJson, Problem};
use crate::validation::Checks;
use uuid::Uuid;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTokenInput {
    /// The account the token acts as: the caller's own, or a koppeling (an account for a system).
    pub username: String,
    #[serde(default)]
    pub label: Option<String>,
}

/// Issue a token; the secret is in the answer and nowhere else.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "account", request_body = NewTokenInput,
    responses((status = 201, body = IssuedToken), (status = 400, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<NewTokenInput>,
) -> Result<(StatusCode, Json<IssuedToken>), Problem> {
    let mut checks = Checks::default();
    let username = checks.take("username", Username::parse(&input.username));
    let label = checks.take("label", tokens::parse_label(input.label.as_deref()));
    checks.finish()?;
    let (Some(username), Some(label)) = (username, label) else { return Err(Problem::invalid(vec![])) };
    let issued = tokens::issue_for(&state.store, &caller, &username, label).await?;
    Ok((StatusCode::CREATED, Json(issued)))
}

/// A user's tokens (never their secrets), newest first, revoked ones included.
#[utoipa::path(get, path = "/api/v1/users/{id}/tokens", tag = "account", params(("id" = Uuid, Path)),
    responses((status = 200, body = [TokenInfo]), (status = 404, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    _caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<Vec<TokenInfo>>, Problem> {
    Ok(Json(tokens::list_for_user(&state.store, id).await?))
}

/// Revoke a token for good.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "account", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
pub async fn revoke(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<StatusCode, Problem> {
    tokens::revoke(&state.store, &caller.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
