//! The channels and outcomes contacts are registered with (/beheer/lijsten): one small form per
//! entry (name, place, in use) and one to add an entry. Codes are fixed once made.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use serde::Deserialize;

use super::{FormErrors, PageContext, problem_page, render};
use crate::auth::Caller;
use crate::contacts::ContactsError;
use crate::contacts::contact::ListEntry;
use crate::contacts::lists::{self, ListEntryInput};
use crate::http::AppState;
use crate::store::contacts::ContactList;
use crate::validation::FieldError;

/// One list on the page, with what its add form held when it came back with errors.
pub struct ListSection {
    pub key: &'static str,
    pub title_key: &'static str,
    pub entries: Vec<ListEntry>,
    pub new_code: String,
    pub new_name: String,
}

#[derive(Template)]
#[template(path = "lists.html")]
struct ListsPage {
    page: PageContext,
    sections: Vec<ListSection>,
    errors: FormErrors,
    saved: String,
}

#[derive(Deserialize, Default)]
pub struct ListsQuery {
    #[serde(default)]
    opgeslagen: String,
}

/// `lijst` names the list in the form and the URL.
fn list_of(key: &str) -> Option<ContactList> {
    match key {
        "kanalen" => Some(ContactList::Channels),
        "resultaten" => Some(ContactList::Outcomes),
        _ => None,
    }
}

#[derive(Deserialize)]
pub struct EntryForm {
    #[serde(default)]
    lijst: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    position: String,
    active: Option<String>,
    /// Set by the add form: an existing code is then refused instead of changed.
    nieuw: Option<String>,
}

async fn lists_page(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    failed: Option<&EntryForm>,
    errors: Vec<FieldError>,
    saved: String,
) -> Response {
    let mut sections = Vec::new();
    for (key, title_key, list) in
        [("kanalen", "lists.channels", ContactList::Channels), ("resultaten", "lists.outcomes", ContactList::Outcomes)]
    {
        let entries = match lists::entries(&state.store, list).await {
            Ok(e) => e,
            Err(e) => return problem_page(headers, Some(caller), e.into()),
        };
        let (new_code, new_name) = match failed {
            Some(f) if f.lijst == key && f.nieuw.is_some() => (f.code.clone(), f.name.clone()),
            _ => (String::new(), String::new()),
        };
        sections.push(ListSection { key, title_key, entries, new_code, new_name });
    }
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    let page = PageContext::new(headers, Some(caller), "lists.title", "/beheer/lijsten");
    render(status, &ListsPage { page, sections, errors: FormErrors::new(errors), saved })
}

pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Query(q): Query<ListsQuery>,
) -> Response {
    lists_page(&state, &caller, &headers, None, Vec::new(), q.opgeslagen).await
}

pub async fn save(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Form(form): Form<EntryForm>,
) -> Response {
    let Some(list) = list_of(&form.lijst) else {
        let unknown = FieldError::new("lijst", "unknown_list", "Kies kanalen of resultaten.");
        return lists_page(&state, &caller, &headers, None, vec![unknown], String::new()).await;
    };
    let position = match form.position.trim() {
        "" => None,
        p => match p.parse::<i32>() {
            Ok(n) => Some(n),
            Err(_) => {
                let bad = FieldError::new("position", "not_a_number", "Geef de plaats als geheel getal.");
                return lists_page(&state, &caller, &headers, Some(&form), vec![bad], String::new()).await;
            }
        },
    };
    let input = ListEntryInput { name: form.name.clone(), active: form.active.is_some(), position };
    let stored = if form.nieuw.is_some() {
        lists::add(&state.store, &caller.actor(), list, &form.code, &input).await
    } else {
        lists::save(&state.store, &caller.actor(), list, &form.code, &input).await
    };
    match stored {
        Ok(entry) => {
            let back = serde_urlencoded::to_string([("opgeslagen", entry.code.as_str())]).unwrap_or_default();
            Redirect::to(&format!("/beheer/lijsten?{back}")).into_response()
        }
        Err(ContactsError::Invalid(errors)) => {
            lists_page(&state, &caller, &headers, Some(&form), errors, String::new()).await
        }
        Err(e) => problem_page(&headers, Some(&caller), e.into()),
    }
}
