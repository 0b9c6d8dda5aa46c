//! Privacyverzoeken (beheerder): find a person by name, BSN, phone, e-mail or postcode, download
//! everything Loket holds about them (inzage, as JSON), or erase it on request with a reason.
//! Each step is in the audit log.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use serde::Deserialize;

use super::{FormErrors, PageContext, PageId, problem_page, render};
use crate::auth::Caller;
use crate::contacts::ContactsError;
use crate::contacts::parties::Party;
use crate::customer::privacy::{self, ErasureInput};
use crate::http::AppState;
use crate::validation::FieldError;

#[derive(Template)]
#[template(path = "privacy.html")]
struct PrivacyPage {
    page: PageContext,
    q: String,
    searched: bool,
    found: Vec<Party>,
    errors: FormErrors,
    erased: bool,
}

#[derive(Deserialize, Default)]
pub struct PrivacyQuery {
    /// Name, BSN, phone, e-mail, postcode + huisnummer or KvK number.
    #[serde(default)]
    q: String,
    /// The older form's field.
    #[serde(default)]
    bsn: String,
    #[serde(default)]
    melding: String,
}

fn page(headers: &HeaderMap, caller: &Caller) -> PageContext {
    PageContext::new(headers, Some(caller), "privacy.title", "/beheer/privacy")
}

pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Query(q): Query<PrivacyQuery>,
) -> Response {
    let text = if q.q.trim().is_empty() { q.bsn.trim() } else { q.q.trim() }.to_owned();
    let (found, errors) = if text.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        match privacy::find(&state.store, &caller, &text).await {
            Ok(found) => (found, Vec::new()),
            Err(ContactsError::Invalid(errors)) => (Vec::new(), errors),
            Err(e) => return problem_page(&headers, Some(&caller), e.into()),
        }
    };
    let p = PrivacyPage {
        page: page(&headers, &caller),
        searched: !text.is_empty() && errors.is_empty(),
        q: text,
        found,
        errors: FormErrors::new(errors),
        erased: q.melding == "gewist",
    };
    render(StatusCode::OK, &p)
}

/// The export as a JSON download (the browser saves it; the beheerder sends it to the person).
pub async fn export(State(state): State<AppState>, caller: Caller, headers: HeaderMap, PageId(id): PageId) -> Response {
    match privacy::export(&state.store, &caller, id).await {
        Ok(data) => {
            let mut response = axum::Json(data).into_response();
            let name = format!("attachment; filename=\"inzage-{id}.json\"");
            if let Ok(value) = HeaderValue::from_str(&name) {
                response.headers_mut().insert(header::CONTENT_DISPOSITION, value);
            }
            response
        }
        Err(e) => problem_page(&headers, Some(&caller), e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct EraseForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    confirm: Option<String>,
}

pub async fn erase(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PageId(id): PageId,
    Form(form): Form<EraseForm>,
) -> Response {
    let refused = |errors: Vec<FieldError>| {
        let p = PrivacyPage {
            page: page(&headers, &caller),
            q: String::new(),
            searched: false,
            found: Vec::new(),
            errors: FormErrors::new(errors),
            erased: false,
        };
        render(StatusCode::BAD_REQUEST, &p)
    };
    if form.confirm.is_none() {
        return refused(vec![FieldError::new(
            "confirm",
            "required",
            "Bevestig dat u alle gegevens van deze persoon wilt wissen.",
        )]);
    }
    match privacy::erase(&state.store, &caller, id, &ErasureInput { reason: form.reason }).await {
        Ok(_) => Redirect::to("/beheer/privacy?melding=gewist").into_response(),
        Err(ContactsError::Invalid(errors)) => refused(errors),
        Err(e) => problem_page(&headers, Some(&caller), e.into()),
    }
}
