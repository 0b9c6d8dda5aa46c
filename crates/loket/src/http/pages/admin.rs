//! User administration in the browser (beheerder): the list of accounts and a form to add one.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use serde::Deserialize;
use uuid::Uuid;

use super::{FormErrors, PageContext, problem_page, render};
use crate::auth::audit::Purpose;
use crate::auth::users::{self, NewUser, NewUserInput, User, UserError};
use crate::auth::{Caller, Role};
use crate::clock;
use crate::http::AppState;
use crate::http::problem::Problem;
use crate::organisation::{self, Unit};

pub struct UserRow {
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub unit: String,
    pub roles: String,
    pub active: bool,
    pub created: String,
}

/// One line of the error summary: the field's visible label and what is wrong.
pub struct SummaryLine {
    pub field: String,
    pub label: String,
    pub message: String,
}

pub struct RoleOption {
    pub id: &'static str,
    pub label: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    page: PageContext,
    users: Vec<UserRow>,
    units: Vec<Unit>,
    roles: Vec<RoleOption>,
    form: NewUserForm,
    errors: FormErrors,
    summary: Vec<SummaryLine>,
    created: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct NewUserForm {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub unit_id: String,
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default)]
    pub password: String,
}

#[derive(Deserialize)]
pub struct UsersQuery {
    aangemaakt: Option<String>,
}

async fn page(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    form: NewUserForm,
    errors: FormErrors,
    created: Option<String>,
) -> Result<UsersPage, Problem> {
    let page = PageContext::new(headers, Some(caller), "users.title", "/beheer/gebruikers");
    let units = organisation::list(&state.store).await?;
    let all: Vec<User> = users::list(&state.store, &caller.actor(), Purpose::UserAdministration).await?;
    let unit_name = |id: Option<Uuid>| {
        id.and_then(|id| units.iter().find(|u| u.id == id)).map_or(String::new(), |u| u.name.clone())
    };
    let users = all
        .into_iter()
        .map(|u| UserRow {
            unit: unit_name(u.unit_id),
            roles: u
                .roles
                .iter()
                .map(|r| page.t.get(&format!("role.{}", r.id())).to_owned())
                .collect::<Vec<_>>()
                .join(", "),
            username: u.username,
            display_name: u.display_name,
            email: u.email.unwrap_or_default(),
            active: u.active,
            created: clock::format_local(u.created_at),
        })
        .collect();
    let roles = Role::ALL
        .iter()
        .map(|r| RoleOption {
            id: r.id(),
            label: page.t.get(&format!("role.{}", r.id())).to_owned(),
            checked: form.roles.iter().any(|x| x == r.id()),
        })
        .collect();
    let summary = errors
        .all()
        .iter()
        .map(|e| {
            let key = match e.field.as_str() {
                "unit_id" => "users.unit".to_owned(),
                field => format!("users.{field}"),
            };
            SummaryLine { field: e.field.clone(), label: page.t.get(&key).to_owned(), message: e.message.clone() }
        })
        .collect();
    Ok(UsersPage { page, users, units, roles, form, errors, summary, created })
}

pub async fn users(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Query(query): Query<UsersQuery>,
) -> Response {
    match page(&state, &caller, &headers, NewUserForm::default(), FormErrors::default(), query.aangemaakt).await {
        Ok(p) => render(StatusCode::OK, &p),
        Err(problem) => problem_page(&headers, Some(&caller), problem),
    }
}

pub async fn create_user(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Form(form): Form<NewUserForm>,
) -> Response {
    let unit_id = match form.unit_id.trim() {
        "" => Ok(None),
        id => Uuid::parse_str(id).map(Some),
    };
    let input = NewUserInput {
        username: form.username.clone(),
        display_name: Some(form.display_name.clone()),
        email: Some(form.email.clone()),
        unit_id: unit_id.clone().unwrap_or(None),
        roles: form.roles.clone(),
        password: Some(form.password.clone()),
    };
    let result = match (NewUser::parse(&input), unit_id) {
        (Ok(new), Ok(_)) => users::create(&state.store, &caller.actor(), new).await,
        (Err(errors), _) => Err(UserError::Invalid(errors)),
        (_, Err(_)) => Err(UserError::UnitNotFound),
    };
    let errors = match result {
        Ok(user) => {
            let query = serde_urlencoded::to_string([("aangemaakt", user.username)]).unwrap_or_default();
            return Redirect::to(&format!("/beheer/gebruikers?{query}")).into_response();
        }
        Err(e) => Problem::from(e),
    };
    let status = errors.status();
    let field_errors = if errors.errors.is_empty() {
        vec![crate::validation::FieldError::new("", "error", errors.detail.clone().unwrap_or(errors.title.clone()))]
    } else {
        errors.errors.clone()
    };
    if status.is_server_error() {
        return problem_page(&headers, Some(&caller), errors);
    }
    let form = NewUserForm { password: String::new(), ..form };
    match page(&state, &caller, &headers, form, FormErrors(field_errors), None).await {
        Ok(p) => render(status, &p),
        Err(problem) => problem_page(&headers, Some(&caller), problem),
    }
}
