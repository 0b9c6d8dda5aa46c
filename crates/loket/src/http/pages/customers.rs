//! Klanten: find a customer with one search box (name, BSN, phone, e-mail, postcode +
//! huisnummer, KvK number), register one on the spot, and on the customer's page see the
//! timeline of every contact across channels and register a new one. The contact's clock starts
//! when the page opens (a hidden field) and stops when it is saved.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use uuid::Uuid;

use super::desk::{self, ContactForm};
use super::{FormErrors, PageContext, PageId, problem_page, render};
use crate::auth::{Caller, Permission};
use crate::clock;
use crate::contacts::ContactsError;
use crate::contacts::contact::ListEntry;
use crate::contacts::parties::{
    self, AddressInput, DigitalAddressInput, HouseNumberInput, IdentifierInput, IdentifierKind, Party, PartyInput,
    PartyLookup,
};
use crate::contacts::requests::{self, RequestInput, RequestStatus, RequestType, StatusInput};
use crate::customer::timeline::{self, TimelineItem};
use crate::http::AppState;
use crate::http::problem::Problem;
use crate::organisation::{self, Unit};
use crate::validation::FieldError;
use crate::work::tasks::{self, CompleteInput, TaskInput};
use crate::work::{AssigneeInput, WorkStatus};

/// A party as a list row or a page header shows it.
pub struct PartyView {
    pub id: Uuid,
    pub name: String,
    pub kind: &'static str,
    pub confidential: bool,
    pub withheld: bool,
    pub identifiers: Vec<(&'static str, String)>,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    pub address: Option<String>,
}

pub(super) fn party_view(p: &Party) -> PartyView {
    use crate::contacts::parties::DigitalAddressKind as K;
    PartyView {
        id: p.id,
        name: p.display_name.clone(),
        kind: p.kind.label(),
        confidential: p.confidential,
        withheld: p.withheld,
        identifiers: p.identifiers.iter().map(|i| (i.kind.label(), i.value.clone())).collect(),
        phones: p.digital_addresses.iter().filter(|d| d.kind == K::Telefoonnummer).map(|d| d.display.clone()).collect(),
        emails: p.digital_addresses.iter().filter(|d| d.kind == K::Email).map(|d| d.display.clone()).collect(),
        address: p.address.as_ref().map(|a| a.one_line()),
    }
}

/// One line of the timeline, whatever it is: a contact, a request or a task.
pub struct EntryView {
    pub kind: &'static str,
    pub id: Uuid,
    pub title: String,
    /// The channel of a contact; "Verzoek" or "Taak" otherwise.
    pub tag: String,
    pub at: String,
    pub at_iso: String,
    /// Short facts, shown joined by " · ".
    pub meta: Vec<String>,
    pub question: String,
    pub notes: String,
    pub withheld: bool,
    pub confidential: bool,
    pub sources: Vec<String>,
    /// For a request: its status history, oldest first.
    pub history: Vec<String>,
    /// For an open request: it can get a new status here.
    pub open_request: bool,
    /// For an open task: it can be finished here.
    pub open_task: bool,
}

impl EntryView {
    fn new(kind: &'static str, id: Uuid, title: String, tag: String, at: DateTime<Utc>) -> EntryView {
        EntryView {
            kind,
            id,
            title,
            tag,
            at: clock::format_local(at),
            at_iso: at.to_rfc3339(),
            meta: Vec::new(),
            question: String::new(),
            notes: String::new(),
            withheld: false,
            confidential: false,
            sources: Vec::new(),
            history: Vec::new(),
            open_request: false,
            open_task: false,
        }
    }

    pub fn meta_line(&self) -> String {
        self.meta.join(" · ")
    }
}

fn duration_text(seconds: i64) -> String {
    if seconds < 60 { format!("{seconds} s") } else { format!("{} min {} s", seconds / 60, seconds % 60) }
}

fn entry_view(page: &PageContext, item: TimelineItem) -> EntryView {
    match item {
        TimelineItem::Contact(c) => {
            let mut e = EntryView::new("contact", c.id, c.subject, c.channel_name, c.started_at);
            e.meta.extend(c.duration_s.map(duration_text));
            e.meta.push(c.agent_name);
            e.meta.extend(c.outcome_name);
            if !c.contact_made {
                e.meta.push(page.t.get("customers.not_reached").to_owned());
            }
            e.question = c.question;
            e.notes = c.notes;
            e.withheld = c.withheld;
            e.confidential = c.confidential;
            e.sources = c.sources.into_iter().map(|s| s.title).collect();
            e
        }
        TimelineItem::Request(r) => {
            let mut e = EntryView::new(
                "request",
                r.id,
                format!("{}: {}", r.type_name, r.subject),
                page.t.get("customers.request").to_owned(),
                r.created_at,
            );
            e.meta.push(r.status_label.clone());
            if let Some(date) = &r.expected_on {
                // Stored as YYYY-MM-DD; read as a Dutch date.
                let shown = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
                    .map(|d| d.format("%d-%m-%Y").to_string())
                    .unwrap_or_else(|_| date.clone());
                e.meta.push(format!("{} {shown}", page.t.get("customers.expected_on")));
            }
            e.meta.push(r.created_by);
            e.notes = r.description;
            e.history = r
                .history
                .into_iter()
                .map(|h| {
                    let note = if h.note.is_empty() { String::new() } else { format!(": {}", h.note) };
                    format!("{} {} ({}){note}", clock::format_local(h.at), h.status_label, h.by)
                })
                .collect();
            e.open_request = !r.status.is_closed();
            e
        }
        TimelineItem::Task(t) => {
            let mut e = EntryView::new("task", t.id, t.action, page.t.get("customers.task").to_owned(), t.created_at);
            e.meta.push(format!("{} {}", page.t.get("customers.assigned_to"), t.assignee.name));
            e.meta.push(
                page.t.get(if t.status == WorkStatus::Verwerkt { "tasks.done" } else { "tasks.open" }).to_owned(),
            );
            e.meta.push(t.created_by);
            e.notes = if t.result.is_empty() { t.explanation } else { format!("{}\n{}", t.explanation, t.result) };
            e.open_task = t.status == WorkStatus::TeVerwerken;
            e
        }
        TimelineItem::Callback(c) => {
            let tag = page.t.get("callbacks.one").to_owned();
            let mut e = EntryView::new("callback", c.id, c.subject.clone(), tag, c.created_at);
            e.meta.push(crate::contacts::digital_address::format_phone(&c.phone));
            e.meta.push(format!("{} {}", page.t.get("customers.assigned_to"), c.assignee.name));
            e.meta.push(match (&c.outcome, &c.remaining) {
                (Some(o), _) => o.label().to_owned(),
                (None, Some(r)) => r.label(),
                (None, None) => page.t.get("tasks.open").to_owned(),
            });
            e.meta.push(c.created_by);
            e.notes = c.note;
            e.history = c.attempt_log.iter().map(crate::work::callbacks::Attempt::history_line).collect();
            e
        }
    }
}

/// What a form sent back, to fill it in again after an error.
#[derive(Deserialize, Default, Clone)]
pub struct PartyForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    given_name: String,
    #[serde(default)]
    surname_prefix: String,
    #[serde(default)]
    surname: String,
    #[serde(default)]
    organisation_name: String,
    #[serde(default)]
    bsn: String,
    #[serde(default)]
    kvk_nummer: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    street: String,
    #[serde(default)]
    house_number: String,
    #[serde(default)]
    postcode: String,
    #[serde(default)]
    city: String,
    #[serde(default)]
    confidential: Option<String>,
}

impl PartyForm {
    /// A new-customer form that starts from a search that found nobody: what was typed lands
    /// in the field it was recognised as.
    fn from_search(lookup: &PartyLookup, typed: &str) -> PartyForm {
        let mut form = PartyForm::default();
        match lookup {
            PartyLookup::Identifier(IdentifierKind::Bsn, v) => form.bsn = v.clone(),
            PartyLookup::Identifier(IdentifierKind::KvkNummer, v) => form.kvk_nummer = v.clone(),
            PartyLookup::Identifier(..) => {}
            PartyLookup::Phone(_) => form.phone = typed.to_owned(),
            PartyLookup::Email(_) => form.email = typed.to_owned(),
            PartyLookup::Address(postcode, number) => {
                form.postcode = postcode.as_str().to_owned();
                form.house_number = number.map(|n| n.get().to_string()).unwrap_or_default();
            }
            PartyLookup::Name(_) => {
                // "Jan de Vries": the last word is the surname, a tussenvoegsel before it.
                let words: Vec<&str> = typed.split_whitespace().collect();
                if let Some((surname, rest)) = words.split_last() {
                    form.surname = (*surname).to_owned();
                    let split = rest.iter().position(|w| w.chars().next().is_some_and(char::is_lowercase));
                    let (given, prefix) = rest.split_at(split.unwrap_or(rest.len()));
                    form.given_name = given.join(" ");
                    form.surname_prefix = prefix.join(" ");
                }
            }
        }
        form
    }

    fn input(&self) -> PartyInput {
        let mut identifiers = Vec::new();
        if !self.bsn.trim().is_empty() {
            identifiers.push(IdentifierInput { kind: "bsn".into(), value: self.bsn.clone() });
        }
        if !self.kvk_nummer.trim().is_empty() {
            identifiers.push(IdentifierInput { kind: "kvk_nummer".into(), value: self.kvk_nummer.clone() });
        }
        let mut digital_addresses = Vec::new();
        if !self.phone.trim().is_empty() {
            digital_addresses.push(DigitalAddressInput {
                kind: "telefoonnummer".into(),
                value: self.phone.clone(),
                description: String::new(),
                preferred: false,
            });
        }
        if !self.email.trim().is_empty() {
            digital_addresses.push(DigitalAddressInput {
                kind: "email".into(),
                value: self.email.clone(),
                description: String::new(),
                preferred: false,
            });
        }
        PartyInput {
            kind: if self.kind.is_empty() { "persoon".into() } else { self.kind.clone() },
            given_name: self.given_name.clone(),
            surname_prefix: self.surname_prefix.clone(),
            surname: self.surname.clone(),
            organisation_name: self.organisation_name.clone(),
            confidential: self.confidential.is_some(),
            identifiers,
            digital_addresses,
            address: Some(AddressInput {
                street: self.street.clone(),
                house_number: Some(HouseNumberInput::Text(self.house_number.clone())),
                house_letter: String::new(),
                house_number_addition: String::new(),
                postcode: self.postcode.clone(),
                city: self.city.clone(),
            }),
        }
    }
}

impl PartyForm {
    /// The form field an error of [`PartyForm::input`]'s field belongs to.
    fn field_of<'a>(&self, field: &'a str) -> &'a str {
        let filled = |pairs: [(&'static str, &String); 2]| -> Vec<&'static str> {
            pairs.into_iter().filter(|(_, v)| !v.trim().is_empty()).map(|(k, _)| k).collect()
        };
        let listed = |prefix: &str, names: Vec<&'static str>| -> Option<&'static str> {
            let rest = field.strip_prefix(prefix)?.strip_prefix('[')?;
            let i: usize = rest.split(']').next()?.parse().ok()?;
            names.get(i).copied()
        };
        if let Some(f) = listed("identifiers", filled([("bsn", &self.bsn), ("kvk_nummer", &self.kvk_nummer)])) {
            return f;
        }
        if let Some(f) = listed("digital_addresses", filled([("phone", &self.phone), ("email", &self.email)])) {
            return f;
        }
        field.strip_prefix("address.").unwrap_or(field)
    }
}

#[derive(Template)]
#[template(path = "customers.html")]
struct CustomersPage {
    page: PageContext,
    q: String,
    searched: bool,
    results: Vec<PartyView>,
    may_register: bool,
    form: PartyForm,
    errors: FormErrors,
    search_error: Option<String>,
    /// A party that already holds the identifier typed in the form.
    existing: Option<Uuid>,
}

#[derive(Deserialize, Default)]
pub struct FindQuery {
    #[serde(default)]
    q: String,
}

pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Query(query): Query<FindQuery>,
) -> Response {
    let page = PageContext::new(&headers, Some(&caller), "customers.title", "/klanten");
    let q = query.q.trim().to_owned();
    let mut form = PartyForm::default();
    let (results, search_error) = if q.is_empty() {
        (Vec::new(), None)
    } else {
        match PartyLookup::guess(&q) {
            Ok(lookup) => match parties::find(&state.store, &caller, &lookup).await {
                // The only match is the customer the agent wants: no list to click through.
                Ok(found) if found.len() == 1 => {
                    return Redirect::to(&format!("/klanten/{}", found[0].id)).into_response();
                }
                Ok(found) => {
                    if found.is_empty() {
                        form = PartyForm::from_search(&lookup, &q);
                    }
                    (found.iter().map(party_view).collect(), None)
                }
                Err(e) => return problem_page(&headers, Some(&caller), e.into()),
            },
            Err(e) => (Vec::new(), Some(page.t.message(&e))),
        }
    };
    let p = CustomersPage {
        page,
        searched: !q.is_empty(),
        q,
        results,
        may_register: caller.can(Permission::RegisterContacts),
        form,
        errors: FormErrors::default(),
        search_error,
        existing: None,
    };
    render(StatusCode::OK, &p)
}

pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Form(form): Form<PartyForm>,
) -> Response {
    let (errors, existing, status) = match parties::create(&state.store, &caller, &form.input()).await {
        Ok(party) => return Redirect::to(&format!("/klanten/{}?melding=aangemaakt", party.id)).into_response(),
        Err(ContactsError::Invalid(errors)) => (errors, None, StatusCode::BAD_REQUEST),
        Err(ContactsError::DuplicateIdentifier { field, label, party_id }) => (
            vec![FieldError::new(
                &field,
                "duplicate_identifier",
                format!("Dit {label} hoort al bij een andere klant."),
            )],
            party_id,
            StatusCode::CONFLICT,
        ),
        Err(e) => return problem_page(&headers, Some(&caller), e.into()),
    };
    let errors = errors
        .into_iter()
        .map(|e| {
            let f = form.field_of(&e.field).to_owned();
            e.for_field(&f)
        })
        .collect();
    let page = PageContext::new(&headers, Some(&caller), "customers.title", "/klanten");
    let p = CustomersPage {
        page,
        q: String::new(),
        searched: false,
        results: Vec::new(),
        may_register: true,
        form,
        errors: FormErrors::new(errors),
        search_error: None,
        existing,
    };
    render(status, &p)
}

#[derive(Template)]
#[template(path = "customer.html")]
struct CustomerPage {
    page: PageContext,
    party: PartyView,
    timeline: Vec<EntryView>,
    request_types: Vec<RequestType>,
    units: Vec<Unit>,
    /// Named colleagues a task or callback can be addressed to.
    colleagues: Vec<(Uuid, String)>,
    request_statuses: Vec<(&'static str, &'static str)>,
    channels: Vec<ListEntry>,
    outcomes: Vec<ListEntry>,
    channel_filter: String,
    may_register: bool,
    may_reveal: bool,
    may_callback: bool,
    /// The caller, for "to myself" in the callback form.
    me: Uuid,
    revealed: bool,
    started_at: String,
    /// Where the contact form posts.
    contact_action: String,
    form: ContactForm,
    errors: FormErrors,
    notice: Option<&'static str>,
}

#[derive(Deserialize, Default)]
pub struct CustomerQuery {
    #[serde(default)]
    kanaal: String,
    #[serde(default)]
    melding: String,
    #[serde(default)]
    tonen: bool,
}

#[allow(clippy::too_many_arguments)]
async fn customer_page(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    id: Uuid,
    query: &CustomerQuery,
    form: ContactForm,
    errors: Vec<FieldError>,
) -> Result<CustomerPage, Problem> {
    let party = parties::get(&state.store, caller, id, query.tonen).await?;
    let timeline =
        timeline::of_party(&state.store, caller, id, Some(query.kanaal.as_str()), timeline::TIMELINE_MAX).await?;
    let path = format!("/klanten/{id}");
    let mut page = PageContext::new(headers, Some(caller), "customers.customer_title", &path);
    page.title = format!("{} — {}", party.display_name, page.title);
    let notice = match query.melding.as_str() {
        "aangemaakt" => Some("customers.created"),
        "geregistreerd" => Some("customers.registered"),
        "verzoek" => Some("customers.request_registered"),
        "status" => Some("customers.status_changed"),
        "taak" => Some("customers.task_created"),
        "afgerond" => Some("customers.task_done"),
        "terugbelverzoek" => Some("callbacks.created"),
        _ => None,
    };
    let entries = timeline.items.into_iter().map(|item| entry_view(&page, item)).collect();
    let (channels, outcomes) = desk::form_lists(state).await?;
    Ok(CustomerPage {
        page,
        revealed: query.tonen && !party.withheld && party.confidential,
        party: party_view(&party),
        timeline: entries,
        request_types: requests::types(&state.store).await?.into_iter().filter(|t| t.active).collect(),
        units: organisation::list(&state.store).await?,
        colleagues: organisation::addressees(&state.store).await?,
        request_statuses: RequestStatus::ALL.iter().map(|s| (s.id(), s.label())).collect(),
        channels,
        outcomes,
        channel_filter: query.kanaal.clone(),
        may_register: caller.can(Permission::RegisterContacts),
        may_reveal: caller.can(Permission::ReadConfidential),
        may_callback: caller.can(Permission::WorkQueue),
        me: caller.user_id,
        started_at: if form.started_at.is_empty() { clock::now().to_rfc3339() } else { form.started_at.clone() },
        contact_action: format!("/klanten/{id}/contacten"),
        form,
        errors: FormErrors::new(errors),
        notice,
    })
}

pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PageId(id): PageId,
    Query(query): Query<CustomerQuery>,
) -> Response {
    match customer_page(&state, &caller, &headers, id, &query, ContactForm::default(), Vec::new()).await {
        Ok(p) => render(StatusCode::OK, &p),
        Err(problem) => problem_page(&headers, Some(&caller), problem),
    }
}

pub async fn register_contact(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PageId(id): PageId,
    Form(form): Form<ContactForm>,
) -> Response {
    let outcome = match form.to_input(Some(id)) {
        Ok(input) => desk::register(&state, &caller, &form, &input).await,
        Err(errors) => Err(ContactsError::Invalid(errors)),
    };
    match outcome {
        Ok(_) => Redirect::to(&format!("/klanten/{id}?melding=geregistreerd#tijdlijn")).into_response(),
        Err(ContactsError::Invalid(errors)) => {
            let query = CustomerQuery::default();
            match customer_page(&state, &caller, &headers, id, &query, form.without_bad_sources(), errors).await {
                Ok(p) => render(StatusCode::BAD_REQUEST, &p),
                Err(problem) => problem_page(&headers, Some(&caller), problem),
            }
        }
        Err(e) => problem_page(&headers, Some(&caller), e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct RequestForm {
    #[serde(default)]
    request_type: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    unit_id: String,
}

/// Re-shows the customer page with the errors of one of its forms.
pub(super) async fn with_errors(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    id: Uuid,
    errors: Vec<FieldError>,
) -> Response {
    match customer_page(state, caller, headers, id, &CustomerQuery::default(), ContactForm::default(), errors).await {
        Ok(p) => render(StatusCode::BAD_REQUEST, &p),
        Err(problem) => problem_page(headers, Some(caller), problem),
    }
}

fn unit_of(field: &str) -> Option<Uuid> {
    Uuid::parse_str(field.trim()).ok()
}

pub async fn register_request(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PageId(id): PageId,
    Form(form): Form<RequestForm>,
) -> Response {
    let input = RequestInput {
        request_type: form.request_type,
        subject: form.subject,
        description: form.description,
        party_id: Some(id),
        unit_id: unit_of(&form.unit_id),
        expected_on: None,
        external_ref: None,
        contact_id: None,
    };
    match requests::create(&state.store, &caller, &input).await {
        Ok(_) => Redirect::to(&format!("/klanten/{id}?melding=verzoek#tijdlijn")).into_response(),
        Err(ContactsError::Invalid(errors)) => with_errors(&state, &caller, &headers, id, errors).await,
        Err(e) => problem_page(&headers, Some(&caller), e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct StatusForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    note: String,
    /// The customer whose page it was changed on.
    #[serde(default)]
    party_id: String,
}

pub async fn change_request_status(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PageId(request_id): PageId,
    Form(form): Form<StatusForm>,
) -> Response {
    let input = StatusInput { status: form.status, note: form.note, expected_on: None };
    let party = unit_of(&form.party_id);
    match (requests::set_status(&state.store, &caller, request_id, &input).await, party) {
        (Ok(r), _) => match r.party_id {
            Some(p) => Redirect::to(&format!("/klanten/{p}?melding=status#verzoek-{request_id}")).into_response(),
            None => Redirect::to("/klanten").into_response(),
        },
        (Err(ContactsError::Invalid(errors)), Some(p)) => with_errors(&state, &caller, &headers, p, errors).await,
        (Err(e), _) => problem_page(&headers, Some(&caller), e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct TaskForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    explanation: String,
    /// `eenheid:ID` or `medewerker:ID`.
    #[serde(default)]
    naar: String,
    /// The older form's field: a unit id.
    #[serde(default)]
    unit_id: String,
}

pub async fn create_task(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PageId(id): PageId,
    Form(form): Form<TaskForm>,
) -> Response {
    let input = TaskInput {
        contact_id: None,
        party_id: Some(id),
        action: form.action,
        explanation: form.explanation,
        assignee: if form.naar.trim().is_empty() {
            AssigneeInput { kind: "eenheid".into(), id: unit_of(&form.unit_id), name: None }
        } else {
            super::work::assignee_of(&form.naar)
        },
        due_at: None,
    };
    match tasks::create(&state.store, &caller, &input).await {
        Ok(_) => Redirect::to(&format!("/klanten/{id}?melding=taak#tijdlijn")).into_response(),
        Err(tasks::TaskError::Invalid(errors)) => with_errors(&state, &caller, &headers, id, errors).await,
        Err(e) => problem_page(&headers, Some(&caller), e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct CompleteForm {
    #[serde(default)]
    result: String,
}

#[derive(Template)]
#[template(path = "tasks.html")]
struct TasksPage {
    page: PageContext,
    tasks: Vec<TaskRowView>,
    /// A team lead: sees the team's tasks and hands them on in the work queue.
    may_distribute: bool,
    done: bool,
}

pub struct TaskRowView {
    pub id: Uuid,
    pub action: String,
    pub explanation: String,
    pub assignee: String,
    pub party_id: Option<Uuid>,
    pub created: String,
    pub created_by: String,
    /// The due time and the open time left, when the task has one.
    pub due: Option<(String, String)>,
    /// overdue, near or ok: the card's mark.
    pub urgency: &'static str,
}

#[derive(Deserialize, Default)]
pub struct TasksQuery {
    #[serde(default)]
    melding: String,
}

pub async fn worklist(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Query(q): Query<TasksQuery>,
) -> Response {
    match tasks::worklist(&state.store, &caller).await {
        Ok(list) => {
            let page = PageContext::new(&headers, Some(&caller), "tasks.title", "/taken");
            let tasks = list
                .into_iter()
                .map(|t| TaskRowView {
                    id: t.id,
                    urgency: super::urgency(t.remaining.as_ref()),
                    due: t.remaining.as_ref().map(|r| (clock::format_local(r.due_at), r.label())),
                    action: t.action,
                    explanation: t.explanation,
                    assignee: t.assignee.name,
                    party_id: t.party_id,
                    created: clock::format_local(t.created_at),
                    created_by: t.created_by,
                })
                .collect();
            let may_distribute = caller.may(crate::auth::Ability::DistributeWork);
            render(StatusCode::OK, &TasksPage { page, tasks, may_distribute, done: q.melding == "afgerond" })
        }
        Err(e) => problem_page(&headers, Some(&caller), e.into()),
    }
}

pub async fn complete_task(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    PageId(id): PageId,
    Form(form): Form<CompleteForm>,
) -> Response {
    match tasks::complete(&state.store, &caller, id, &CompleteInput { result: form.result }).await {
        Ok(_) => Redirect::to("/taken?melding=afgerond").into_response(),
        Err(e) => problem_page(&headers, Some(&caller), e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_in_minutes_and_seconds() {
        assert_eq!(duration_text(42), "42 s");
        assert_eq!(duration_text(185), "3 min 5 s");
    }

    #[test]
    fn the_form_names_errors_by_its_own_fields() {
        let form = PartyForm { kvk_nummer: "1".into(), email: "x".into(), ..PartyForm::default() };
        assert_eq!(form.field_of("identifiers[0].value"), "kvk_nummer");
        assert_eq!(form.field_of("digital_addresses[0].value"), "email");
        assert_eq!(form.field_of("address.postcode"), "postcode");
        assert_eq!(form.field_of("surname"), "surname");
    }
}
