//! The verwerkingslog screen (beheerder): filter by person, action, object and days.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::{FormErrors, PageContext, problem_page, render};
use crate::auth::Caller;
use crate::auth::audit::{self, AuditAction, AuditFilter, AuditFilterInput};
use crate::clock;
use crate::http::AppState;

pub struct EntryView {
    pub at: String,
    pub actor: String,
    pub actor_kind: String,
    pub action: String,
    pub object: String,
    pub purpose: String,
    pub detail: String,
    pub ip: String,
}

pub struct ActionOption {
    pub id: &'static str,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "audit_log.html")]
struct AuditLogPage {
    page: PageContext,
    filter: AuditFilterInput,
    actions: Vec<ActionOption>,
    entries: Vec<EntryView>,
    errors: FormErrors,
    next_page: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    query: Result<Query<AuditFilterInput>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let page = PageContext::new(&headers, Some(&caller), "audit.title", "/beheer/verwerkingslog");
    let t = page.t;
    let (input, mut errors) = match query {
        Ok(Query(input)) => (input, Vec::new()),
        Err(_) => (
            AuditFilterInput::default(),
            vec![crate::validation::FieldError::new("", "malformed", t.get("audit.bad_query"))],
        ),
    };
    let actions = AuditAction::ALL
        .iter()
        .map(|a| ActionOption {
            id: a.id(),
            label: t.get(&format!("audit.action.{}", a.id())).to_owned(),
            selected: input.action.as_deref() == Some(a.id()),
        })
        .collect();
    let (entries, next_page) = match AuditFilter::parse(&input) {
        Ok(filter) => match audit::read(&state.store, &caller.actor(), &filter).await {
            Ok(result) => {
                let next = result.next_before.map(|before| {
                    let next = AuditFilterInput { before: Some(before), ..input.clone() };
                    format!("/beheer/verwerkingslog?{}", serde_urlencoded::to_string(&next).unwrap_or_default())
                });
                let entries = result
                    .entries
                    .into_iter()
                    .map(|e| EntryView {
                        at: clock::format_local(e.at),
                        actor_kind: t.get(&format!("audit.kind.{}", e.actor_kind.id())).to_owned(),
                        actor: e.actor_name,
                        action: t.get(&format!("audit.action.{}", e.action)).to_owned(),
                        object: match e.object_id {
                            Some(id) => format!("{} {id}", e.object_type),
                            None => e.object_type,
                        },
                        purpose: e.purpose.unwrap_or_default(),
                        detail: e.detail.map(|d| d.to_string()).unwrap_or_default(),
                        ip: e.ip.unwrap_or_default(),
                    })
                    .collect();
                (entries, next)
            }
            Err(e) => return problem_page(&headers, Some(&caller), e.into()),
        },
        Err(field_errors) => {
            errors.extend(field_errors);
            (Vec::new(), None)
        }
    };
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    render(status, &AuditLogPage { page, filter: input, actions, entries, errors: FormErrors::new(errors), next_page })
}
