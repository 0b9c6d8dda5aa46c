//! The agent's desk: one screen for the contact at hand. Alt+N (or "Nieuw contact" in the
//! header) opens it from anywhere with the timer running; the customer is optional and can be
//! found and attached in the same contact. The form stays in view beside a side panel for
//! knowledge; drafts live on the server (`contacts::drafts`). The customer's page registers
//! contacts with the same form and rules.
//!
//! Screen pop: when the agent answers a call, every page they have open hears of it
//! (`/bureau/gesprekken`, server-sent events) and opens the desk for that call
//! (`?gesprek=`), with the customer the caller's number finds, the timer running from the
//! moment of answering (`channels::telephony::screen_pop`).
//!
//! Form rules (the API is unchanged): the outcome (Resultaat) must be chosen, there is no
//! default that would count a contact as resolved; a checked source that is not `kind:uuid` is
//! refused by name and dropped from the re-shown form.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use uuid::Uuid;

use super::customers::PartyView;
use super::{FormErrors, PageContext, problem_page, render};
use crate::auth::Caller;
use crate::channels::telephony::screen_pop;
use crate::clock;
use crate::contacts::contact::{self, Contact, ContactInput, ListEntry, ParticipantInput, SourceInput, SourceKind};
use crate::contacts::{ContactsError, drafts, parties};
use crate::http::AppState;
use crate::http::problem::Problem;
use crate::validation::FieldError;

/// The contact form, on the desk and on a customer's page.
#[derive(Deserialize, Default, Clone)]
pub struct ContactForm {
    #[serde(default)]
    pub channel: String,
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub question: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub not_reached: Option<String>,
    #[serde(default)]
    pub confidential: Option<String>,
    /// When the contact started: the timer's start, or when the page opened.
    #[serde(default)]
    pub started_at: String,
    /// The kladblok: what the agent jotted down during the call, added to the note.
    #[serde(default)]
    pub scratchpad: String,
    /// Sources the agent used ("gebruikte bronnen"), as `kind:id` (article, notice, tree).
    #[serde(default)]
    pub source: Vec<String>,
    /// The customer attached on the desk (empty: none).
    #[serde(default)]
    pub party_id: String,
    /// The server-side draft this form was kept in; removed once the contact is saved.
    #[serde(default)]
    pub draft_id: String,
}

impl ContactForm {
    /// The note: what was written as the note, then the kladblok.
    fn note(&self) -> String {
        match (self.notes.trim(), self.scratchpad.trim()) {
            (notes, "") => notes.to_owned(),
            ("", pad) => pad.to_owned(),
            (notes, pad) => format!("{notes}\n\n{pad}"),
        }
    }

    fn readable_source(v: &str) -> Option<SourceInput> {
        let (kind, id) = v.split_once(':')?;
        SourceKind::parse(kind)?;
        Some(SourceInput { kind: kind.trim().to_owned(), id: Uuid::parse_str(id.trim()).ok()?, detail: String::new() })
    }

    /// The same form without the sources that cannot be read (to show it again).
    pub fn without_bad_sources(mut self) -> ContactForm {
        self.source.retain(|v| Self::readable_source(v).is_some());
        self
    }

    /// The contact this form registers, with `party` as the customer (initiator) when given.
    /// Errors name the form's own fields.
    pub fn to_input(&self, party: Option<Uuid>) -> Result<ContactInput, Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.outcome.trim().is_empty() {
            errors.push(FieldError::new("outcome", "required", "Kies het resultaat van het contact."));
        }
        let sources: Vec<SourceInput> = self.source.iter().filter_map(|v| Self::readable_source(v)).collect();
        if sources.len() < self.source.len() {
            errors.push(FieldError::new("sources", "invalid_source", "Een gebruikte bron is niet te lezen."));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let started_at = DateTime::parse_from_rfc3339(self.started_at.trim()).ok().map(|t| t.with_timezone(&Utc));
        Ok(ContactInput {
            channel: self.channel.clone(),
            subject: self.subject.clone(),
            product: None,
            question: self.question.clone(),
            notes: self.note(),
            response: String::new(),
            language: None,
            confidential: self.confidential.is_some(),
            contact_made: self.not_reached.is_none(),
            started_at,
            ended_at: started_at.map(|_| clock::now()),
            outcome: Some(self.outcome.clone()),
            unit_id: None,
            participants: party
                .map(|party_id| ParticipantInput { party_id, role: None, initiator: true })
                .into_iter()
                .collect(),
            sources,
            request_ids: Vec::new(),
        })
    }

    fn draft(&self) -> Option<Uuid> {
        Uuid::parse_str(self.draft_id.trim()).ok()
    }
}

/// The channels and outcomes the contact form offers: the active entries of the beheerder's lists.
pub async fn form_lists(state: &AppState) -> Result<(Vec<ListEntry>, Vec<ListEntry>), ContactsError> {
    let active = |list: Vec<ListEntry>| list.into_iter().filter(|e| e.active).collect();
    Ok((active(contact::channels(&state.store).await?), active(contact::outcomes(&state.store).await?)))
}

/// Registers the contact of a form and removes the draft it was kept in.
pub async fn register(
    state: &AppState,
    caller: &Caller,
    form: &ContactForm,
    input: &ContactInput,
) -> Result<Contact, ContactsError> {
    let saved = contact::register(&state.store, caller, input).await?;
    if let Some(id) = form.draft() {
        // Already gone (discarded in another tab) is fine: the contact is what counts.
        match drafts::discard(&state.store, caller, id).await {
            Ok(()) | Err(ContactsError::DraftNotFound) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(saved)
}

#[derive(Template)]
#[template(path = "desk.html")]
struct DeskPage {
    page: PageContext,
    party: Option<PartyView>,
    channels: Vec<ListEntry>,
    outcomes: Vec<ListEntry>,
    started_at: String,
    contact_action: &'static str,
    form: ContactForm,
    errors: FormErrors,
    notice: Option<&'static str>,
    call: Option<CallView>,
}

/// The answered call the desk was opened for (screen pop).
struct CallView {
    id: Uuid,
    /// The caller's number as shown ("06 12345678"); empty when withheld or the call has ended.
    number: String,
    /// Where "Nieuwe klant" goes with the number filled in (when nobody has it).
    new_customer: String,
    /// Several customers share the number: the agent chooses.
    choices: Vec<(Uuid, String)>,
}

#[derive(Deserialize, Default)]
pub struct DeskQuery {
    /// A customer to start with.
    #[serde(default)]
    klant: Option<Uuid>,
    /// An answered call to register (screen pop).
    #[serde(default)]
    gesprek: Option<Uuid>,
    #[serde(default)]
    melding: String,
}

/// What the desk opens with: a customer, an answered call, or neither.
#[derive(Default, Clone, Copy)]
struct Opening {
    party: Option<Uuid>,
    call: Option<Uuid>,
}

async fn desk_page(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    opening: Opening,
    mut form: ContactForm,
    errors: Vec<FieldError>,
    notice: Option<&'static str>,
) -> Result<DeskPage, Problem> {
    let page = PageContext::new(headers, Some(caller), "desk.title", "/contacten/nieuw");
    let mut party = opening.party;
    let call = match opening.call {
        Some(id) => {
            let pop = screen_pop::open(&state.store, caller, id).await?;
            if form.started_at.is_empty() {
                form.started_at = pop.answered_at.to_rfc3339();
            }
            if party.is_none() && pop.parties.len() == 1 {
                party = pop.parties.first().map(|p| p.id);
            }
            let number = pop.number.as_ref().map(|n| n.display()).unwrap_or_default();
            let new_customer = if pop.parties.is_empty() && !number.is_empty() {
                format!("/klanten?{}#nieuwe-klant", serde_urlencoded::to_string([("q", &number)]).unwrap_or_default())
            } else {
                String::new()
            };
            let choices = if pop.parties.len() > 1 {
                pop.parties
                    .iter()
                    .map(|p| match &p.address {
                        Some(a) => (p.id, format!("{} — {}", p.display_name, a.one_line())),
                        None => (p.id, p.display_name.clone()),
                    })
                    .collect()
            } else {
                Vec::new()
            };
            Some(CallView { id, number, new_customer, choices })
        }
        None => None,
    };
    let party = match party {
        Some(id) => Some(super::customers::party_view(&parties::get(&state.store, caller, id, false).await?)),
        None => None,
    };
    let (channels, outcomes) = form_lists(state).await?;
    Ok(DeskPage {
        page,
        party,
        channels,
        outcomes,
        started_at: if form.started_at.is_empty() { clock::now().to_rfc3339() } else { form.started_at.clone() },
        contact_action: "/contacten",
        form,
        errors: FormErrors::new(errors),
        notice,
        call,
    })
}

/// `GET /contacten/nieuw`: the desk, empty, or with a customer (`?klant=`).
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Query(query): Query<DeskQuery>,
) -> Response {
    let notice = (query.melding == "geregistreerd").then_some("customers.registered");
    let opening = Opening { party: query.klant, call: query.gesprek };
    match desk_page(&state, &caller, &headers, opening, ContactForm::default(), Vec::new(), notice).await {
        Ok(p) => render(StatusCode::OK, &p),
        Err(problem) => problem_page(&headers, Some(&caller), problem),
    }
}

/// How often an agent's pages look for a call they have just answered.
const CALLS_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

/// `GET /bureau/gesprekken`: server-sent events for the screen pop. An `answered` event
/// (`{"call": id, "open": "/contacten/nieuw?gesprek=…"}`) each time the caller's call in progress
/// changes, including the one in progress when the page connects; the page decides whether it
/// has already opened it. Runs until the page is left or the server stops.
pub async fn calls_stream(State(state): State<AppState>, caller: Caller) -> Response {
    use axum::response::sse::{Event, KeepAlive, Sse};
    use futures_util::StreamExt;
    let mut stopping = state.stopping.clone();
    let start = (state, caller.username, None::<Uuid>, true);
    let stream = futures_util::stream::unfold(start, |(state, agent, mut last, first)| async move {
        loop {
            if !first || last.is_some() {
                tokio::time::sleep(CALLS_EVERY).await;
            }
            if *state.stopping.borrow() {
                return None;
            }
            match screen_pop::in_progress(&state.store, &agent).await {
                Ok(Some(call)) if last != Some(call.call) => {
                    last = Some(call.call);
                    let data = serde_json::json!({
                        "call": call.call,
                        "open": format!("/contacten/nieuw?start=1&gesprek={}", call.call),
                    });
                    let event = Event::default().event("answered").data(data.to_string());
                    return Some((Ok::<_, std::convert::Infallible>(event), (state, agent, last, false)));
                }
                Ok(None) => last = None,
                Ok(Some(_)) => {}
                Err(e) => tracing::warn!(error = %e, "screen pop: calls in progress unreadable"),
            }
            if first {
                // Nothing at connection: from now on, wait between looks.
                return Some((Ok(Event::default().comment("luistert")), (state, agent, last, false)));
            }
        }
    });
    let until_stop = async move {
        let _ = stopping.wait_for(|s| *s).await;
    };
    Sse::new(stream.take_until(until_stop)).keep_alive(KeepAlive::default()).into_response()
}

/// `POST /contacten`: registers the contact, with or without a customer, and opens an empty
/// desk for the next call.
pub async fn save(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Form(form): Form<ContactForm>,
) -> Response {
    let party = match form.party_id.trim() {
        "" => Ok(None),
        id => Uuid::parse_str(id)
            .map(Some)
            .map_err(|_| vec![FieldError::new("party_id", "invalid", "De gekoppelde klant is niet te lezen.")]),
    };
    let outcome = match party.and_then(|p| form.to_input(p).map(|input| (p, input))) {
        Ok((party, input)) => register(&state, &caller, &form, &input).await.map(|_| party),
        Err(errors) => Err(ContactsError::Invalid(errors)),
    };
    match outcome {
        Ok(_) => Redirect::to("/contacten/nieuw?melding=geregistreerd").into_response(),
        Err(ContactsError::Invalid(errors)) => {
            let party = Uuid::parse_str(form.party_id.trim()).ok();
            let form = form.without_bad_sources();
            let opening = Opening { party, call: None };
            match desk_page(&state, &caller, &headers, opening, form, errors, None).await {
                Ok(p) => render(StatusCode::BAD_REQUEST, &p),
                Err(problem) => problem_page(&headers, Some(&caller), problem),
            }
        }
        Err(e) => problem_page(&headers, Some(&caller), e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_without_an_outcome_is_refused_not_defaulted() {
        let form = ContactForm { subject: "Grofvuil".into(), channel: "telefoon".into(), ..Default::default() };
        let errors = form.to_input(None).unwrap_err();
        assert_eq!(errors[0].field, "outcome");
        assert_eq!(errors[0].code, "required");
    }

    #[test]
    fn a_contact_without_a_customer_has_no_participants_and_keeps_its_kladblok() {
        let form = ContactForm {
            subject: "Grofvuil".into(),
            outcome: "beantwoord".into(),
            notes: "Ophaaldag genoemd".into(),
            scratchpad: "belt terug".into(),
            ..Default::default()
        };
        let input = form.to_input(None).unwrap();
        assert!(input.participants.is_empty());
        assert_eq!(input.notes, "Ophaaldag genoemd\n\nbelt terug");
        let party = Uuid::now_v7();
        assert_eq!(form.to_input(Some(party)).unwrap().participants[0].party_id, party);
    }

    #[test]
    fn unreadable_sources_are_named_and_dropped_from_the_form() {
        let good = format!("article:{}", Uuid::now_v7());
        let form = ContactForm {
            outcome: "beantwoord".into(),
            source: vec![good.clone(), "article:nope".into()],
            ..Default::default()
        };
        assert_eq!(form.to_input(None).unwrap_err()[0].field, "sources");
        assert_eq!(form.without_bad_sources().source, vec![good]);
    }
}
