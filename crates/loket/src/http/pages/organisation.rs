//! The organisation page: afdelingen with their teams, contact details and head counts; for a
//! beheerder also the form to add an afdeling or team.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use serde::Deserialize;
use uuid::Uuid;

use super::{FormErrors, PageContext, problem_page, render};
use crate::auth::{Caller, Permission};
use crate::http::AppState;
use crate::http::problem::Problem;
use crate::organisation::{self, NewUnitInput, Unit, UnitKind};

pub struct AfdelingView {
    pub unit: Unit,
    pub teams: Vec<Unit>,
}

#[derive(Template)]
#[template(path = "organisation.html")]
struct OrganisationPage {
    page: PageContext,
    afdelingen: Vec<AfdelingView>,
    can_manage: bool,
    form: UnitForm,
    errors: FormErrors,
}

#[derive(Deserialize, Default)]
pub struct UnitForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    parent_id: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    description: String,
}

/// Groups teams under their afdeling; afdelingen in name order.
fn group(units: Vec<Unit>) -> Vec<AfdelingView> {
    let (afdelingen, teams): (Vec<Unit>, Vec<Unit>) = units.into_iter().partition(|u| u.kind == UnitKind::Afdeling);
    afdelingen
        .into_iter()
        .map(|a| {
            let teams = teams.iter().filter(|t| t.parent_id == Some(a.id)).cloned().collect();
            AfdelingView { unit: a, teams }
        })
        .collect()
}

async fn respond(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    status: StatusCode,
    form: UnitForm,
    errors: FormErrors,
) -> Response {
    match organisation::list(&state.store).await {
        Ok(units) => {
            let page = PageContext::new(headers, Some(caller), "organisation.title", "/organisatie");
            let can_manage = caller.can(Permission::ManageUnits);
            render(status, &OrganisationPage { page, afdelingen: group(units), can_manage, form, errors })
        }
        Err(e) => problem_page(headers, Some(caller), e.into()),
    }
}

pub async fn show(State(state): State<AppState>, caller: Caller, headers: HeaderMap) -> Response {
    respond(&state, &caller, &headers, StatusCode::OK, UnitForm::default(), FormErrors::default()).await
}

pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Form(form): Form<UnitForm>,
) -> Response {
    let parent_id = match form.parent_id.trim() {
        "" => None,
        raw => match Uuid::parse_str(raw) {
            Ok(id) => Some(id),
            Err(_) => {
                return respond(&state, &caller, &headers, StatusCode::BAD_REQUEST, form, FormErrors::default()).await;
            }
        },
    };
    let input = NewUnitInput {
        name: form.name.clone(),
        kind: form.kind.clone(),
        parent_id: parent_id.filter(|_| form.kind == "team"),
        email: Some(form.email.clone()),
        phone: Some(form.phone.clone()),
        description: Some(form.description.clone()),
    };
    match organisation::create(&state.store, &caller.actor(), &input).await {
        Ok(_) => Redirect::to("/organisatie").into_response(),
        Err(e) => {
            let problem = Problem::from(e);
            if problem.status().is_server_error() {
                return problem_page(&headers, Some(&caller), problem);
            }
            let errors = if problem.errors.is_empty() {
                vec![crate::validation::FieldError::new("name", "conflict", problem.detail.clone().unwrap_or_default())]
            } else {
                problem.errors.clone()
            };
            respond(&state, &caller, &headers, problem.status(), form, FormErrors::new(errors)).await
        }
    }
}
