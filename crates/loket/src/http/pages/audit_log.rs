//! The verwerkingslog screen (beheerder): filter by person (user name or name), customer, action,
//! object and days. People and customers are shown by name, the details as words, not as ids
//! and raw JSON; the export and the API keep the raw entries.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use std::collections::HashMap;

use serde::Deserialize;
use uuid::Uuid;

use super::{FormErrors, PageContext, problem_page, render};
use crate::auth::audit::{self, AuditAction, AuditFilter, AuditFilterInput, Purpose};
use crate::auth::{Caller, users};
use crate::clock;
use crate::contacts::{ContactsError, parties};
use crate::http::AppState;
use crate::validation::FieldError;

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
    /// What was typed in the customer filter.
    customer: String,
    actions: Vec<ActionOption>,
    entries: Vec<EntryView>,
    errors: FormErrors,
    next_page: Option<String>,
}

/// The screen's own filter: a customer by name, BSN, phone, e-mail or postcode.
#[derive(Deserialize, Default)]
pub struct CustomerFilter {
    #[serde(default)]
    klant: String,
}

/// `{"results": [id, id]}` as "results: 2"; other values as text. Ids are long and say nothing
/// to a person; their count does.
fn readable(detail: &serde_json::Value) -> String {
    use serde_json::Value;
    let show = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Array(items) if items.iter().all(|i| i.as_str().is_some_and(|s| Uuid::parse_str(s).is_ok())) => {
            items.len().to_string()
        }
        Value::Array(items) if items.iter().all(Value::is_string) => {
            items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", ")
        }
        other => other.to_string(),
    };
    match detail {
        Value::Object(map) => {
            map.iter().map(|(k, v)| format!("{}: {}", k.replace('_', " "), show(v))).collect::<Vec<_>>().join("; ")
        }
        other => show(other),
    }
}

pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    query: Result<Query<AuditFilterInput>, axum::extract::rejection::QueryRejection>,
    customer: Result<Query<CustomerFilter>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let page = PageContext::new(&headers, Some(&caller), "audit.title", "/beheer/verwerkingslog");
    let t = page.t;
    let (mut input, mut errors) = match query {
        Ok(Query(input)) => (input, Vec::new()),
        Err(_) => (AuditFilterInput::default(), vec![FieldError::new("", "malformed", t.get("audit.bad_query"))]),
    };
    let customer = customer.map(|Query(c)| c.klant.trim().to_owned()).unwrap_or_default();
    // People are named on this screen: the accounts, read for oversight (and logged as such).
    let people = match users::list(&state.store, &caller.actor(), Purpose::AuditOversight).await {
        Ok(list) => list,
        Err(e) => return problem_page(&headers, Some(&caller), e.into()),
    };
    let display: HashMap<String, String> =
        people.iter().map(|u| (u.username.clone(), u.display_name.clone())).collect();
    let by_id: HashMap<String, String> = people.iter().map(|u| (u.id.to_string(), u.display_name.clone())).collect();
    // A person is found by user name (part of it) or by their name: one name is one account.
    if let Some(text) = input.actor.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let lower = text.to_lowercase();
        let exact = people.iter().find(|u| u.display_name.to_lowercase() == lower);
        let named: Vec<&users::User> =
            people.iter().filter(|u| u.display_name.to_lowercase().contains(&lower)).collect();
        let only = match named.as_slice() {
            [one] => Some(*one),
            _ => None,
        };
        if let Some(one) = exact.or(only) {
            input.actor = Some(one.username.clone());
        }
    }
    if !customer.is_empty() {
        match crate::customer::privacy::find(&state.store, &caller, &customer).await {
            Ok(found) => match found.as_slice() {
                [one] => {
                    input.object_type = Some("party".into());
                    input.object_id = Some(one.id.to_string());
                }
                [] => errors.push(FieldError::new("klant", "not_found", t.get("audit.customer_not_found"))),
                _ => errors.push(FieldError::new("klant", "ambiguous", t.get("audit.customer_ambiguous"))),
            },
            Err(ContactsError::Invalid(e)) => errors.extend(e.into_iter().map(|e| e.for_field("klant"))),
            Err(e) => return problem_page(&headers, Some(&caller), e.into()),
        }
    }
    let actions = AuditAction::ALL
        .iter()
        .map(|a| ActionOption {
            id: a.id(),
            label: t.get(&format!("audit.action.{}", a.id())).to_owned(),
            selected: input.action.as_deref() == Some(a.id()),
        })
        .collect();
    let parsed = if errors.is_empty() { AuditFilter::parse(&input) } else { Err(Vec::new()) };
    let (entries, next_page) = match parsed {
        Ok(filter) => match audit::read(&state.store, &caller.actor(), &filter).await {
            Ok(result) => {
                let next = result.next_before.map(|before| {
                    let next = AuditFilterInput { before: Some(before), ..input.clone() };
                    format!("/beheer/verwerkingslog?{}", serde_urlencoded::to_string(&next).unwrap_or_default())
                });
                let party_ids: Vec<Uuid> = result
                    .entries
                    .iter()
                    .filter(|e| e.object_type == "party")
                    .filter_map(|e| e.object_id.as_deref().and_then(|id| Uuid::parse_str(id).ok()))
                    .collect();
                let party_names = match parties::display_names(&state.store, &party_ids).await {
                    Ok(names) => names,
                    Err(e) => return problem_page(&headers, Some(&caller), e.into()),
                };
                let entries = result
                    .entries
                    .into_iter()
                    .map(|e| {
                        let name_of_object = e.object_id.as_deref().and_then(|id| match e.object_type.as_str() {
                            "party" => Uuid::parse_str(id).ok().and_then(|u| party_names.get(&u).cloned()),
                            "user" => by_id.get(id).cloned(),
                            _ => None,
                        });
                        let object_kind =
                            t.lookup(&format!("audit.object.{}", e.object_type)).unwrap_or(&e.object_type).to_owned();
                        EntryView {
                            at: clock::format_local(e.at),
                            actor_kind: t.get(&format!("audit.kind.{}", e.actor_kind.id())).to_owned(),
                            actor: match display.get(&e.actor_name) {
                                Some(name) if *name != e.actor_name => format!("{name} ({})", e.actor_name),
                                _ => e.actor_name,
                            },
                            action: t.get(&format!("audit.action.{}", e.action)).to_owned(),
                            object: match (name_of_object, e.object_id) {
                                (Some(name), _) => format!("{object_kind}: {name}"),
                                (None, Some(id)) => format!("{object_kind} {id}"),
                                (None, None) => object_kind,
                            },
                            purpose: e
                                .purpose
                                .map(|p| t.lookup(&format!("audit.purpose.{p}")).map_or(p.clone(), str::to_owned))
                                .unwrap_or_default(),
                            detail: e.detail.as_ref().map(readable).unwrap_or_default(),
                            ip: e.ip.unwrap_or_default(),
                        }
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
    let page_data =
        AuditLogPage { page, filter: input, customer, actions, entries, errors: FormErrors::new(errors), next_page };
    render(status, &page_data)
}

#[cfg(test)]
mod tests {
    use super::readable;
    use serde_json::json;

    #[test]
    fn details_read_as_words_and_lists_of_ids_as_their_number() {
        let detail = json!({"by": "bsn", "results": ["0190b3c4-0000-7000-8000-000000000001", "0190b3c4-0000-7000-8000-000000000002"]});
        assert_eq!(readable(&detail), "by: bsn; results: 2");
        assert_eq!(readable(&json!({"fields_changed": ["subject", "notes"]})), "fields changed: subject, notes");
        assert_eq!(readable(&json!({"n": 3, "nested": {"a": 1}})), "n: 3; nested: {\"a\":1}");
    }
}
