//! Customers and contacts: find and register parties, register contacts (klantcontacten), read
//! one contact and a customer's timeline. Every read is logged by the domain.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::auth::Caller;
use crate::contacts::ContactsError;
use crate::contacts::contact::{self, Contact, ContactInput, ListEntry};
use crate::contacts::digital_address::{EmailAddress, PhoneNumber};
use crate::contacts::drafts::{self, Draft, DraftInput};
use crate::contacts::identifiers::{Huisnummer, Postcode};
use crate::contacts::lists::{self, ListEntryInput};
use crate::contacts::parties::{self, DigitalAddressInput, IdentifierKind, Party, PartyInput, PartyLookup};
use crate::contacts::requests::{self, Request, RequestInput, RequestType, StatusInput};
use crate::customer::privacy::{self, ErasureInput, ErasureReport, PersonalDataExport};
use crate::customer::timeline::{self, Timeline};
use crate::http::AppState;
use crate::http::problem::{ApiJson, ApiPath, ApiQuery, Problem};
use crate::store::contacts::ContactList;
use crate::validation::FieldError;
use crate::work::WorkItem;
use crate::work::tasks::{self, CompleteInput, TaskInput};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FindParams {
    /// One search box: a name, BSN, KvK number, vestigingsnummer, phone number, e-mail address,
    /// or postcode with huisnummer ("1234 AB 12").
    q: Option<String>,
    bsn: Option<String>,
    kvk_nummer: Option<String>,
    vestigingsnummer: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    postcode: Option<String>,
    huisnummer: Option<String>,
    name: Option<String>,
}

fn given(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl FindParams {
    fn lookup(&self) -> Result<PartyLookup, FieldError> {
        let identifier = |kind: IdentifierKind, field: &str, v: &str| {
            kind.normalise(v).map(|v| PartyLookup::Identifier(kind, v)).map_err(|e| e.for_field(field))
        };
        if let Some(v) = given(&self.bsn) {
            return identifier(IdentifierKind::Bsn, "bsn", v);
        }
        if let Some(v) = given(&self.kvk_nummer) {
            return identifier(IdentifierKind::KvkNummer, "kvk_nummer", v);
        }
        if let Some(v) = given(&self.vestigingsnummer) {
            return identifier(IdentifierKind::Vestigingsnummer, "vestigingsnummer", v);
        }
        if let Some(v) = given(&self.phone) {
            return PhoneNumber::parse(v).map(PartyLookup::Phone).map_err(|e| e.for_field("phone"));
        }
        if let Some(v) = given(&self.email) {
            return EmailAddress::parse(v).map(PartyLookup::Email).map_err(|e| e.for_field("email"));
        }
        if let Some(v) = given(&self.postcode) {
            let postcode = Postcode::parse(v)?;
            let number = given(&self.huisnummer).map(Huisnummer::parse).transpose()?;
            return Ok(PartyLookup::Address(postcode, number));
        }
        if let Some(v) = given(&self.name) {
            return match PartyLookup::guess(v).map_err(|e| e.for_field("name"))? {
                lookup @ PartyLookup::Name(_) => Ok(lookup),
                _ => Err(FieldError::new("name", "not_a_name", "Zoek op naam met letters; gebruik q voor nummers.")),
            };
        }
        match given(&self.q) {
            Some(q) => PartyLookup::guess(q),
            None => Err(FieldError::new(
                "q",
                "required",
                "Geef q of een van bsn, kvk_nummer, vestigingsnummer, phone, email, postcode, name.",
            )),
        }
    }
}

/// Find customers by name, BSN, KvK number, phone number, e-mail or postcode + huisnummer.
#[utoipa::path(get, path = "/api/v1/parties", tag = "contacts", params(FindParams),
    responses((status = 200, body = [Party]), (status = 400, body = Problem)))]
pub async fn find(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(p): ApiQuery<FindParams>,
) -> Result<Json<Vec<Party>>, Problem> {
    let lookup = p.lookup().map_err(|e| ContactsError::Invalid(vec![e]))?;
    Ok(Json(parties::find(&state.store, &caller, &lookup).await?))
}

/// Register a party (person, organisation or contact person).
#[utoipa::path(post, path = "/api/v1/parties", tag = "contacts", request_body = PartyInput,
    responses((status = 201, body = Party), (status = 400, body = Problem), (status = 409, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<PartyInput>,
) -> Result<impl IntoResponse, Problem> {
    Ok((StatusCode::CREATED, Json(parties::create(&state.store, &caller, &input).await?)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GetPartyParams {
    /// Lift geheimhouding for this reading (needs the right; logged).
    #[serde(default)]
    reveal: bool,
}

/// One party.
#[utoipa::path(get, path = "/api/v1/parties/{id}", tag = "contacts", params(("id" = Uuid, Path), GetPartyParams),
    responses((status = 200, body = Party), (status = 404, body = Problem)))]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(p): ApiQuery<GetPartyParams>,
) -> Result<Json<Party>, Problem> {
    Ok(Json(parties::get(&state.store, &caller, id, p.reveal).await?))
}

/// Add an e-mail address, phone number or other digital address to a party.
#[utoipa::path(post, path = "/api/v1/parties/{id}/digital-addresses", tag = "contacts", params(("id" = Uuid, Path)),
    request_body = DigitalAddressInput,
    responses((status = 201, body = Party), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn add_digital_address(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<DigitalAddressInput>,
) -> Result<impl IntoResponse, Problem> {
    Ok((StatusCode::CREATED, Json(parties::add_digital_address(&state.store, &caller, id, &input).await?)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TimelineParams {
    /// Only contacts on this channel (a channel code).
    channel: Option<String>,
    /// At most this many items, 1–1,000 (default 100).
    limit: Option<i64>,
}

/// A customer's timeline: every contact on every channel, newest first.
#[utoipa::path(get, path = "/api/v1/parties/{id}/timeline", tag = "contacts", params(("id" = Uuid, Path), TimelineParams),
    responses((status = 200, body = Timeline), (status = 404, body = Problem)))]
pub async fn timeline(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(p): ApiQuery<TimelineParams>,
) -> Result<Json<Timeline>, Problem> {
    let limit = p.limit.unwrap_or(100);
    Ok(Json(timeline::of_party(&state.store, &caller, id, p.channel.as_deref(), limit).await?))
}

/// Register a contact (klantcontact), with its participants and the sources used.
#[utoipa::path(post, path = "/api/v1/contacts", tag = "contacts", request_body = ContactInput,
    responses((status = 201, body = Contact), (status = 400, body = Problem)))]
pub async fn register(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<ContactInput>,
) -> Result<impl IntoResponse, Problem> {
    Ok((StatusCode::CREATED, Json(contact::register(&state.store, &caller, &input).await?)))
}

/// One contact.
#[utoipa::path(get, path = "/api/v1/contacts/{id}", tag = "contacts", params(("id" = Uuid, Path)),
    responses((status = 200, body = Contact), (status = 404, body = Problem)))]
pub async fn get_contact(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<Contact>, Problem> {
    Ok(Json(contact::get(&state.store, &caller, id).await?))
}

/// The channels (kanalen) a contact can be registered on.
#[utoipa::path(get, path = "/api/v1/contact-channels", tag = "contacts", responses((status = 200, body = [ListEntry])))]
pub async fn channels(State(state): State<AppState>, _caller: Caller) -> Result<Json<Vec<ListEntry>>, Problem> {
    Ok(Json(contact::channels(&state.store).await?))
}

/// The outcomes (gespreksresultaten) a contact can end with.
#[utoipa::path(get, path = "/api/v1/contact-outcomes", tag = "contacts", responses((status = 200, body = [ListEntry])))]
pub async fn outcomes(State(state): State<AppState>, _caller: Caller) -> Result<Json<Vec<ListEntry>>, Problem> {
    Ok(Json(contact::outcomes(&state.store).await?))
}

/// Add a channel or change its name, place or use (beheerder). The code is permanent.
#[utoipa::path(put, path = "/api/v1/contact-channels/{code}", tag = "contacts", params(("code" = String, Path)),
    request_body = ListEntryInput, responses((status = 200, body = ListEntry), (status = 400, body = Problem)))]
pub async fn save_channel(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
    ApiJson(input): ApiJson<ListEntryInput>,
) -> Result<Json<ListEntry>, Problem> {
    Ok(Json(lists::save(&state.store, &caller.actor(), ContactList::Channels, &code, &input).await?))
}

/// Add an outcome or change its name, place or use (beheerder). The code is permanent.
#[utoipa::path(put, path = "/api/v1/contact-outcomes/{code}", tag = "contacts", params(("code" = String, Path)),
    request_body = ListEntryInput, responses((status = 200, body = ListEntry), (status = 400, body = Problem)))]
pub async fn save_outcome(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
    ApiJson(input): ApiJson<ListEntryInput>,
) -> Result<Json<ListEntry>, Problem> {
    Ok(Json(lists::save(&state.store, &caller.actor(), ContactList::Outcomes, &code, &input).await?))
}

/// The kinds of request (verzoektypen) with their usual handling time.
#[utoipa::path(get, path = "/api/v1/request-types", tag = "contacts", responses((status = 200, body = [RequestType])))]
pub async fn request_types(State(state): State<AppState>, _caller: Caller) -> Result<Json<Vec<RequestType>>, Problem> {
    Ok(Json(requests::types(&state.store).await?))
}

/// Register a request (verzoek) for a party, optionally from the contact it was asked in.
#[utoipa::path(post, path = "/api/v1/requests", tag = "contacts", request_body = RequestInput,
    responses((status = 201, body = Request), (status = 400, body = Problem)))]
pub async fn create_request(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<RequestInput>,
) -> Result<impl IntoResponse, Problem> {
    Ok((StatusCode::CREATED, Json(requests::create(&state.store, &caller, &input).await?)))
}

/// One request with its status history and the contacts about it.
#[utoipa::path(get, path = "/api/v1/requests/{id}", tag = "contacts", params(("id" = Uuid, Path)),
    responses((status = 200, body = Request), (status = 404, body = Problem)))]
pub async fn get_request(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<Request>, Problem> {
    Ok(Json(requests::get(&state.store, &caller, id).await?))
}

/// Set a request's status (and expected date); other systems use this with a token.
#[utoipa::path(post, path = "/api/v1/requests/{id}/status", tag = "contacts", params(("id" = Uuid, Path)),
    request_body = StatusInput,
    responses((status = 200, body = Request), (status = 400, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn set_request_status(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<StatusInput>,
) -> Result<Json<Request>, Problem> {
    Ok(Json(requests::set_status(&state.store, &caller, id, &input).await?))
}

/// Create an internal task (interne taak) for a colleague, a unit or an automated actor.
#[utoipa::path(post, path = "/api/v1/tasks", tag = "contacts", request_body = TaskInput,
    responses((status = 201, body = WorkItem), (status = 400, body = Problem)))]
pub async fn create_task(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<TaskInput>,
) -> Result<impl IntoResponse, Problem> {
    Ok((StatusCode::CREATED, Json(tasks::create(&state.store, &caller, &input).await?)))
}

/// The caller's worklist: open tasks for them and their unit (a team lead: all of the team's), oldest due first.
#[utoipa::path(get, path = "/api/v1/tasks", tag = "contacts", responses((status = 200, body = [WorkItem])))]
pub async fn task_worklist(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<WorkItem>>, Problem> {
    Ok(Json(tasks::worklist(&state.store, &caller).await?))
}

/// Finish a task with its result (once).
#[utoipa::path(post, path = "/api/v1/tasks/{id}/complete", tag = "contacts", params(("id" = Uuid, Path)),
    request_body = CompleteInput,
    responses((status = 200, body = WorkItem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn complete_task(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<CompleteInput>,
) -> Result<Json<WorkItem>, Problem> {
    Ok(Json(tasks::complete(&state.store, &caller, id, &input).await?))
}

/// Everything Loket holds about a party, for an inzageverzoek (beheerder; logged).
#[utoipa::path(get, path = "/api/v1/parties/{id}/export", tag = "contacts", params(("id" = Uuid, Path)),
    responses((status = 200, body = PersonalDataExport), (status = 404, body = Problem)))]
pub async fn export_party(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<PersonalDataExport>, Problem> {
    Ok(Json(privacy::export(&state.store, &caller, id).await?))
}

/// Erase a party and the free text about them on request (beheerder; logged with the reason).
#[utoipa::path(post, path = "/api/v1/parties/{id}/erase", tag = "contacts", params(("id" = Uuid, Path)),
    request_body = ErasureInput,
    responses((status = 200, body = ErasureReport), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn erase_party(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<ErasureInput>,
) -> Result<Json<ErasureReport>, Problem> {
    Ok(Json(privacy::erase(&state.store, &caller, id, &input).await?))
}

/// The caller's contacts in progress (concepten), oldest first.
#[utoipa::path(get, path = "/api/v1/contact-drafts", tag = "contacts", responses((status = 200, body = [Draft])))]
pub async fn drafts(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<Draft>>, Problem> {
    Ok(Json(drafts::mine(&state.store, &caller).await?))
}

/// Save a contact in progress under an id the client chose (a UUID); saving again replaces it.
#[utoipa::path(put, path = "/api/v1/contact-drafts/{id}", tag = "contacts", params(("id" = Uuid, Path)),
    request_body = DraftInput,
    responses((status = 200, body = Draft), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn save_draft(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<DraftInput>,
) -> Result<Json<Draft>, Problem> {
    Ok(Json(drafts::save(&state.store, &caller, id, &input).await?))
}

/// Discard a contact in progress.
#[utoipa::path(delete, path = "/api/v1/contact-drafts/{id}", tag = "contacts", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
pub async fn discard_draft(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<StatusCode, Problem> {
    drafts::discard(&state.store, &caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
