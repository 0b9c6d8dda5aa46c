//! User administration (beheerder). Reads are logged with the purpose `gebruikersbeheer`.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use uuid::Uuid;

use crate::auth::Caller;
use crate::auth::audit::Purpose;
use crate::auth::users::{self, NewUser, NewUserInput, User, UserChangeInput, UserError};
use crate::http::AppState;
use crate::http::problem::{ApiJson, ApiPath, Problem};

/// All users.
#[utoipa::path(get, path = "/api/v1/users", tag = "users",
    responses((status = 200, body = [User]), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn list(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<User>>, Problem> {
    Ok(Json(users::list(&state.store, &caller.actor(), Purpose::UserAdministration).await?))
}

/// Create a user.
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = NewUserInput,
    responses((status = 201, body = User), (status = 400, body = Problem), (status = 409, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<NewUserInput>,
) -> Result<impl IntoResponse, Problem> {
    let new = NewUser::parse(&input).map_err(UserError::Invalid)?;
    let user = users::create(&state.store, &caller.actor(), new).await?;
    let location = format!("/api/v1/users/{}", user.id);
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(user)))
}

/// One user.
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users", params(("id" = Uuid, Path)),
    responses((status = 200, body = User), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<User>, Problem> {
    Ok(Json(users::get(&state.store, &caller.actor(), id, Purpose::UserAdministration).await?))
}

/// Change a user's name, e-mail, unit, roles or active status.
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users", params(("id" = Uuid, Path)), request_body = UserChangeInput,
    responses((status = 200, body = User), (status = 400, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(change): ApiJson<UserChangeInput>,
) -> Result<Json<User>, Problem> {
    Ok(Json(users::update(&state.store, &caller.actor(), id, &change).await?))
}
