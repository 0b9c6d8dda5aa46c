//! The language switch: remembers the choice in a cookie and returns to the page.

use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde::Deserialize;

use super::login::safe_return;
use crate::http::i18n::{LANG_COOKIE, Lang};

#[derive(Deserialize)]
pub struct Back {
    terug: Option<String>,
}

pub async fn switch(Path(code): Path<String>, Query(back): Query<Back>, jar: CookieJar) -> Response {
    let lang = Lang::parse(&code).unwrap_or_default();
    let cookie = Cookie::build((LANG_COOKIE, lang.code()))
        .path("/")
        .same_site(SameSite::Lax)
        .max_age(time::Duration::days(365))
        .build();
    (jar.add(cookie), Redirect::to(safe_return(back.terug.as_deref()))).into_response()
}
