//! Klantcontacten, betrokkenen, onderwerpobjecten and maak-klantcontact over Loket's contacts.
//!
//! Rules: `kanaal` is one of Loket's channels (by code or name, any case); `inhoud` is the
//! question and `reactie` the response, both withheld from a confidential contact for roles
//! without the right (and not searchable by them); the agent who registered a contact is its
//! actor (medewerker). maak-klantcontact stores the contact, its betrokkene and onderwerpobject
//! in one transaction.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use super::{Filters, Fk, FkIn, KlantinteractiesError, Page, Paging, Result, Urls, at_most, rename_fields};
use crate::auth::audit::{self, AuditAction, AuditEvent, Purpose};
use crate::auth::{Ability, Caller};
use crate::contacts::contact::{
    self, Contact, ContactCorrection, ContactExtras, ContactInput, NamedParticipant, SubjectObjectInput,
};
use crate::store::klantinteracties::{
    ContactFilter, NameField, ParticipantFilter, ParticipantNameRow, SubjectObjectFilter, SubjectObjectRow,
};
use crate::store::{self, Store};
use crate::validation::FieldError;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Klantcontact {
    pub uuid: Uuid,
    pub url: String,
    pub ging_over_onderwerpobjecten: Vec<Fk>,
    pub had_betrokken_actoren: Vec<serde_json::Value>,
    pub omvatte_bijlagen: Vec<Fk>,
    pub had_betrokkenen: Vec<Fk>,
    pub leidde_tot_interne_taken: Vec<Fk>,
    pub nummer: Option<String>,
    pub referentienummer: Option<String>,
    pub kanaal: String,
    pub onderwerp: String,
    pub inhoud: String,
    pub reactie: String,
    pub indicatie_contact_gelukt: Option<bool>,
    pub verdere_actie_ondernomen: bool,
    pub taal: String,
    pub vertrouwelijk: bool,
    pub plaatsgevonden_op: DateTime<Utc>,
    /// The related resources asked for with `expand`.
    #[serde(rename = "_expand", skip_serializing_if = "Option::is_none")]
    pub expand: Option<serde_json::Map<String, serde_json::Value>>,
}

/// Contacts as the standard shows them, with their subject objects, tasks and actors.
pub(super) async fn klantcontacten(
    store: &Store,
    caller: &Caller,
    urls: &Urls,
    ids: &[Uuid],
) -> Result<Vec<Klantcontact>> {
    let found = {
        let mut conn = store.acquire().await?;
        contact::many(&mut conn, caller, ids).await?
    };
    views(store, urls, &found).await
}

/// Contacts already read, as the standard shows them, with their subject objects, tasks and actors.
async fn views(store: &Store, urls: &Urls, found: &[Contact]) -> Result<Vec<Klantcontact>> {
    let ids: Vec<Uuid> = found.iter().map(|c| c.id).collect();
    let ids = ids.as_slice();
    let mut conn = store.acquire().await?;
    let subjects = store::klantinteracties::subject_objects_of(&mut conn, ids).await?;
    let tasks = store::klantinteracties::tasks_of_contacts(&mut conn, ids).await?;
    let mut agents = std::collections::HashMap::new();
    for agent in found.iter().filter_map(|c| c.agent_id) {
        if let std::collections::hash_map::Entry::Vacant(e) = agents.entry(agent)
            && let Some(user) = store::users::find_by_id(&mut conn, agent).await?
        {
            e.insert(super::tasks::medewerker(urls, &user));
        }
    }
    Ok(found
        .iter()
        .map(|c| klantcontact(urls, c, &subjects, &tasks, c.agent_id.and_then(|a| agents.get(&a).cloned())))
        .collect())
}

fn klantcontact(
    urls: &Urls,
    c: &Contact,
    subjects: &[SubjectObjectRow],
    tasks: &[store::work::WorkItemRow],
    agent: Option<serde_json::Value>,
) -> Klantcontact {
    Klantcontact {
        uuid: c.id,
        url: urls.of("klantcontacten", c.id),
        ging_over_onderwerpobjecten: subjects
            .iter()
            .filter(|s| s.contact_id == Some(c.id))
            .map(|s| urls.fk("onderwerpobjecten", s.id))
            .collect(),
        had_betrokken_actoren: agent.into_iter().collect(),
        omvatte_bijlagen: Vec::new(),
        had_betrokkenen: c.participants.iter().map(|p| urls.fk("betrokkenen", p.id)).collect(),
        leidde_tot_interne_taken: tasks
            .iter()
            .filter(|t| t.contact_id == Some(c.id))
            .map(|t| urls.fk("internetaken", t.id))
            .collect(),
        nummer: None,
        referentienummer: None,
        kanaal: at_most(&c.channel, 50),
        onderwerp: at_most(&c.subject, 200),
        inhoud: at_most(&c.question, 1_000),
        reactie: at_most(&c.response, 4_000),
        indicatie_contact_gelukt: Some(c.contact_made),
        verdere_actie_ondernomen: false,
        taal: super::language_out(&c.language),
        vertrouwelijk: c.confidential,
        plaatsgevonden_op: c.started_at,
        expand: None,
    }
}

pub(super) async fn log_read(store: &Store, caller: &Caller, what: &str, ids: &[Uuid]) -> Result<()> {
    let event = AuditEvent::new(AuditAction::ContactRead, "contact", None)
        .purpose(Purpose::CustomerContact)
        .detail(json!({ "list": what, "api": "klantinteracties", "results": ids }));
    audit::record_now(store, &caller.actor(), event).await?;
    Ok(())
}

/// A list of one party's contacts is that party's history: logged on the party, as the native
/// timeline is, so the person's inzage shows it.
pub(super) async fn log_party_history(store: &Store, caller: &Caller, party: Uuid, n: usize) -> Result<()> {
    let event = AuditEvent::new(AuditAction::TimelineRead, "party", party.to_string())
        .purpose(Purpose::CustomerContact)
        .detail(json!({ "api": "klantinteracties", "contacts": n }));
    audit::record_now(store, &caller.actor(), event).await?;
    Ok(())
}

/// `GET /klantcontacten`.
pub async fn list(
    store: &Store,
    caller: &Caller,
    urls: &Urls,
    f: &Filters,
    paging: Paging,
) -> Result<Page<Klantcontact>> {
    let mut w = Vec::new();
    if let Some(kanaal) = f.text("kanaal") {
        w.push(ContactFilter::Channel(channel_code(store, kanaal).await?));
    }
    if let Some(onderwerp) = f.text("onderwerp") {
        w.push(ContactFilter::Subject(onderwerp.to_owned()));
    }
    for (param, filter) in
        [("inhoud", ContactFilter::Question as fn(String) -> ContactFilter), ("reactie", ContactFilter::Response)]
    {
        if let Some(text) = f.text(param) {
            w.push(filter(text.to_owned()));
            // Searching a confidential text is reading it.
            if !caller.may(Ability::SeeConfidential) {
                w.push(ContactFilter::ReadableBy(caller.user_id));
            }
        }
    }
    if let Some(v) = f.bool("vertrouwelijk")? {
        w.push(ContactFilter::Confidential(v));
    }
    if let Some(v) = f.bool("indicatieContactGelukt")? {
        w.push(ContactFilter::ContactMade(v));
    }
    if let Some(at) = f.text("plaatsgevondenOp") {
        let at = DateTime::parse_from_rfc3339(at.trim()).map_err(|_| {
            FieldError::new("plaatsgevondenOp", "invalid_datetime", "Een tijdstip als 2026-12-01T10:00:00Z.")
        })?;
        w.push(ContactFilter::StartedAt(at.with_timezone(&Utc)));
    }
    let of_party = f.reference("hadBetrokkene__wasPartij")?;
    if let Some(party) = of_party {
        w.push(ContactFilter::Party(party));
    }
    if let Some(b) = f.reference("hadBetrokkene")? {
        w.push(ContactFilter::Participant(b));
    }
    if let Some(with_party) = f.bool("hadBetrokkene__wasPartij")? {
        w.push(ContactFilter::HasParty(with_party));
    }
    if let Some(value) = f.text("hadBetrokkene__wasPartij__partijIdentificator__objectId") {
        w.push(ContactFilter::PartyIdentifier {
            value: value.trim().to_owned(),
            kind: f.text("hadBetrokkene__wasPartij__partijIdentificator__codeSoortObjectId").map(str::to_owned),
            public_only: !caller.may(Ability::SeeConfidential),
        });
    }
    if let Some(part) = f.text("hadBetrokkene__digitaaladres__adres__icontains") {
        w.push(ContactFilter::PartyAddressContains(part.to_owned()));
    }
    if let Some(s) = f.reference("onderwerpobject")? {
        w.push(ContactFilter::SubjectObject(s));
    }
    if let Some(s) = f.reference("wasOnderwerpobject")? {
        w.push(ContactFilter::WasSubjectObject(s));
    }
    if let Some(object_id) = f.text("onderwerpobject__onderwerpobjectidentificatorObjectId") {
        w.push(ContactFilter::SubjectObjectId(object_id.to_owned()));
    }
    if let Some(tasks) = f.bool("leiddeTotInterneTaken")? {
        w.push(ContactFilter::LedToWork(tasks));
    }
    if f.text("nummer").is_some() || f.text("referentienummer").is_some() {
        w.push(ContactFilter::Nothing);
    }
    let mut conn = store.acquire().await?;
    let (count, ids) =
        store::klantinteracties::page_of_contacts(&mut conn, &w, paging.page_size, paging.offset()).await?;
    drop(conn);
    log_read(store, caller, "klantcontacten", &ids).await?;
    if let Some(party) = of_party {
        log_party_history(store, caller, party, ids.len()).await?;
    }
    Ok(Page { count, results: klantcontacten(store, caller, urls, &ids).await? })
}

/// `GET /klantcontacten/{uuid}`.
pub async fn get(store: &Store, caller: &Caller, urls: &Urls, id: Uuid) -> Result<Klantcontact> {
    // The domain's get logs the read.
    let found = contact::get(store, caller, id).await?;
    views(store, urls, &[found]).await?.pop().ok_or(KlantinteractiesError::NotFound("klantcontact"))
}

/// A channel code for what a client sends as `kanaal`: the code or the name, any case.
async fn channel_code(store: &Store, kanaal: &str) -> Result<String> {
    let wanted = kanaal.trim().to_lowercase();
    let channels = contact::channels(store).await?;
    Ok(channels
        .iter()
        .find(|c| c.code.to_lowercase() == wanted || c.name.to_lowercase() == wanted)
        .map_or_else(|| kanaal.trim().to_owned(), |c| c.code.clone()))
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KlantcontactIn {
    #[serde(default)]
    pub kanaal: Option<String>,
    #[serde(default)]
    pub onderwerp: Option<String>,
    #[serde(default)]
    pub inhoud: Option<String>,
    #[serde(default)]
    pub reactie: Option<String>,
    #[serde(default)]
    pub indicatie_contact_gelukt: Option<bool>,
    #[serde(default)]
    pub taal: Option<String>,
    #[serde(default)]
    pub vertrouwelijk: Option<bool>,
    #[serde(default)]
    pub plaatsgevonden_op: Option<DateTime<Utc>>,
}

const CONTACT_FIELDS: [(&str, &str); 6] = [
    ("channel", "kanaal"),
    ("subject", "onderwerp"),
    ("question", "inhoud"),
    ("response", "reactie"),
    ("language", "taal"),
    ("started_at", "plaatsgevondenOp"),
];

async fn contact_input(store: &Store, k: KlantcontactIn) -> Result<ContactInput> {
    let channel = match k.kanaal.as_deref() {
        Some(kanaal) => channel_code(store, kanaal).await?,
        None => String::new(),
    };
    Ok(ContactInput {
        channel,
        subject: k.onderwerp.unwrap_or_default(),
        product: None,
        question: k.inhoud.unwrap_or_default(),
        notes: String::new(),
        response: k.reactie.unwrap_or_default(),
        language: k.taal.as_deref().map(super::language_in),
        confidential: k.vertrouwelijk.unwrap_or(false),
        contact_made: k.indicatie_contact_gelukt.unwrap_or(true),
        started_at: k.plaatsgevonden_op,
        ended_at: None,
        outcome: None,
        unit_id: None,
        participants: Vec::new(),
        sources: Vec::new(),
        request_ids: Vec::new(),
    })
}

/// `POST /klantcontacten`.
pub async fn create(store: &Store, caller: &Caller, urls: &Urls, input: KlantcontactIn) -> Result<Klantcontact> {
    let input = contact_input(store, input).await?;
    let created = contact::register(store, caller, &input).await.map_err(|e| rename_fields(e, &CONTACT_FIELDS))?;
    views(store, urls, &[created]).await?.pop().ok_or(KlantinteractiesError::NotFound("klantcontact"))
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Betrokkene {
    pub uuid: Uuid,
    pub url: String,
    pub was_partij: Option<Fk>,
    pub had_klantcontact: Fk,
    pub digitale_adressen: Vec<Fk>,
    pub bezoekadres: Option<serde_json::Value>,
    pub correspondentieadres: Option<serde_json::Value>,
    pub contactnaam: Option<serde_json::Value>,
    pub volledige_naam: String,
    pub rol: String,
    pub organisatienaam: String,
    pub initiator: bool,
    /// The related resources asked for with `expand`.
    #[serde(rename = "_expand", skip_serializing_if = "Option::is_none")]
    pub expand: Option<serde_json::Map<String, serde_json::Value>>,
}

pub(super) async fn betrokkenen(store: &Store, urls: &Urls, ids: &[Uuid]) -> Result<Vec<Betrokkene>> {
    let mut conn = store.acquire().await?;
    let mut rows = store::klantinteracties::participants(&mut conn, ids).await?;
    rows.sort_by_key(|r| ids.iter().position(|i| *i == r.id));
    let names = store::klantinteracties::participant_names(&mut conn, ids).await?;
    let party_ids: Vec<Uuid> = rows.iter().filter_map(|r| r.party_id).collect();
    let parties: std::collections::HashMap<Uuid, String> =
        crate::contacts::parties::names(&mut conn, &party_ids).await?.into_iter().collect();
    let addresses = store::parties::digital_addresses_of(&mut conn, &party_ids).await?;
    Ok(rows
        .iter()
        .map(|r| {
            let name = names.iter().find(|n| n.participant_id == r.id);
            let given: Option<String> = name.map(|n| {
                [&n.given_name, &n.surname_prefix, &n.surname]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            });
            let full = given
                .filter(|g| !g.is_empty())
                .or_else(|| r.party_id.and_then(|p| parties.get(&p).cloned()))
                .unwrap_or_default();
            Betrokkene {
                uuid: r.id,
                url: urls.of("betrokkenen", r.id),
                was_partij: r.party_id.map(|p| urls.fk("partijen", p)),
                had_klantcontact: urls.fk("klantcontacten", r.contact_id),
                digitale_adressen: addresses
                    .iter()
                    .filter(|a| Some(a.party_id) == r.party_id)
                    .map(|a| urls.fk("digitaleadressen", a.id))
                    .collect(),
                bezoekadres: None,
                correspondentieadres: None,
                contactnaam: name.map(|n| {
                    json!({
                        "voorletters": n.initials,
                        "voornaam": n.given_name,
                        "voorvoegselAchternaam": n.surname_prefix,
                        "achternaam": n.surname,
                    })
                }),
                volledige_naam: full,
                rol: r.role.clone(),
                organisatienaam: name.map(|n| n.organisation_name.clone()).unwrap_or_default(),
                initiator: r.initiator,
                expand: None,
            }
        })
        .collect())
}

/// `GET /betrokkenen`.
pub async fn list_betrokkenen(
    store: &Store,
    caller: &Caller,
    urls: &Urls,
    f: &Filters,
    paging: Paging,
) -> Result<Page<Betrokkene>> {
    let mut w = Vec::new();
    if let Some(c) = f.reference("hadKlantcontact")? {
        w.push(ParticipantFilter::Contact(c));
    }
    let of_party = f.reference("wasPartij")?;
    if let Some(p) = of_party {
        w.push(ParticipantFilter::Party(p));
    }
    if let Some(value) = f.text("wasPartij__partijIdentificator__objectId") {
        w.push(ParticipantFilter::PartyIdentifier {
            value: value.trim().to_owned(),
            public_only: !caller.may(Ability::SeeConfidential),
        });
    }
    for (param, field) in [
        ("contactnaamVoornaam", NameField::GivenName),
        ("contactnaamAchternaam", NameField::Surname),
        ("contactnaamVoorletters", NameField::Initials),
        ("contactnaamVoorvoegselAchternaam", NameField::SurnamePrefix),
        ("organisatienaam", NameField::OrganisationName),
    ] {
        if let Some(v) = f.text(param) {
            w.push(ParticipantFilter::Name(field, v.to_owned()));
        }
    }
    if let Some(adres) = f.text("verstrektedigitaalAdres__adres") {
        w.push(ParticipantFilter::PartyAddress { lookup: adres.trim().to_lowercase(), value: adres.trim().to_owned() });
    }
    if let Some(d) = f.reference("verstrektedigitaalAdres")? {
        w.push(ParticipantFilter::PartyAddressId(d));
    }
    if f.text("hadKlantcontact__nummer").is_some()
        || f.text("hadKlantcontact__referentienummer").is_some()
        || f.text("wasPartij__nummer").is_some()
    {
        w.push(ParticipantFilter::Nothing);
    }
    let mut conn = store.acquire().await?;
    let (count, ids) =
        store::klantinteracties::page_of_participants(&mut conn, &w, paging.page_size, paging.offset()).await?;
    drop(conn);
    log_read(store, caller, "betrokkenen", &ids).await?;
    if let Some(party) = of_party {
        log_party_history(store, caller, party, ids.len()).await?;
    }
    Ok(Page { count, results: betrokkenen(store, urls, &ids).await? })
}

/// `GET /betrokkenen/{uuid}`.
pub async fn get_betrokkene(store: &Store, caller: &Caller, urls: &Urls, id: Uuid) -> Result<Betrokkene> {
    let found = betrokkenen(store, urls, &[id]).await?.pop().ok_or(KlantinteractiesError::NotFound("betrokkene"))?;
    log_read(store, caller, "betrokkene", &[id]).await?;
    Ok(found)
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BetrokkeneIn {
    #[serde(default)]
    pub was_partij: Option<FkIn>,
    #[serde(default)]
    pub had_klantcontact: Option<FkIn>,
    #[serde(default)]
    pub contactnaam: Option<super::parties::NaamIn>,
    #[serde(default)]
    pub rol: Option<String>,
    #[serde(default)]
    pub organisatienaam: Option<String>,
    #[serde(default)]
    pub initiator: Option<bool>,
}

impl BetrokkeneIn {
    fn named(&self) -> std::result::Result<NamedParticipant, FieldError> {
        let party_id = self.was_partij.as_ref().map(|fk| fk.id("betrokkene.wasPartij")).transpose()?;
        let name = self.contactnaam.clone().unwrap_or_default();
        Ok(NamedParticipant {
            party_id,
            role: self.rol.clone(),
            initiator: self.initiator.unwrap_or(false),
            name: ParticipantNameRow {
                participant_id: Uuid::nil(),
                initials: name.voorletters.unwrap_or_default(),
                given_name: name.voornaam.unwrap_or_default(),
                surname_prefix: name.voorvoegsel_achternaam.unwrap_or_default(),
                surname: name.achternaam.unwrap_or_default(),
                organisation_name: self.organisatienaam.clone().unwrap_or_default(),
            },
        })
    }
}

fn strip_prefix(e: KlantinteractiesError, prefix: &str) -> KlantinteractiesError {
    match e {
        KlantinteractiesError::Invalid(errors) => KlantinteractiesError::Invalid(
            errors
                .into_iter()
                .map(|e| {
                    let f = e.field.trim_start_matches(prefix).to_owned();
                    e.for_field(&f)
                })
                .collect(),
        ),
        other => other,
    }
}

/// `POST /betrokkenen`: a participant of a registered contact.
pub async fn create_betrokkene(store: &Store, caller: &Caller, urls: &Urls, input: BetrokkeneIn) -> Result<Betrokkene> {
    let contact_id = match &input.had_klantcontact {
        Some(fk) => fk.id("hadKlantcontact")?,
        None => return Err(FieldError::new("hadKlantcontact", "required", "Geef het klantcontact.").into()),
    };
    let named = input.named().map_err(|e| strip_prefix(e.into(), "betrokkene."))?;
    let id = contact::add_participant(store, caller, contact_id, &named)
        .await
        .map_err(|e| strip_prefix(rename_fields(e, &[]), "betrokkene."))?;
    betrokkenen(store, urls, &[id]).await?.pop().ok_or(KlantinteractiesError::NotFound("betrokkene"))
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Onderwerpobject {
    pub uuid: Uuid,
    pub url: String,
    pub klantcontact: Option<Fk>,
    pub was_klantcontact: Option<Fk>,
    pub onderwerpobjectidentificator: serde_json::Value,
}

pub(super) fn onderwerpobject(urls: &Urls, s: &SubjectObjectRow) -> Onderwerpobject {
    Onderwerpobject {
        uuid: s.id,
        url: urls.of("onderwerpobjecten", s.id),
        klantcontact: s.contact_id.map(|c| urls.fk("klantcontacten", c)),
        was_klantcontact: s.was_contact_id.map(|c| urls.fk("klantcontacten", c)),
        onderwerpobjectidentificator: json!({
            "objectId": s.object_id,
            "codeObjecttype": s.object_type,
            "codeRegister": s.register,
            "codeSoortObjectId": s.id_kind,
        }),
    }
}

/// `GET /onderwerpobjecten`.
pub async fn list_onderwerpobjecten(
    store: &Store,
    caller: &Caller,
    urls: &Urls,
    f: &Filters,
    paging: Paging,
) -> Result<Page<Onderwerpobject>> {
    let mut w = Vec::new();
    if let Some(c) = f.reference("klantcontact")? {
        w.push(SubjectObjectFilter::Contact(c));
    }
    if let Some(c) = f.reference("wasKlantcontact")? {
        w.push(SubjectObjectFilter::WasContact(c));
    }
    for (param, filter) in [
        ("onderwerpobjectidentificatorObjectId", SubjectObjectFilter::ObjectId as fn(String) -> SubjectObjectFilter),
        ("onderwerpobjectidentificatorCodeObjecttype", SubjectObjectFilter::ObjectType),
        ("onderwerpobjectidentificatorCodeRegister", SubjectObjectFilter::Register),
        ("onderwerpobjectidentificatorCodeSoortObjectId", SubjectObjectFilter::IdKind),
    ] {
        if let Some(v) = f.text(param) {
            w.push(filter(v.to_owned()));
        }
    }
    let mut conn = store.acquire().await?;
    let (count, ids) =
        store::klantinteracties::page_of_subject_objects(&mut conn, &w, paging.page_size, paging.offset()).await?;
    let mut rows = store::klantinteracties::subject_objects(&mut conn, &ids).await?;
    drop(conn);
    rows.sort_by_key(|r| ids.iter().position(|i| *i == r.id));
    log_read(store, caller, "onderwerpobjecten", &ids).await?;
    Ok(Page { count, results: rows.iter().map(|s| onderwerpobject(urls, s)).collect() })
}

/// `GET /onderwerpobjecten/{uuid}`.
pub async fn get_onderwerpobject(store: &Store, caller: &Caller, urls: &Urls, id: Uuid) -> Result<Onderwerpobject> {
    let mut conn = store.acquire().await?;
    let row = store::klantinteracties::subject_objects(&mut conn, &[id])
        .await?
        .pop()
        .ok_or(KlantinteractiesError::NotFound("onderwerpobject"))?;
    drop(conn);
    log_read(store, caller, "onderwerpobject", &[id]).await?;
    Ok(onderwerpobject(urls, &row))
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentificatorIn {
    #[serde(default)]
    pub object_id: Option<String>,
    #[serde(default)]
    pub code_objecttype: Option<String>,
    #[serde(default)]
    pub code_register: Option<String>,
    #[serde(default)]
    pub code_soort_object_id: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OnderwerpobjectIn {
    #[serde(default)]
    pub klantcontact: Option<FkIn>,
    #[serde(default)]
    pub was_klantcontact: Option<FkIn>,
    #[serde(default)]
    pub onderwerpobjectidentificator: Option<IdentificatorIn>,
}

impl OnderwerpobjectIn {
    fn subject(&self, prefix: &str) -> std::result::Result<SubjectObjectInput, FieldError> {
        let was = self.was_klantcontact.as_ref().map(|fk| fk.id(&format!("{prefix}wasKlantcontact"))).transpose()?;
        let ident = self.onderwerpobjectidentificator.clone().unwrap_or_default();
        Ok(SubjectObjectInput {
            was_contact_id: was,
            object_type: ident.code_objecttype.unwrap_or_default(),
            register: ident.code_register.unwrap_or_default(),
            id_kind: ident.code_soort_object_id.unwrap_or_default(),
            object_id: ident.object_id.unwrap_or_default(),
        })
    }
}

/// `POST /onderwerpobjecten`.
pub async fn create_onderwerpobject(
    store: &Store,
    caller: &Caller,
    urls: &Urls,
    input: OnderwerpobjectIn,
) -> Result<Onderwerpobject> {
    let contact_id = input.klantcontact.as_ref().map(|fk| fk.id("klantcontact")).transpose()?;
    let subject = input.subject("")?;
    if contact_id.is_none() && subject.was_contact_id.is_none() {
        return Err(FieldError::new(
            "klantcontact",
            "required",
            "Een onderwerpobject hoort bij een klantcontact (klantcontact of wasKlantcontact).",
        )
        .into());
    }
    let id = contact::add_subject_object(store, caller, contact_id, &subject)
        .await
        .map_err(|e| strip_prefix(rename_fields(e, &[]), "onderwerpobject."))?;
    get_onderwerpobject(store, caller, urls, id).await
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MaakKlantcontactIn {
    #[serde(default)]
    pub klantcontact: Option<KlantcontactIn>,
    #[serde(default)]
    pub betrokkene: Option<BetrokkeneIn>,
    #[serde(default)]
    pub onderwerpobject: Option<OnderwerpobjectIn>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MaakKlantcontact {
    pub klantcontact: Klantcontact,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub betrokkene: Option<Betrokkene>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub onderwerpobject: Option<Onderwerpobject>,
}

/// `POST /maak-klantcontact`: a contact with its betrokkene and onderwerpobject, all or nothing.
pub async fn maak(store: &Store, caller: &Caller, urls: &Urls, input: MaakKlantcontactIn) -> Result<MaakKlantcontact> {
    let Some(k) = input.klantcontact else {
        return Err(FieldError::new("klantcontact", "required", "Geef het klantcontact.").into());
    };
    let contact_input = contact_input(store, k).await?;
    let mut extras = ContactExtras::default();
    if let Some(b) = &input.betrokkene {
        let mut named = b.named()?;
        if b.initiator.is_none() {
            named.initiator = true;
        }
        extras.named.push(named);
    }
    if let Some(o) = &input.onderwerpobject {
        extras.subjects.push(o.subject("onderwerpobject.")?);
    }
    let renames: Vec<(&str, &str)> = CONTACT_FIELDS.iter().map(|(from, to)| (*from, *to)).collect();
    let created =
        contact::register_with(store, caller, &contact_input, &extras).await.map_err(|e| {
            match rename_fields(e, &renames) {
                KlantinteractiesError::Invalid(errors) => KlantinteractiesError::Invalid(
                    errors
                        .into_iter()
                        .map(|e| {
                            let f = if e.field.starts_with("betrokkene") || e.field.starts_with("onderwerpobject") {
                                e.field.clone()
                            } else {
                                format!("klantcontact.{}", e.field)
                            };
                            e.for_field(&f)
                        })
                        .collect(),
                ),
                other => other,
            }
        })?;
    let klantcontact = views(store, urls, std::slice::from_ref(&created))
        .await?
        .pop()
        .ok_or(KlantinteractiesError::NotFound("klantcontact"))?;
    let betrokkene = match created.participants.first() {
        Some(p) if input.betrokkene.is_some() => betrokkenen(store, urls, &[p.id]).await?.pop(),
        _ => None,
    };
    let onderwerpobject = match klantcontact.ging_over_onderwerpobjecten.first() {
        Some(fk) => Some(get_onderwerpobject(store, caller, urls, fk.uuid).await?),
        None => None,
    };
    Ok(MaakKlantcontact { klantcontact, betrokkene, onderwerpobject })
}

/// `PUT` (`whole`) and `PATCH /klantcontacten/{uuid}`: correct what was recorded. Only who
/// registered the contact, or a team lead, may; who registered it and when stay.
pub async fn update(
    store: &Store,
    caller: &Caller,
    urls: &Urls,
    id: Uuid,
    input: KlantcontactIn,
    whole: bool,
) -> Result<Klantcontact> {
    if whole {
        super::required_for_put(&[
            ("kanaal", input.kanaal.is_none()),
            ("onderwerp", input.onderwerp.is_none()),
            ("taal", input.taal.is_none()),
            ("vertrouwelijk", input.vertrouwelijk.is_none()),
        ])?;
    }
    let old = contact::many(&mut store.acquire().await?, caller, &[id])
        .await?
        .pop()
        .ok_or(KlantinteractiesError::NotFound("klantcontact"))?;
    let channel = match input.kanaal.as_deref() {
        Some(kanaal) => channel_code(store, kanaal).await?,
        None => old.channel.clone(),
    };
    let correction = ContactCorrection {
        channel,
        subject: input.onderwerp.unwrap_or(old.subject),
        question: input.inhoud.unwrap_or(old.question),
        response: input.reactie.unwrap_or(old.response),
        language: Some(input.taal.as_deref().map_or(old.language, super::language_in)),
        confidential: input.vertrouwelijk.unwrap_or(old.confidential),
        contact_made: input.indicatie_contact_gelukt.unwrap_or(old.contact_made),
        started_at: input.plaatsgevonden_op,
    };
    let corrected =
        contact::correct(store, caller, id, &correction).await.map_err(|e| rename_fields(e, &CONTACT_FIELDS))?;
    views(store, urls, &[corrected]).await?.pop().ok_or(KlantinteractiesError::NotFound("klantcontact"))
}

/// `DELETE /klantcontacten/{uuid}`: a contact registered by mistake, unless work hangs on it.
pub async fn delete(store: &Store, caller: &Caller, id: Uuid) -> Result<()> {
    Ok(contact::remove(store, caller, id).await?)
}

/// The participant as stored, or not found.
async fn participant(store: &Store, id: Uuid) -> Result<(store::contacts::ParticipantRow, ParticipantNameRow)> {
    let mut conn = store.acquire().await?;
    let row = store::klantinteracties::participants(&mut conn, &[id])
        .await?
        .pop()
        .ok_or(KlantinteractiesError::NotFound("betrokkene"))?;
    let name = store::klantinteracties::participant_names(&mut conn, &[id]).await?.pop().unwrap_or_default();
    Ok((row, name))
}

/// `PUT` (`whole`) and `PATCH /betrokkenen/{uuid}`: who took part, in which role, by which name.
pub async fn update_betrokkene(
    store: &Store,
    caller: &Caller,
    urls: &Urls,
    id: Uuid,
    input: BetrokkeneIn,
    whole: bool,
) -> Result<Betrokkene> {
    if whole {
        super::required_for_put(&[
            ("hadKlantcontact", input.had_klantcontact.is_none()),
            ("rol", input.rol.is_none()),
            ("initiator", input.initiator.is_none()),
        ])?;
    }
    let (old, old_name) = participant(store, id).await?;
    let contact_id = match &input.had_klantcontact {
        Some(fk) => fk.id("hadKlantcontact")?,
        None => old.contact_id,
    };
    let party_id = match &input.was_partij {
        Some(fk) => Some(fk.id("wasPartij")?),
        None => old.party_id,
    };
    let given = input.contactnaam.clone().unwrap_or_default();
    let named = NamedParticipant {
        party_id,
        role: Some(input.rol.clone().unwrap_or(old.role)),
        initiator: input.initiator.unwrap_or(old.initiator),
        name: ParticipantNameRow {
            participant_id: id,
            initials: given.voorletters.unwrap_or(old_name.initials),
            given_name: given.voornaam.unwrap_or(old_name.given_name),
            surname_prefix: given.voorvoegsel_achternaam.unwrap_or(old_name.surname_prefix),
            surname: given.achternaam.unwrap_or(old_name.surname),
            organisation_name: input.organisatienaam.clone().unwrap_or(old_name.organisation_name),
        },
    };
    contact::change_participant(store, caller, id, contact_id, &named)
        .await
        .map_err(|e| strip_prefix(rename_fields(e, &[]), "betrokkene."))?;
    betrokkenen(store, urls, &[id]).await?.pop().ok_or(KlantinteractiesError::NotFound("betrokkene"))
}

/// `DELETE /betrokkenen/{uuid}`.
pub async fn delete_betrokkene(store: &Store, caller: &Caller, id: Uuid) -> Result<()> {
    participant(store, id).await?;
    Ok(contact::remove_participant(store, caller, id).await?)
}

/// `PUT` and `PATCH /onderwerpobjecten/{uuid}` (nothing in it is required).
pub async fn update_onderwerpobject(
    store: &Store,
    caller: &Caller,
    urls: &Urls,
    id: Uuid,
    input: OnderwerpobjectIn,
    _whole: bool,
) -> Result<Onderwerpobject> {
    let old = store::klantinteracties::subject_objects(&mut store.acquire().await?, &[id])
        .await?
        .pop()
        .ok_or(KlantinteractiesError::NotFound("onderwerpobject"))?;
    let contact_id = match &input.klantcontact {
        Some(fk) => Some(fk.id("klantcontact")?),
        None => old.contact_id,
    };
    let was_contact_id = match &input.was_klantcontact {
        Some(fk) => Some(fk.id("wasKlantcontact")?),
        None => old.was_contact_id,
    };
    let given = input.onderwerpobjectidentificator.unwrap_or_default();
    let subject = SubjectObjectInput {
        was_contact_id,
        object_type: given.code_objecttype.unwrap_or(old.object_type),
        register: given.code_register.unwrap_or(old.register),
        id_kind: given.code_soort_object_id.unwrap_or(old.id_kind),
        object_id: given.object_id.unwrap_or(old.object_id),
    };
    contact::change_subject_object(store, caller, id, contact_id, &subject)
        .await
        .map_err(|e| strip_prefix(rename_fields(e, &[]), "onderwerpobject."))?;
    get_onderwerpobject(store, caller, urls, id).await
}

/// `DELETE /onderwerpobjecten/{uuid}`.
pub async fn delete_onderwerpobject(store: &Store, caller: &Caller, id: Uuid) -> Result<()> {
    if store::klantinteracties::subject_objects(&mut store.acquire().await?, &[id]).await?.is_empty() {
        return Err(KlantinteractiesError::NotFound("onderwerpobject"));
    }
    Ok(contact::remove_subject_object(store, caller, id).await?)
}
