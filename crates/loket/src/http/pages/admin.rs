//! User administration in the browser (beheerder): the list of accounts, a form to add one, and
//! per account: change details, roles and status, set a password, issue an API token.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use serde::Deserialize;
use uuid::Uuid;

use super::{FormErrors, PageContext, PageId, problem_page, render};
use crate::auth::audit::Purpose;
use crate::auth::users::{self, AccountKind, NewUser, NewUserInput, User, UserError};
use crate::auth::{Caller, Role};
use crate::clock;
use crate::http::AppState;
use crate::http::problem::Problem;
use crate::organisation::{self, Unit};

pub struct UserRow {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub unit: String,
    pub roles: String,
    pub active: bool,
    /// Translation key of the account kind (medewerker or koppeling).
    pub kind: String,
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
    /// `medewerker` (default) or `koppeling`.
    #[serde(default)]
    pub kind: String,
}

impl NewUserForm {
    pub fn is_integration(&self) -> bool {
        self.kind == AccountKind::Koppeling.id()
    }
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
            id: u.id,
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
            kind: format!("users.kind_{}", u.kind.id()),
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
            SummaryLine { field: e.field.clone(), label: page.t.get(&key).to_owned(), message: page.t.message(e) }
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
        phone: None,
        topics: None,
        roles: form.roles.clone(),
        password: Some(form.password.clone()),
        kind: Some(if form.is_integration() { AccountKind::Koppeling } else { AccountKind::Medewerker }),
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
    match page(&state, &caller, &headers, form, FormErrors::new(field_errors), None).await {
        Ok(p) => render(status, &p),
        Err(problem) => problem_page(&headers, Some(&caller), problem),
    }
}

pub struct TokenView {
    pub id: Uuid,
    pub label: String,
    pub prefix: String,
    pub created: String,
    pub last_used: String,
    pub revoked: Option<String>,
}

#[derive(Template)]
#[template(path = "user_edit.html")]
struct UserEditPage {
    page: PageContext,
    user: User,
    tokens: Vec<TokenView>,
    units: Vec<Unit>,
    roles: Vec<RoleOption>,
    errors: FormErrors,
    notice: Option<&'static str>,
    issued_token: Option<String>,
    /// Tokens are made here only for the beheerder's own account or for a koppeling.
    may_issue_token: bool,
}

#[derive(Deserialize)]
pub struct EditQuery {
    melding: Option<String>,
}

/// Known notices after a redirect; anything else in the query shows nothing.
fn notice_key(melding: Option<&str>) -> Option<&'static str> {
    match melding {
        Some("opgeslagen") => Some("users.saved"),
        Some("wachtwoord") => Some("users.password_reset_done"),
        Some("ingetrokken") => Some("users.token_revoked"),
        _ => None,
    }
}

async fn edit_page(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    id: Uuid,
    errors: FormErrors,
    notice: Option<&'static str>,
    issued_token: Option<String>,
) -> Result<UserEditPage, Problem> {
    let path = format!("/beheer/gebruikers/{id}");
    let mut page = PageContext::new(headers, Some(caller), "users.edit_title", &path);
    let user = users::get(&state.store, &caller.actor(), id, Purpose::UserAdministration).await?;
    page.title = format!("{}: {}", page.title, user.display_name);
    let units = organisation::list(&state.store).await?;
    let roles = Role::ALL
        .iter()
        .map(|r| RoleOption {
            id: r.id(),
            label: page.t.get(&format!("role.{}", r.id())).to_owned(),
            checked: user.roles.contains(r),
        })
        .collect();
    let tokens = crate::auth::tokens::list_for_user(&state.store, id)
        .await?
        .into_iter()
        .map(|t| TokenView {
            id: t.id,
            label: t.label,
            prefix: t.prefix,
            created: clock::format_local(t.created_at),
            last_used: t.last_used_at.map(clock::format_local).unwrap_or_default(),
            revoked: t.revoked_at.map(clock::format_local),
        })
        .collect();
    let may_issue_token = user.id == caller.user_id || user.kind == AccountKind::Koppeling;
    Ok(UserEditPage { page, user, tokens, units, roles, errors, notice, issued_token, may_issue_token })
}

async fn respond_with_edit_page(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    id: Uuid,
    status: StatusCode,
    errors: FormErrors,
    issued_token: Option<String>,
) -> Response {
    match edit_page(state, caller, headers, id, errors, None, issued_token).await {
        Ok(p) => render(status, &p),
        Err(problem) => problem_page(headers, Some(caller), problem),
    }
}

pub async fn edit(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PageId(id): PageId,
    Query(query): Query<EditQuery>,
) -> Response {
    match edit_page(&state, &caller, &headers, id, FormErrors::default(), notice_key(query.melding.as_deref()), None)
        .await
    {
        Ok(p) => render(StatusCode::OK, &p),
        Err(problem) => problem_page(&headers, Some(&caller), problem),
    }
}

#[derive(Deserialize)]
pub struct EditForm {
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    topics: String,
    #[serde(default)]
    roles: Vec<String>,
    #[serde(default)]
    active: Option<String>,
}

/// Shows a failed form again with its errors, or the problem page for anything unexpected.
async fn form_failed(state: &AppState, caller: &Caller, headers: &HeaderMap, id: Uuid, problem: Problem) -> Response {
    if problem.status().is_server_error() || problem.status() == StatusCode::NOT_FOUND {
        return problem_page(headers, Some(caller), problem);
    }
    let status = problem.status();
    let errors = if problem.errors.is_empty() {
        vec![crate::validation::FieldError::new("", "error", problem.detail.clone().unwrap_or(problem.title.clone()))]
    } else {
        problem.errors
    };
    respond_with_edit_page(state, caller, headers, id, status, FormErrors::new(errors), None).await
}

pub async fn save(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PageId(id): PageId,
    Form(form): Form<EditForm>,
) -> Response {
    let unit_id = match form.unit_id.trim() {
        "" => Some(None),
        raw => Uuid::parse_str(raw).ok().map(Some),
    };
    let Some(unit_id) = unit_id else {
        return form_failed(&state, &caller, &headers, id, UserError::UnitNotFound.into()).await;
    };
    let change = crate::auth::users::UserChangeInput {
        display_name: Some(form.display_name),
        email: Some(form.email),
        unit_id: Some(unit_id),
        roles: Some(form.roles),
        active: Some(form.active.is_some()),
        phone: Some(form.phone),
        topics: Some(form.topics),
    };
    match users::update(&state.store, &caller.actor(), id, &change).await {
        Ok(_) => Redirect::to(&format!("/beheer/gebruikers/{id}?melding=opgeslagen")).into_response(),
        Err(e) => form_failed(&state, &caller, &headers, id, e.into()).await,
    }
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    password: String,
}

pub async fn reset_password(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PageId(id): PageId,
    Form(form): Form<ResetForm>,
) -> Response {
    let result = match crate::auth::password::Password::parse(&form.password) {
        Err(e) => Err(UserError::Invalid(vec![e])),
        Ok(password) => users::set_password_by_id(&state.store, &caller.actor(), id, password).await,
    };
    match result {
        Ok(()) => Redirect::to(&format!("/beheer/gebruikers/{id}?melding=wachtwoord")).into_response(),
        Err(e) => form_failed(&state, &caller, &headers, id, e.into()).await,
    }
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    label: String,
}

/// Issues an API token for this user and shows it once, on this response only.
pub async fn issue_token(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PageId(id): PageId,
    Form(form): Form<TokenForm>,
) -> Response {
    let label = match crate::auth::tokens::parse_label(Some(&form.label)) {
        Ok(label) => label,
        Err(e) => return form_failed(&state, &caller, &headers, id, Problem::invalid(vec![e])).await,
    };
    match crate::auth::tokens::issue(&state.store, &caller, id, label).await {
        Ok(issued) => {
            respond_with_edit_page(
                &state,
                &caller,
                &headers,
                id,
                StatusCode::CREATED,
                FormErrors::default(),
                Some(issued.token),
            )
            .await
        }
        Err(e) => form_failed(&state, &caller, &headers, id, e.into()).await,
    }
}

/// Revokes a token and returns to its user's page.
pub async fn revoke_token(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PageId(id): PageId,
) -> Response {
    match crate::auth::tokens::revoke(&state.store, &caller.actor(), id).await {
        Ok(user_id) => Redirect::to(&format!("/beheer/gebruikers/{user_id}?melding=ingetrokken")).into_response(),
        Err(e) => problem_page(&headers, Some(&caller), e.into()),
    }
}

/// One admin screen as the overview lists it.
pub struct AdminScreen {
    pub href: &'static str,
    pub title: String,
    pub about: String,
}

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage {
    page: PageContext,
    screens: Vec<AdminScreen>,
}

/// `GET /beheer`: the admin screens this user may use, one line each (one menu entry for all).
pub async fn overview(caller: Caller, headers: HeaderMap) -> Response {
    let page = PageContext::new(&headers, Some(&caller), "admin.title", "/beheer");
    let screens = super::ADMIN_SCREENS
        .iter()
        .filter(|(.., permission)| caller.can(*permission))
        .map(|(href, title, about, _)| AdminScreen {
            href,
            title: page.t.get(title).to_owned(),
            about: page.t.get(about).to_owned(),
        })
        .collect();
    render(StatusCode::OK, &AdminPage { page, screens })
}
