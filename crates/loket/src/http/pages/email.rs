//! An e-mail thread as an agent works it (/werkvoorraad/e-mail/{id}): every mail in and out,
//! oldest first, attachments to download, the answer form and closing with a result. Remote
//! images are never loaded: the page shows each mail's text.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect};
use axum_extra::extract::Form;
use serde::Deserialize;
use uuid::Uuid;

use super::{FormErrors, PageContext, PageId, PageResult, render};
use crate::auth::Caller;
use crate::channels::email::{self, CloseInput, Direction, EmailError, MailThread, ReplyInput};
use crate::clock;
use crate::http::AppState;
use crate::validation::FieldError;
use crate::work::{self, AssigneeKind, WorkItem, WorkState};

struct MessageView {
    incoming: bool,
    kind_key: String,
    from: String,
    to: String,
    at: String,
    subject: String,
    text: String,
    refused: String,
    written_by: String,
    /// (id, name, size, kept)
    attachments: Vec<(Uuid, String, String, bool)>,
}

#[derive(Template)]
#[template(path = "email_thread.html")]
struct ThreadPage {
    page: PageContext,
    id: Uuid,
    subject: String,
    reference: String,
    from: String,
    from_name: String,
    due: String,
    remaining: String,
    urgency: &'static str,
    holder: String,
    held_by_me: bool,
    open: bool,
    party_id: Option<Uuid>,
    /// The one customer with the sender's address: a lead, not a fact (From can be forged).
    suggested_party_id: Option<Uuid>,
    linked_to: Option<Uuid>,
    messages: Vec<MessageView>,
    answer: String,
    result: String,
    notice: Option<&'static str>,
    errors: FormErrors,
}

async fn thread_page(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    id: Uuid,
    typed: (&str, &str),
    notice: Option<&'static str>,
    errors: Vec<FieldError>,
) -> PageResult {
    let item: WorkItem = work::get(&state.store, caller, id).await?;
    if item.kind != work::WorkKind::Email {
        return Err(EmailError::NotFound.into());
    }
    let thread: MailThread = email::thread_of(&state.store, caller, id).await?;
    let messages = thread
        .messages
        .into_iter()
        .map(|m| MessageView {
            incoming: m.direction == Direction::In,
            kind_key: format!("email.kind.{}", m.kind),
            from: if m.from_name.is_empty() { m.from.clone() } else { format!("{} <{}>", m.from_name, m.from) },
            to: m.to.join(", "),
            at: m.received_at.or(m.sent_at).map(clock::format_local).unwrap_or_default(),
            subject: m.subject,
            text: m.text,
            refused: m.refused,
            written_by: m.written_by,
            attachments: m
                .attachments
                .into_iter()
                .map(|a| (a.id, a.filename, email::human_size(a.size), a.kept))
                .collect(),
        })
        .collect();
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    let page = PageContext::new(headers, Some(caller), "email.title", "/werkvoorraad");
    Ok(render(
        status,
        &ThreadPage {
            page,
            id,
            subject: thread.subject,
            reference: thread.reference,
            from: thread.from,
            from_name: thread.from_name,
            due: item.due_at.map(clock::format_local).unwrap_or_else(|| "—".to_owned()),
            remaining: item.remaining.as_ref().map(|r| r.label()).unwrap_or_default(),
            urgency: super::urgency(item.remaining.as_ref()),
            holder: item.assignee.name.clone(),
            held_by_me: item.assignee.kind == AssigneeKind::Medewerker && item.assignee.id == Some(caller.user_id),
            open: item.state != WorkState::Afgerond,
            party_id: item.party_id,
            suggested_party_id: thread.suggested_party_id.filter(|_| item.party_id.is_none()),
            linked_to: thread.linked_to,
            messages,
            answer: typed.0.to_owned(),
            result: typed.1.to_owned(),
            notice,
            errors: FormErrors::new(errors),
        },
    ))
}

#[derive(Debug, Default, Deserialize)]
pub struct ThreadQuery {
    #[serde(default)]
    melding: String,
}

pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PageId(id): PageId,
    axum::extract::Query(q): axum::extract::Query<ThreadQuery>,
) -> PageResult {
    let notice = match q.melding.as_str() {
        "verstuurd" => Some("email.sent"),
        "opgepakt" => Some("callbacks.claimed"),
        _ => None,
    };
    thread_page(&state, &caller, &headers, id, ("", ""), notice, Vec::new()).await
}

#[derive(Debug, Default, Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    antwoord: String,
}

/// Sends the answer; a refusal shows the page again with what was typed.
pub async fn answer(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PageId(id): PageId,
    Form(form): Form<AnswerForm>,
) -> PageResult {
    match email::reply(&state.store, &caller, id, &ReplyInput { body: form.antwoord.clone() }).await {
        Ok(_) => Ok(Redirect::to(&format!("/werkvoorraad/e-mail/{id}?melding=verstuurd")).into_response()),
        Err(e) => refused(&state, &caller, &headers, id, (&form.antwoord, ""), e).await,
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct CloseForm {
    #[serde(default)]
    resultaat: String,
}

/// Closes the thread and goes back to the queue.
pub async fn close(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PageId(id): PageId,
    Form(form): Form<CloseForm>,
) -> PageResult {
    match email::close(&state.store, &caller, id, &CloseInput { result: form.resultaat.clone() }).await {
        Ok(()) => Ok(Redirect::to("/werkvoorraad?melding=afgerond").into_response()),
        Err(e) => refused(&state, &caller, &headers, id, ("", &form.resultaat), e).await,
    }
}

/// Takes the thread and stays on it.
pub async fn claim(State(state): State<AppState>, caller: Caller, PageId(id): PageId) -> PageResult {
    work::claim(&state.store, &caller, id).await?;
    Ok(Redirect::to(&format!("/werkvoorraad/e-mail/{id}?melding=opgepakt")).into_response())
}

async fn refused(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    id: Uuid,
    typed: (&str, &str),
    e: EmailError,
) -> PageResult {
    let errors = match e {
        EmailError::Invalid(errors) => errors,
        e @ (EmailError::Closed | EmailError::Forbidden(_)) => {
            let problem = crate::http::problem::Problem::from(e);
            vec![FieldError::new("work_item", "refused", problem.detail.unwrap_or(problem.title))]
        }
        e => return Err(e.into()),
    };
    thread_page(state, caller, headers, id, typed, None, errors).await
}
