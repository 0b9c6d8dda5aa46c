//! The huisstijl: the organisation's name, colour and logo (see `branding`).

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::branding::{self, Branding, BrandingInput};
use crate::http::AppState;
use crate::http::problem::{ApiJson, Problem};

/// The huisstijl in force.
#[derive(Serialize, ToSchema)]
pub struct BrandingView {
    pub name: String,
    /// `#rrggbb`
    pub colour: String,
    /// The colour's contrast with white (at least 4.5).
    pub contrast: f64,
    /// Where the logo is served, when there is one.
    pub logo: Option<String>,
    /// The logo's media type.
    pub logo_type: Option<String>,
}

fn view(b: &Branding) -> BrandingView {
    BrandingView {
        name: b.name.clone(),
        colour: b.colour.hex(),
        contrast: (b.colour.contrast_with_white() * 100.0).round() / 100.0,
        logo: b.logo.as_ref().map(|_| format!("/huisstijl/logo?v={}", b.version)),
        logo_type: b.logo.as_ref().map(|l| l.kind.content_type().to_owned()),
    }
}

/// The organisation's name, colour and logo.
#[utoipa::path(get, path = "/api/v1/branding", tag = "branding",
    responses((status = 200, body = BrandingView), (status = 401, body = Problem)))]
pub async fn get(State(state): State<AppState>, _caller: Caller) -> Result<Json<BrandingView>, Problem> {
    Ok(Json(view(&branding::current(&state.store).await?)))
}

/// Set the name and colour (white on the colour must reach 4.5:1); the logo stays.
#[utoipa::path(put, path = "/api/v1/branding", tag = "branding", request_body = BrandingInput,
    responses((status = 200, body = BrandingView), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn save(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<BrandingInput>,
) -> Result<Json<BrandingView>, Problem> {
    let saved = branding::set(&state.store, &caller.actor(), &input).await?;
    state.branding.forget();
    Ok(Json(view(&saved)))
}

/// Set the logo: the image itself as the body (PNG, JPEG, WebP or SVG, at most 256 kB; known by
/// its bytes, whatever the Content-Type says).
#[utoipa::path(put, path = "/api/v1/branding/logo", tag = "branding",
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = BrandingView), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn save_logo(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> Result<Json<BrandingView>, Problem> {
    let saved = branding::set_logo(&state.store, &caller.actor(), body.to_vec()).await?;
    state.branding.forget();
    Ok(Json(view(&saved)))
}

/// Remove the logo.
#[utoipa::path(delete, path = "/api/v1/branding/logo", tag = "branding",
    responses((status = 204), (status = 403, body = Problem)))]
pub async fn remove_logo(State(state): State<AppState>, caller: Caller) -> Result<StatusCode, Problem> {
    branding::remove_logo(&state.store, &caller.actor()).await?;
    state.branding.forget();
    Ok(StatusCode::NO_CONTENT)
}
