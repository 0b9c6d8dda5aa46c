//! The callback queues (/terugbelverzoeken): a team's queue, one's own, or every team's for a
//! team lead; claim, return, hand over, log an attempt. And the form on the customer screen that
//! creates a callback.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::Amsterdam;
use serde::Deserialize;
use uuid::Uuid;

use super::{FormErrors, PageContext, PageId, problem_page, render};
use crate::auth::{Caller, Permission};
use crate::clock;
use crate::contacts::contact::{self, ListEntry};
use crate::contacts::digital_address::format_phone;
use crate::http::AppState;
use crate::http::api::work::parse_queue;
use crate::organisation::{self, Unit};
use crate::validation::FieldError;
use crate::work::AssignInput;
use crate::work::callbacks::{self, AttemptInput, AttemptResult, Callback, CallbackError, CallbackInput};

/// One callback as the queue shows it.
pub struct CallbackView {
    pub id: Uuid,
    pub party_id: Option<Uuid>,
    pub party_name: String,
    pub phone: String,
    pub phone_href: String,
    pub subject: String,
    pub note: String,
    pub window: Option<String>,
    pub due: String,
    pub remaining: String,
    /// overdue, near or ok: the row's mark.
    pub urgency: &'static str,
    pub attempts: u32,
    pub max_attempts: u32,
    pub next_attempt: Option<String>,
    pub holder: String,
    pub held_by_me: bool,
    pub in_queue: bool,
    pub history: Vec<String>,
}

impl CallbackView {
    pub fn new(c: &Callback, caller: &Caller) -> CallbackView {
        let remaining = c.remaining.as_ref().map(|r| r.label()).unwrap_or_default();
        let urgency = super::urgency(c.remaining.as_ref());
        CallbackView {
            id: c.id,
            party_id: c.party_id,
            party_name: c.party_name.clone().unwrap_or_else(|| "—".to_owned()),
            phone: format_phone(&c.phone),
            phone_href: format!("tel:{}", c.phone),
            subject: c.subject.clone(),
            note: c.note.clone(),
            window: match (c.window_from, c.window_to) {
                (Some(f), Some(t)) => Some(format!("{} – {}", clock::format_local(f), clock::format_local(t))),
                _ => None,
            },
            due: c.due_at.map(clock::format_local).unwrap_or_else(|| "—".to_owned()),
            remaining,
            urgency,
            attempts: c.attempts,
            max_attempts: c.max_attempts,
            next_attempt: c.next_attempt_at.filter(|n| *n > clock::now()).map(clock::format_local),
            holder: c.assignee.name.clone(),
            held_by_me: c.assignee.id == Some(caller.user_id),
            in_queue: c.assignee.kind == crate::work::AssigneeKind::Eenheid,
            history: c.attempt_log.iter().map(crate::work::callbacks::Attempt::history_line).collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "callbacks.html")]
struct CallbacksPage {
    page: PageContext,
    callbacks: Vec<CallbackView>,
    /// (value, label, selected) of the queue chooser.
    queues: Vec<(String, String, bool)>,
    queue: String,
    units: Vec<Unit>,
    outcomes: Vec<ListEntry>,
    results: Vec<(&'static str, &'static str)>,
    may_distribute: bool,
    notice: Option<&'static str>,
    errors: FormErrors,
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    wachtrij: Option<String>,
    #[serde(default)]
    melding: String,
}

async fn queue_page(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    queue_param: Option<&str>,
    notice: Option<&'static str>,
    errors: Vec<FieldError>,
) -> Response {
    let page = PageContext::new(headers, Some(caller), "callbacks.title", "/terugbelverzoeken");
    let queue = match parse_queue(caller, queue_param) {
        Ok(q) => q,
        Err(e) => return problem_page(headers, Some(caller), crate::http::problem::Problem::invalid(vec![e])),
    };
    let listed = callbacks::list(&state.store, caller, queue).await;
    let units = organisation::list(&state.store).await;
    let outcomes = contact::outcomes(&state.store).await;
    let (listed, units, outcomes) = match (listed, units, outcomes) {
        (Ok(l), Ok(u), Ok(o)) => (l, u, o),
        (Err(e), _, _) => return problem_page(headers, Some(caller), e.into()),
        (_, Err(e), _) => return problem_page(headers, Some(caller), e.into()),
        (_, _, Err(e)) => return problem_page(headers, Some(caller), e.into()),
    };
    let may_distribute = caller.can(Permission::DistributeWork);
    let value = super::work::queue_value(queue);
    let queues = super::work::queue_choices(&page, caller, &units, queue);
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    render(
        status,
        &CallbacksPage {
            callbacks: listed.iter().map(|c| CallbackView::new(c, caller)).collect(),
            page,
            queues,
            queue: value,
            units,
            outcomes: outcomes.into_iter().filter(|o| o.active).collect(),
            results: AttemptResult::ALL.iter().map(|r| (r.id(), r.label())).collect(),
            may_distribute,
            notice,
            errors: FormErrors::new(errors),
        },
    )
}

pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Response {
    let notice = match q.melding.as_str() {
        "poging" => Some("callbacks.attempted"),
        other => super::work::queue_notice(other),
    };
    queue_page(&state, &caller, &headers, q.wachtrij.as_deref(), notice, Vec::new()).await
}

#[derive(Debug, Default, Deserialize)]
pub struct ActionForm {
    /// The queue to return to.
    #[serde(default)]
    wachtrij: String,
    /// For a hand-over: `eenheid:<id>` or `medewerker:<id>`.
    #[serde(default)]
    naar: String,
    #[serde(default)]
    result: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    response: String,
    #[serde(default)]
    outcome: String,
}

/// After an action: back to the queue with a notice, or the queue with the error shown.
async fn after(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    form: &ActionForm,
    result: Result<Callback, CallbackError>,
    notice: &str,
) -> Response {
    let queue = form.wachtrij.trim();
    match result {
        Ok(c) => {
            let back = serde_urlencoded::to_string([("wachtrij", queue), ("melding", notice)]).unwrap_or_default();
            Redirect::to(&format!("/terugbelverzoeken?{back}#terugbelverzoek-{}", c.id)).into_response()
        }
        Err(CallbackError::Invalid(errors)) => {
            queue_page(state, caller, headers, Some(queue).filter(|q| !q.is_empty()), None, errors).await
        }
        Err(e @ (CallbackError::TooSoon { .. } | CallbackError::Closed | CallbackError::Forbidden(_))) => {
            let problem = crate::http::problem::Problem::from(e);
            let error = FieldError::new("callback", "refused", problem.detail.unwrap_or(problem.title));
            queue_page(state, caller, headers, Some(queue).filter(|q| !q.is_empty()), None, vec![error]).await
        }
        Err(e) => problem_page(headers, Some(caller), e.into()),
    }
}

pub async fn claim(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PageId(id): PageId,
    Form(form): Form<ActionForm>,
) -> Response {
    let result = callbacks::claim(&state.store, &caller, id).await;
    after(&state, &caller, &headers, &form, result, "opgepakt").await
}

pub async fn return_to_team(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PageId(id): PageId,
    Form(form): Form<ActionForm>,
) -> Response {
    let result = callbacks::return_to_team(&state.store, &caller, id).await;
    after(&state, &caller, &headers, &form, result, "teruggezet").await
}

pub async fn reassign(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PageId(id): PageId,
    Form(form): Form<ActionForm>,
) -> Response {
    let input = AssignInput { assignee: super::work::assignee_of(&form.naar) };
    let result = callbacks::reassign(&state.store, &caller, id, &input).await;
    after(&state, &caller, &headers, &form, result, "overgedragen").await
}

pub async fn attempt(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PageId(id): PageId,
    Form(form): Form<ActionForm>,
) -> Response {
    let input = AttemptInput {
        result: form.result.clone(),
        note: form.note.clone(),
        outcome: Some(form.outcome.clone()).filter(|o| !o.trim().is_empty()),
        response: form.response.clone(),
    };
    let result = callbacks::attempt(&state.store, &caller, id, &input).await;
    after(&state, &caller, &headers, &form, result, "poging").await
}

/// The customer screen's callback form.
#[derive(Debug, Default, Deserialize)]
pub struct CreateForm {
    #[serde(default)]
    subject: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    phone: String,
    /// `eenheid:<id>` or `medewerker:<id>`.
    #[serde(default)]
    naar: String,
    /// The preferred window: a day and two times, local.
    #[serde(default)]
    window_date: String,
    #[serde(default)]
    window_from: String,
    #[serde(default)]
    window_to: String,
}

fn local_instant(date: NaiveDate, time: NaiveTime) -> Option<DateTime<Utc>> {
    Amsterdam.from_local_datetime(&NaiveDateTime::new(date, time)).earliest().map(|t| t.with_timezone(&Utc))
}

/// A preferred window, from and to.
type Window = (DateTime<Utc>, DateTime<Utc>);

/// The window as instants; empty when no day was given.
fn window(form: &CreateForm) -> Result<Option<Window>, FieldError> {
    if form.window_date.trim().is_empty() {
        return Ok(None);
    }
    let date = NaiveDate::parse_from_str(form.window_date.trim(), "%Y-%m-%d")
        .map_err(|_| FieldError::new("window_from", "invalid_date", "Geef de dag van het tijdvak (JJJJ-MM-DD)."))?;
    let time = |s: &str, default: NaiveTime| {
        if s.trim().is_empty() {
            return Ok(default);
        }
        NaiveTime::parse_from_str(s.trim(), "%H:%M")
            .map_err(|_| FieldError::new("window_from", "invalid_time", "Geef tijden als UU:MM, zoals 09:30."))
    };
    let from = time(&form.window_from, NaiveTime::MIN)?;
    let to = time(&form.window_to, NaiveTime::from_hms_opt(23, 59, 0).unwrap_or(NaiveTime::MIN))?;
    match (local_instant(date, from), local_instant(date, to)) {
        (Some(f), Some(t)) => Ok(Some((f, t))),
        _ => Err(FieldError::new("window_from", "invalid_time", "Deze tijd bestaat niet op die dag (zomertijd).")),
    }
}

pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PageId(party): PageId,
    Form(form): Form<CreateForm>,
) -> Response {
    let window = match window(&form) {
        Ok(w) => w,
        Err(e) => return super::customers::with_errors(&state, &caller, &headers, party, vec![e]).await,
    };
    let input = CallbackInput {
        contact_id: None,
        party_id: Some(party),
        phone: Some(form.phone.clone()).filter(|p| !p.trim().is_empty()),
        subject: form.subject.clone(),
        note: form.note.clone(),
        window_from: window.map(|w| w.0),
        window_to: window.map(|w| w.1),
        assignee: super::work::assignee_of(&form.naar),
    };
    match callbacks::create(&state.store, &caller, &input).await {
        Ok(c) => {
            Redirect::to(&format!("/klanten/{party}?melding=terugbelverzoek#terugbelverzoek-{}", c.id)).into_response()
        }
        Err(CallbackError::Invalid(errors)) => {
            super::customers::with_errors(&state, &caller, &headers, party, errors).await
        }
        Err(e) => problem_page(&headers, Some(&caller), e.into()),
    }
}
