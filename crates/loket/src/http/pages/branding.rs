//! The huisstijl screen (/beheer/huisstijl) and what every page loads of it: the stylesheet with
//! the colour and the logo, both public (the login screen shows them) and cacheable by version.

use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use serde::Deserialize;

use super::{FormErrors, PageContext, problem_page, render};
use crate::auth::Caller;
use crate::branding::{self, BrandingError, BrandingInput};
use crate::http::AppState;
use crate::validation::FieldError;

#[derive(Template)]
#[template(path = "branding.html")]
struct BrandingPage {
    page: PageContext,
    name: String,
    colour: String,
    contrast: String,
    has_logo: bool,
    max_kb: usize,
    saved: bool,
    errors: FormErrors,
}

#[derive(Deserialize, Default)]
pub struct SavedQuery {
    #[serde(default)]
    opgeslagen: Option<String>,
}

async fn branding_page(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    form: Option<&BrandingInput>,
    errors: Vec<FieldError>,
    saved: bool,
) -> Response {
    let current = match branding::current(&state.store).await {
        Ok(b) => b,
        Err(e) => return problem_page(headers, Some(caller), e.into()),
    };
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    render(
        status,
        &BrandingPage {
            page: PageContext::new(headers, Some(caller), "branding.title", "/beheer/huisstijl"),
            name: form.map_or(current.name.clone(), |f| f.name.clone()),
            colour: form.map_or(current.colour.hex(), |f| f.colour.clone()),
            contrast: format!("{:.1}", current.colour.contrast_with_white()).replace('.', ","),
            has_logo: current.logo.is_some(),
            max_kb: branding::LOGO_MAX_BYTES / 1024,
            saved,
            errors: FormErrors::new(errors),
        },
    )
}

/// `GET /beheer/huisstijl`
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Query(q): Query<SavedQuery>,
) -> Response {
    branding_page(&state, &caller, &headers, None, Vec::new(), q.opgeslagen.is_some()).await
}

fn saved(state: &AppState) -> Response {
    state.branding.forget();
    Redirect::to("/beheer/huisstijl?opgeslagen=1").into_response()
}

/// The name-and-colour form (its CSRF field is read by the route guard).
#[derive(Deserialize)]
pub struct BrandingForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    colour: String,
}

/// `POST /beheer/huisstijl`: name and colour.
pub async fn save(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Form(form): Form<BrandingForm>,
) -> Response {
    let form = BrandingInput { name: form.name, colour: form.colour };
    match branding::set(&state.store, &caller.actor(), &form).await {
        Ok(_) => saved(&state),
        Err(BrandingError::Invalid(errors)) => {
            branding_page(&state, &caller, &headers, Some(&form), errors, false).await
        }
        Err(e) => problem_page(&headers, Some(&caller), e.into()),
    }
}

/// `POST /beheer/huisstijl/logo`: a new logo (multipart field `logo`), or with `verwijderen`
/// none.
pub async fn save_logo(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    mut form: Multipart,
) -> Response {
    let mut logo = None;
    let mut remove = false;
    while let Ok(Some(field)) = form.next_field().await {
        match field.name() {
            Some("logo") => match field.bytes().await {
                Ok(bytes) => logo = Some(bytes.to_vec()),
                Err(_) => break,
            },
            Some("verwijderen") => remove = true,
            _ => {}
        }
    }
    let result = match (remove, logo) {
        (true, _) => branding::remove_logo(&state.store, &caller.actor()).await,
        (false, Some(bytes)) if !bytes.is_empty() => branding::set_logo(&state.store, &caller.actor(), bytes).await,
        _ => Err(BrandingError::Invalid(vec![FieldError::new("logo", "required", "Kies een afbeelding.")])),
    };
    match result {
        Ok(_) => saved(&state),
        Err(BrandingError::Invalid(errors)) => branding_page(&state, &caller, &headers, None, errors, false).await,
        Err(e) => problem_page(&headers, Some(&caller), e.into()),
    }
}

/// Stylesheet and logo are asked for by version (`?v=`): a browser may keep them for a day.
const CACHE_FOR: &str = "public, max-age=86400";

#[derive(Deserialize, Default)]
pub struct VersionQuery {
    #[serde(default)]
    v: Option<String>,
}

/// The huisstijl for an asset asked for by version, and how long it may be kept. The page may
/// come from another process whose cache is newer: then this one reads the store, and what does
/// not match the version asked for is not kept at all (never the old logo under the new name).
async fn for_version(state: &AppState, asked: Option<&str>) -> (std::sync::Arc<branding::Branding>, &'static str) {
    let mut held = state.branding.get(&state.store).await;
    if asked.is_some_and(|v| v != held.version) {
        state.branding.forget();
        held = state.branding.get(&state.store).await;
    }
    let keep = if asked.is_some_and(|v| v == held.version) { CACHE_FOR } else { "no-store" };
    (held, keep)
}

/// `GET /huisstijl.css`: the colour in force, as the variables Loket's stylesheet reads.
pub async fn stylesheet(State(state): State<AppState>, Query(q): Query<VersionQuery>) -> Response {
    let (branding, keep) = for_version(&state, q.v.as_deref()).await;
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8")),
            (header::CACHE_CONTROL, HeaderValue::from_static(keep)),
        ],
        branding::stylesheet(&branding),
    )
        .into_response()
}

/// `GET /huisstijl/logo`: the logo as an image; scripts in an SVG never run (the policy below
/// forbids them, and pages show it with `<img>`).
pub async fn logo(State(state): State<AppState>, Query(q): Query<VersionQuery>) -> Response {
    let (branding, keep) = for_version(&state, q.v.as_deref()).await;
    let Some(logo) = &branding.logo else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut response = logo.bytes.clone().into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(logo.kind.content_type()));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(keep));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; sandbox"),
    );
    response
}
