//! Afdelingen and teams.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;

use crate::auth::Caller;
use crate::http::AppState;
use crate::http::problem::{ApiJson, Problem};
use crate::organisation::{self, NewUnitInput, Unit};

/// All afdelingen and teams with their member counts.
#[utoipa::path(get, path = "/api/v1/units", tag = "organisation",
    responses((status = 200, body = [Unit]), (status = 401, body = Problem)))]
pub async fn list(State(state): State<AppState>, _caller: Caller) -> Result<Json<Vec<Unit>>, Problem> {
    Ok(Json(organisation::list(&state.store).await?))
}

/// Create an afdeling or a team.
#[utoipa::path(post, path = "/api/v1/units", tag = "organisation", request_body = NewUnitInput,
    responses((status = 201, body = Unit), (status = 400, body = Problem), (status = 409, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<NewUnitInput>,
) -> Result<impl IntoResponse, Problem> {
    let unit = organisation::create(&state.store, &caller.actor(), &input).await?;
    Ok((StatusCode::CREATED, [(header::LOCATION, format!("/api/v1/units/{}", unit.id))], Json(unit)))
}
