//! Logging in and out in the browser.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, SameSite};
use axum_extra::extract::{CookieJar, Form};
use serde::Deserialize;

use super::{PageContext, render};
use crate::auth::sessions::{self, LoginAttempt, LoginError};
use crate::auth::{Caller, random_secret};
use crate::http::AppState;
use crate::http::access::{ANONYMOUS_CSRF_COOKIE, ClientIp, MaybeCaller, SESSION_COOKIE};
use crate::http::i18n::{Lang, Tr};
use crate::http::problem::Problem;

/// A place to return to after login: only a path on this site. Browsers drop tabs and newlines
/// from URLs and read `\\` as `/`, so `/<tab>/evil.example` would leave the site: any control
/// character, whitespace or backslash, or a second leading slash, falls back to the start page.
pub fn safe_return(candidate: Option<&str>) -> &str {
    match candidate {
        Some(p)
            if p.starts_with('/')
                && !p[1..].starts_with('/')
                && !p.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\') =>
        {
            p
        }
        _ => "/",
    }
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    page: PageContext,
    username: String,
    back: String,
    message: Option<&'static str>,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct LoginQuery {
    terug: Option<String>,
    uitgelogd: Option<String>,
    wachtwoord: Option<String>,
}

/// The anonymous CSRF cookie, made on first visit; the login form echoes it back.
fn anonymous_csrf(jar: CookieJar, secure: bool) -> (CookieJar, String) {
    if let Some(c) = jar.get(ANONYMOUS_CSRF_COOKIE) {
        let value = c.value().to_owned();
        return (jar, value);
    }
    let value = random_secret();
    let cookie = Cookie::build((ANONYMOUS_CSRF_COOKIE, value.clone()))
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .build();
    (jar.add(cookie), value)
}

pub async fn show(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    headers: HeaderMap,
    jar: CookieJar,
    Query(query): Query<LoginQuery>,
) -> Response {
    let back = safe_return(query.terug.as_deref()).to_owned();
    if caller.is_some() {
        return Redirect::to(&back).into_response();
    }
    let (jar, csrf) = anonymous_csrf(jar, state.settings.secure_cookies());
    let mut page = PageContext::new(&headers, None, "login.title", "/login");
    page.csrf_token = csrf;
    let message = if query.wachtwoord.is_some() {
        Some("login.password_changed")
    } else {
        query.uitgelogd.is_some().then_some("login.logged_out")
    };
    (jar, render(StatusCode::OK, &LoginPage { page, username: String::new(), back, message, error: None }))
        .into_response()
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    #[serde(default)]
    terug: Option<String>,
}

pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    jar: CookieJar,
    ClientIp(ip): ClientIp,
    Form(form): Form<LoginForm>,
) -> Response {
    let user_agent = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok());
    let attempt = LoginAttempt { username: &form.username, password: &form.password, ip: ip.as_deref(), user_agent };
    let back = safe_return(form.terug.as_deref()).to_owned();
    match sessions::login(&state.store, &state.settings.auth, attempt).await {
        Ok(session) => {
            let max_age = state.settings.auth.session_max.num_seconds();
            let cookie = Cookie::build((SESSION_COOKIE, session.secret))
                .path("/")
                .http_only(true)
                .secure(state.settings.secure_cookies())
                .same_site(SameSite::Lax)
                .max_age(time::Duration::seconds(max_age))
                .build();
            (jar.add(cookie), Redirect::to(&back)).into_response()
        }
        Err(e) => {
            let t = Tr::new(Lang::from_headers(&headers));
            let (status, error) = match &e {
                LoginError::InvalidCredentials => (StatusCode::UNAUTHORIZED, t.get("login.failed").to_owned()),
                LoginError::Throttled { retry_after_secs } => {
                    let minutes = retry_after_secs.div_ceil(60).to_string();
                    (StatusCode::TOO_MANY_REQUESTS, t.get("login.throttled").replace("{minutes}", &minutes))
                }
                LoginError::Store(_) => return Problem::from(e).into_response(),
            };
            let (jar, csrf) = anonymous_csrf(jar, state.settings.secure_cookies());
            let mut page = PageContext::new(&headers, None, "login.title", "/login");
            page.csrf_token = csrf;
            let body = LoginPage { page, username: form.username, back, message: None, error: Some(error) };
            let mut response = (jar, render(status, &body)).into_response();
            if let LoginError::Throttled { retry_after_secs } = e {
                response.headers_mut().insert(header::RETRY_AFTER, axum::http::HeaderValue::from(retry_after_secs));
            }
            response
        }
    }
}

#[derive(Template)]
#[template(path = "logout.html")]
struct LogoutPage {
    page: PageContext,
    drafts: i64,
}

#[derive(Deserialize, Default)]
pub struct LogoutForm {
    /// Set by the warning page: the agent knows unsaved contacts will be removed.
    #[serde(default)]
    bevestigd: Option<String>,
}

/// Ends the session. Unsaved contacts (drafts) are removed with it, but only after a page that
/// says so: a logout with drafts and without confirmation shows that page and ends nothing.
pub async fn logout(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    jar: CookieJar,
    Form(form): Form<LogoutForm>,
) -> Response {
    let drafts = match crate::contacts::drafts::count(&state.store, &caller).await {
        Ok(n) => n,
        Err(e) => return Problem::from(e).into_response(),
    };
    if drafts > 0 && form.bevestigd.is_none() {
        let page = PageContext::new(&headers, Some(&caller), "logout.title", "/");
        return render(StatusCode::OK, &LogoutPage { page, drafts });
    }
    if drafts > 0
        && let Err(e) = crate::contacts::drafts::discard_all(&state.store, &caller).await
    {
        return Problem::from(e).into_response();
    }
    if let Some(cookie) = jar.get(SESSION_COOKIE)
        && let Err(e) = sessions::logout(&state.store, &caller, cookie.value()).await
    {
        return Problem::from(e).into_response();
    }
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
    (jar, Redirect::to("/login?uitgelogd=1")).into_response()
}

#[cfg(test)]
mod tests {
    use super::safe_return;

    #[test]
    fn login_returns_only_to_pages_of_this_site() {
        assert_eq!(safe_return(Some("/beheer/gebruikers?x=1")), "/beheer/gebruikers?x=1");
        for bad in [
            "//evil.example",
            "https://evil.example",
            "/\\evil.example",
            "javascript:alert(1)",
            "/\t/evil.example",
            "/\n/evil.example",
            "/ /evil.example",
            "/a\\b",
        ] {
            assert_eq!(safe_return(Some(bad)), "/", "{bad}");
        }
        assert_eq!(safe_return(None), "/");
    }
}
