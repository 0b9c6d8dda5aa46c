//! The user's own account: who they are, their roles, and changing their password.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use serde::Deserialize;

use super::{FormErrors, PageContext, problem_page, render};
use crate::auth::Caller;
use crate::auth::password::Password;
use crate::auth::users::{self, UserError};
use crate::http::AppState;
use crate::http::i18n::{Lang, Tr};
use crate::http::problem::Problem;

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    page: PageContext,
    username: String,
    roles: Vec<String>,
    errors: FormErrors,
}

fn account_page(headers: &HeaderMap, caller: &Caller, errors: FormErrors) -> AccountPage {
    let page = PageContext::new(headers, Some(caller), "account.title", "/account");
    let roles = caller.roles.iter().map(|r| page.t.get(&format!("role.{}", r.id())).to_owned()).collect();
    AccountPage { page, username: caller.username.clone(), roles, errors }
}

pub async fn show(caller: Caller, headers: HeaderMap) -> Response {
    render(StatusCode::OK, &account_page(&headers, &caller, FormErrors::default()))
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    repeat_password: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Form(form): Form<PasswordForm>,
) -> Response {
    // A password belongs to a person at a browser; an integration's token has no business here.
    if caller.csrf_token().is_none() {
        let text = Tr::new(Lang::from_headers(&headers)).get("account.session_only");
        let problem = Problem::forbidden(text);
        return problem_page(&headers, Some(&caller), problem);
    }
    let result = match Password::parse(&form.new_password) {
        Err(e) => Err(UserError::Invalid(vec![e.for_field("new_password")])),
        Ok(_) if form.new_password != form.repeat_password => {
            Err(UserError::Invalid(vec![crate::validation::FieldError::new(
                "repeat_password",
                "mismatch",
                "De twee nieuwe wachtwoorden verschillen.",
            )]))
        }
        Ok(new) => {
            users::change_own_password(&state.store, &state.settings.auth, &caller, &form.current_password, new).await
        }
    };
    match result {
        Ok(()) => Redirect::to("/login?wachtwoord=gewijzigd").into_response(),
        Err(e) => {
            let problem = Problem::from(e);
            if problem.errors.is_empty() {
                return problem_page(&headers, Some(&caller), problem);
            }
            render(problem.status(), &account_page(&headers, &caller, FormErrors::new(problem.errors)))
        }
    }
}
