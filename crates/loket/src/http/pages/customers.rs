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

use super::{FormErrors, PageContext, PageId, problem_page, render};
use crate::auth::{Caller, Permission};
use crate::clock;
use crate::contacts::ContactsError;
use crate::contacts::contact::{self, Contact, ContactInput, ListEntry, ParticipantInput, TimelineItem};
use crate::contacts::parties::{
    self, AddressInput, DigitalAddressInput, HouseNumberInput, IdentifierInput, Party, PartyInput, PartyLookup,
};
use crate::http::AppState;
use crate::http::problem::Problem;
use crate::validation::FieldError;

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

fn party_view(p: &Party) -> PartyView {
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

pub struct ContactView {
    pub id: Uuid,
    pub channel: String,
    pub subject: String,
    pub at: String,
    pub at_iso: String,
    pub duration: String,
    pub outcome: String,
    pub agent: String,
    pub question: String,
    pub notes: String,
    pub withheld: bool,
    pub confidential: bool,
    pub contact_made: bool,
    pub sources: Vec<String>,
}

fn duration_text(seconds: i64) -> String {
    if seconds < 60 { format!("{seconds} s") } else { format!("{} min {} s", seconds / 60, seconds % 60) }
}

fn contact_view(c: Contact) -> ContactView {
    ContactView {
        id: c.id,
        channel: c.channel_name,
        subject: c.subject,
        at: clock::format_local(c.started_at),
        at_iso: c.started_at.to_rfc3339(),
        duration: c.duration_s.map(duration_text).unwrap_or_default(),
        outcome: c.outcome_name.unwrap_or_default(),
        agent: c.agent_name,
        question: c.question,
        notes: c.notes,
        withheld: c.withheld,
        confidential: c.confidential,
        contact_made: c.contact_made,
        sources: c.sources.into_iter().map(|s| s.title).collect(),
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
    let (results, search_error) = if q.is_empty() {
        (Vec::new(), None)
    } else {
        match PartyLookup::guess(&q) {
            Ok(lookup) => match parties::find(&state.store, &caller, &lookup).await {
                Ok(found) => (found.iter().map(party_view).collect(), None),
                Err(e) => return problem_page(&headers, Some(&caller), e.into()),
            },
            Err(e) => (Vec::new(), Some(e.message)),
        }
    };
    let p = CustomersPage {
        page,
        searched: !q.is_empty(),
        q,
        results,
        may_register: caller.can(Permission::RegisterContacts),
        form: PartyForm::default(),
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
            Some(party_id),
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
        errors: FormErrors(errors),
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
    timeline: Vec<ContactView>,
    channels: Vec<ListEntry>,
    outcomes: Vec<ListEntry>,
    channel_filter: String,
    may_register: bool,
    may_reveal: bool,
    revealed: bool,
    started_at: String,
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

#[derive(Deserialize, Default, Clone)]
pub struct ContactForm {
    #[serde(default)]
    channel: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    question: String,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    not_reached: Option<String>,
    #[serde(default)]
    confidential: Option<String>,
    /// When the page opened: the contact's start.
    #[serde(default)]
    started_at: String,
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
        contact::timeline(&state.store, caller, id, Some(query.kanaal.as_str()), contact::TIMELINE_MAX).await?;
    let path = format!("/klanten/{id}");
    let mut page = PageContext::new(headers, Some(caller), "customers.customer_title", &path);
    page.title = format!("{} — {}", party.display_name, page.title);
    let notice = match query.melding.as_str() {
        "aangemaakt" => Some("customers.created"),
        "geregistreerd" => Some("customers.registered"),
        _ => None,
    };
    Ok(CustomerPage {
        page,
        revealed: query.tonen && !party.withheld && party.confidential,
        party: party_view(&party),
        timeline: timeline.items.into_iter().map(|TimelineItem::Contact(c)| contact_view(c)).collect(),
        channels: contact::channels(&state.store).await?.into_iter().filter(|c| c.active).collect(),
        outcomes: contact::outcomes(&state.store).await?.into_iter().filter(|c| c.active).collect(),
        channel_filter: query.kanaal.clone(),
        may_register: caller.can(Permission::RegisterContacts),
        may_reveal: caller.can(Permission::ReadConfidential),
        started_at: if form.started_at.is_empty() { clock::now().to_rfc3339() } else { form.started_at.clone() },
        form,
        errors: FormErrors(errors),
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
    let started_at = DateTime::parse_from_rfc3339(form.started_at.trim()).ok().map(|t| t.with_timezone(&Utc));
    let input = ContactInput {
        channel: form.channel.clone(),
        subject: form.subject.clone(),
        product: None,
        question: form.question.clone(),
        notes: form.notes.clone(),
        response: String::new(),
        language: None,
        confidential: form.confidential.is_some(),
        contact_made: form.not_reached.is_none(),
        started_at,
        ended_at: started_at.map(|_| clock::now()),
        outcome: Some(form.outcome.clone()),
        unit_id: None,
        participants: vec![ParticipantInput { party_id: id, role: None, initiator: true }],
        sources: Vec::new(),
    };
    match contact::register(&state.store, &caller, &input).await {
        Ok(_) => Redirect::to(&format!("/klanten/{id}?melding=geregistreerd#tijdlijn")).into_response(),
        Err(ContactsError::Invalid(errors)) => {
            let query = CustomerQuery::default();
            match customer_page(&state, &caller, &headers, id, &query, form, errors).await {
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
