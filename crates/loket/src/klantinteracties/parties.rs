//! Partijen, partij-identificatoren and digitaleadressen over Loket's parties.
//!
//! Rules: the register table of the standard decides which identifier fits which party
//! (brp/natuurlijk_persoon/bsn for persons and contact persons, hr/niet_natuurlijk_persoon/
//! rsin or kvk_nummer and hr/vestiging/vestigingsnummer for organisations); under geheimhouding
//! identifiers and addresses are left out for roles without the right, and identifier lists
//! never show a confidential party's numbers to them. A digital address always belongs to a
//! party in Loket.

use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use super::{Filters, Fk, FkIn, KlantinteractiesError, Page, Paging, Result, Urls, at_most, rename_fields};
use crate::auth::audit::{self, AuditAction, AuditEvent, Purpose};
use crate::auth::{Ability, Caller};
use crate::contacts::parties::{
    self, AddressInput, DigitalAddressInput, DigitalAddressKind, HouseNumberInput, IdentifierInput, IdentifierKind,
    Party, PartyChange, PartyInput, PartyKind,
};
use crate::customer::privacy::ErasureInput;
use crate::store::klantinteracties::{AddressFilter, IdentifierFilter, IdentifierMatch, PartyFilter};
use crate::store::{self, Store};
use crate::validation::FieldError;

/// (codeRegister, codeObjecttype) of each kind of identifier, from the standard.
fn register_of(kind: IdentifierKind) -> (&'static str, &'static str) {
    match kind {
        IdentifierKind::Bsn => ("brp", "natuurlijk_persoon"),
        IdentifierKind::KvkNummer | IdentifierKind::Rsin => ("hr", "niet_natuurlijk_persoon"),
        IdentifierKind::Vestigingsnummer => ("hr", "vestiging"),
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentificatorGroep {
    pub code_objecttype: &'static str,
    pub code_soort_object_id: &'static str,
    pub object_id: String,
    pub code_register: &'static str,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PartijIdentificator {
    pub uuid: Uuid,
    pub url: String,
    pub identificeerde_partij: Option<Fk>,
    pub partij_identificator: IdentificatorGroep,
    pub sub_identificator_van: Option<Fk>,
}

fn identificator(urls: &Urls, party_id: Uuid, id: Uuid, kind: IdentifierKind, value: &str) -> PartijIdentificator {
    let (register, object_type) = register_of(kind);
    PartijIdentificator {
        uuid: id,
        url: urls.of("partij-identificatoren", id),
        identificeerde_partij: Some(urls.fk("partijen", party_id)),
        partij_identificator: IdentificatorGroep {
            code_objecttype: object_type,
            code_soort_object_id: kind.id(),
            object_id: value.to_owned(),
            code_register: register,
        },
        sub_identificator_van: None,
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Adres {
    pub straatnaam: String,
    pub huisnummer: Option<i64>,
    pub huisnummertoevoeging: String,
    pub postcode: String,
    pub stad: String,
    pub adresregel1: String,
    pub adresregel2: String,
    pub adresregel3: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Partij {
    pub uuid: Uuid,
    pub url: String,
    pub nummer: Option<String>,
    pub interne_notitie: String,
    pub betrokkenen: Vec<Fk>,
    pub categorie_relaties: Vec<Fk>,
    pub digitale_adressen: Vec<Fk>,
    pub voorkeurs_digitaal_adres: Option<Fk>,
    pub vertegenwoordigden: Vec<Fk>,
    pub rekeningnummers: Vec<Fk>,
    pub voorkeurs_rekeningnummer: Option<Fk>,
    pub partij_identificatoren: Vec<PartijIdentificator>,
    pub soort_partij: &'static str,
    pub indicatie_geheimhouding: bool,
    pub voorkeurstaal: String,
    pub indicatie_actief: bool,
    pub bezoekadres: Option<Adres>,
    pub correspondentieadres: Option<Adres>,
    pub partij_identificatie: serde_json::Value,
    /// The related resources asked for with `expand`.
    #[serde(rename = "_expand", skip_serializing_if = "Option::is_none")]
    pub expand: Option<serde_json::Map<String, serde_json::Value>>,
}

fn partij(urls: &Urls, p: &Party, betrokkenen: Vec<Fk>) -> Partij {
    let contactnaam = json!({
        "voorletters": "",
        "voornaam": p.given_name,
        "voorvoegselAchternaam": at_most(&p.surname_prefix, 10),
        "achternaam": p.surname,
    });
    let identificatie = match p.kind {
        PartyKind::Organisatie => json!({ "naam": p.organisation_name }),
        PartyKind::Persoon => json!({ "contactnaam": contactnaam, "volledigeNaam": p.display_name }),
        PartyKind::Contactpersoon => {
            json!({ "werkteVoorPartij": null, "contactnaam": contactnaam, "volledigeNaam": p.display_name })
        }
    };
    let adres = p.address.as_ref().map(|a| {
        let mut addition = a.house_letter.clone();
        if !a.house_number_addition.is_empty() {
            if !addition.is_empty() {
                addition.push('-');
            }
            addition.push_str(&a.house_number_addition);
        }
        Adres {
            straatnaam: a.street.clone(),
            huisnummer: Some(a.house_number),
            huisnummertoevoeging: addition,
            postcode: a.postcode.clone(),
            stad: a.city.clone(),
            adresregel1: String::new(),
            adresregel2: String::new(),
            adresregel3: String::new(),
        }
    });
    Partij {
        uuid: p.id,
        url: urls.of("partijen", p.id),
        nummer: None,
        interne_notitie: String::new(),
        betrokkenen,
        categorie_relaties: Vec::new(),
        digitale_adressen: p.digital_addresses.iter().map(|d| urls.fk("digitaleadressen", d.id)).collect(),
        voorkeurs_digitaal_adres: p
            .digital_addresses
            .iter()
            .find(|d| d.preferred)
            .map(|d| urls.fk("digitaleadressen", d.id)),
        vertegenwoordigden: Vec::new(),
        rekeningnummers: Vec::new(),
        voorkeurs_rekeningnummer: None,
        partij_identificatoren: p
            .identifiers
            .iter()
            .map(|i| identificator(urls, p.id, i.id, i.kind, &i.value))
            .collect(),
        soort_partij: p.kind.id(),
        indicatie_geheimhouding: p.confidential,
        voorkeurstaal: "nld".into(),
        indicatie_actief: true,
        bezoekadres: adres,
        correspondentieadres: None,
        partij_identificatie: identificatie,
        expand: None,
    }
}

/// Parties as the standard shows them, with the contacts each took part in.
pub(super) async fn partijen(store: &Store, caller: &Caller, urls: &Urls, ids: &[Uuid]) -> Result<Vec<Partij>> {
    let mut conn = store.acquire().await?;
    let found = parties::many(&mut conn, caller, ids).await?;
    let participants = store::klantinteracties::participants_of_parties(&mut conn, ids).await?;
    Ok(found
        .iter()
        .map(|p| {
            let betrokkenen = participants
                .iter()
                .filter(|b| b.party_id == Some(p.id))
                .map(|b| urls.fk("betrokkenen", b.id))
                .collect();
            partij(urls, p, betrokkenen)
        })
        .collect())
}

pub(super) async fn log_read(store: &Store, caller: &Caller, by: &str, ids: &[Uuid]) -> Result<()> {
    let event = AuditEvent::new(AuditAction::PartiesSearched, "party", None)
        .purpose(Purpose::CustomerContact)
        .detail(json!({ "by": by, "api": "klantinteracties", "results": ids }));
    audit::record_now(store, &caller.actor(), event).await?;
    Ok(())
}

/// The identifier kinds a filter on the standard's codes leaves (None: no restriction).
fn kinds_for(register: Option<&str>, object_type: Option<&str>, kind: Option<&str>) -> Vec<&'static str> {
    [IdentifierKind::Bsn, IdentifierKind::KvkNummer, IdentifierKind::Rsin, IdentifierKind::Vestigingsnummer]
        .into_iter()
        .filter(|k| {
            let (r, t) = register_of(*k);
            register.is_none_or(|x| x == r) && object_type.is_none_or(|x| x == t) && kind.is_none_or(|x| x == k.id())
        })
        .map(IdentifierKind::id)
        .collect()
}

/// The identifier filters under `prefix` (register, object type, kind, value), when any is given.
fn identifier_match(prefix: &str, f: &Filters) -> Option<IdentifierMatch> {
    let register = f.text(&format!("{prefix}codeRegister"));
    let object_type = f.text(&format!("{prefix}codeObjecttype"));
    let kind = f.text(&format!("{prefix}codeSoortObjectId"));
    let value = f.text(&format!("{prefix}objectId"));
    if register.is_none() && object_type.is_none() && kind.is_none() && value.is_none() {
        return None;
    }
    let kinds = kinds_for(register, object_type, kind).into_iter().map(str::to_owned).collect();
    Some(IdentifierMatch { kinds, value: value.map(|v| v.trim().to_owned()) })
}

/// `GET /partijen`.
pub async fn list(store: &Store, caller: &Caller, urls: &Urls, f: &Filters, paging: Paging) -> Result<Page<Partij>> {
    let mut w = Vec::new();
    if let Some(kind) = f.text("soortPartij") {
        w.push(PartyFilter::Kind(kind.to_owned()));
    }
    if let Some(secret) = f.bool("indicatieGeheimhouding")? {
        w.push(PartyFilter::Confidential(secret));
    }
    if f.bool("indicatieActief")? == Some(false) {
        w.push(PartyFilter::Nothing);
    }
    // Who holds a number is what geheimhouding protects.
    if let Some(m) = identifier_match("partijIdentificator__", f) {
        w.push(PartyFilter::Identifier(m));
        if !caller.may(Ability::SeeConfidential) {
            w.push(PartyFilter::Confidential(false));
        }
    }
    let mut conn = store.acquire().await?;
    let (count, ids) =
        store::klantinteracties::page_of_parties(&mut conn, &w, paging.page_size, paging.offset()).await?;
    drop(conn);
    log_read(store, caller, "klantinteracties_partijen", &ids).await?;
    Ok(Page { count, results: partijen(store, caller, urls, &ids).await? })
}

/// `GET /partijen/{uuid}`.
pub async fn get(store: &Store, caller: &Caller, urls: &Urls, id: Uuid) -> Result<Partij> {
    let party = parties::get(store, caller, id, false).await?;
    let mut conn = store.acquire().await?;
    let participants = store::klantinteracties::participants_of_parties(&mut conn, &[id]).await?;
    Ok(partij(urls, &party, participants.iter().map(|b| urls.fk("betrokkenen", b.id)).collect()))
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentificatorGroepIn {
    #[serde(default)]
    pub code_objecttype: Option<String>,
    #[serde(default)]
    pub code_soort_object_id: Option<String>,
    #[serde(default)]
    pub object_id: Option<String>,
    #[serde(default)]
    pub code_register: Option<String>,
}

impl IdentificatorGroepIn {
    fn parse(&self, field: &str) -> std::result::Result<IdentifierInput, FieldError> {
        let kind_text = self.code_soort_object_id.as_deref().unwrap_or("").trim();
        let Some(kind) = IdentifierKind::parse(kind_text) else {
            return Err(FieldError::new(
                &format!("{field}.codeSoortObjectId"),
                "unknown_identifier_kind",
                "Kies bsn, kvk_nummer, vestigingsnummer of rsin.",
            ));
        };
        let (register, object_type) = register_of(kind);
        if self.code_register.as_deref().is_some_and(|r| r != register) {
            return Err(FieldError::new(
                &format!("{field}.codeRegister"),
                "wrong_register",
                format!("Een {} staat in register {register}.", kind.id()),
            ));
        }
        if self.code_objecttype.as_deref().is_some_and(|t| t != object_type) {
            return Err(FieldError::new(
                &format!("{field}.codeObjecttype"),
                "wrong_object_type",
                format!("Een {} hoort bij objecttype {object_type}.", kind.id()),
            ));
        }
        Ok(IdentifierInput { kind: kind.id().to_owned(), value: self.object_id.clone().unwrap_or_default() })
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PartijIdentificatorIn {
    #[serde(default)]
    pub identificeerde_partij: Option<FkIn>,
    #[serde(default)]
    pub partij_identificator: Option<IdentificatorGroepIn>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdresIn {
    #[serde(default)]
    pub straatnaam: Option<String>,
    #[serde(default)]
    pub huisnummer: Option<i64>,
    #[serde(default)]
    pub huisnummertoevoeging: Option<String>,
    #[serde(default)]
    pub postcode: Option<String>,
    #[serde(default)]
    pub stad: Option<String>,
}

impl AdresIn {
    fn into_input(self) -> AddressInput {
        // "12a", "a" and "a-2" are a house letter, possibly with an addition; "2" or "bis" an addition.
        let addition = self.huisnummertoevoeging.unwrap_or_default();
        let addition = addition.trim();
        let mut chars = addition.chars();
        let (letter, rest) = match (chars.next(), chars.next()) {
            (Some(c), None) if c.is_ascii_alphabetic() => (c.to_string(), String::new()),
            (Some(c), Some('-' | ' ')) if c.is_ascii_alphabetic() => (c.to_string(), addition[2..].trim().to_owned()),
            _ => (String::new(), addition.to_owned()),
        };
        AddressInput {
            street: self.straatnaam.unwrap_or_default(),
            house_number: self.huisnummer.map(HouseNumberInput::Number),
            house_letter: letter,
            house_number_addition: rest,
            postcode: self.postcode.unwrap_or_default(),
            city: self.stad.unwrap_or_default(),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NaamIn {
    #[serde(default)]
    pub voornaam: Option<String>,
    #[serde(default)]
    pub voorvoegsel_achternaam: Option<String>,
    #[serde(default)]
    pub achternaam: Option<String>,
    #[serde(default)]
    pub voorletters: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PartijIdentificatieIn {
    #[serde(default)]
    pub contactnaam: Option<NaamIn>,
    #[serde(default)]
    pub naam: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PartijIn {
    #[serde(default)]
    pub soort_partij: Option<String>,
    #[serde(default)]
    pub partij_identificatie: Option<PartijIdentificatieIn>,
    #[serde(default)]
    pub partij_identificatoren: Option<Vec<PartijIdentificatorIn>>,
    #[serde(default)]
    pub indicatie_geheimhouding: Option<bool>,
    #[serde(default)]
    pub bezoekadres: Option<AdresIn>,
    #[serde(default)]
    pub correspondentieadres: Option<AdresIn>,
    /// Only on PUT and PATCH: which of the party's digital addresses is preferred.
    #[serde(default)]
    pub voorkeurs_digitaal_adres: Option<FkIn>,
}

/// Loket's field names of a party and the standard's.
const PARTY_FIELDS: [(&str, &str); 14] = [
    ("confidential", "indicatieGeheimhouding"),
    ("preferred_address", "voorkeursDigitaalAdres"),
    ("kind", "soortPartij"),
    ("given_name", "partijIdentificatie.contactnaam.voornaam"),
    ("surname_prefix", "partijIdentificatie.contactnaam.voorvoegselAchternaam"),
    ("surname", "partijIdentificatie.contactnaam.achternaam"),
    ("organisation_name", "partijIdentificatie.naam"),
    ("identifiers", "partijIdentificatoren"),
    ("address.street", "bezoekadres.straatnaam"),
    ("address.house_number_addition", "bezoekadres.huisnummertoevoeging"),
    ("address.house_number", "bezoekadres.huisnummer"),
    ("address.house_letter", "bezoekadres.huisnummertoevoeging"),
    ("address.postcode", "bezoekadres.postcode"),
    ("address.city", "bezoekadres.stad"),
];

/// `POST /partijen`: a party with its identifiers, all or nothing.
pub async fn create(store: &Store, caller: &Caller, urls: &Urls, input: PartijIn) -> Result<Partij> {
    let mut errors = Vec::new();
    let kind = input.soort_partij.clone().unwrap_or_default();
    if PartyKind::parse(&kind).is_none() {
        errors.push(FieldError::new(
            "soortPartij",
            "unknown_party_kind",
            "Kies persoon, organisatie of contactpersoon.",
        ));
    }
    let ident = input.partij_identificatie.unwrap_or_default();
    let name = ident.contactnaam.unwrap_or_default();
    let mut identifiers = Vec::new();
    for (i, p) in input.partij_identificatoren.unwrap_or_default().iter().enumerate() {
        let field = format!("partijIdentificatoren[{i}].partijIdentificator");
        match p.partij_identificator.as_ref().map(|g| g.parse(&field)) {
            Some(Ok(id)) => identifiers.push(id),
            Some(Err(e)) => errors.push(e),
            None => errors.push(FieldError::new(&field, "required", "Geef de identificator.")),
        }
    }
    if !errors.is_empty() {
        return Err(KlantinteractiesError::Invalid(errors));
    }
    let address = input.bezoekadres.or(input.correspondentieadres).map(AdresIn::into_input);
    let party_input = PartyInput {
        kind,
        given_name: name.voornaam.unwrap_or_default(),
        surname_prefix: name.voorvoegsel_achternaam.unwrap_or_default(),
        surname: name.achternaam.unwrap_or_default(),
        organisation_name: ident.naam.unwrap_or_default(),
        confidential: input.indicatie_geheimhouding.unwrap_or(false),
        identifiers,
        digital_addresses: Vec::new(),
        address,
    };
    let party = parties::create(store, caller, &party_input).await.map_err(|e| rename_fields(e, &PARTY_FIELDS))?;
    Ok(partij(urls, &party, Vec::new()))
}

/// `GET /partij-identificatoren`.
pub async fn list_identificatoren(
    store: &Store,
    caller: &Caller,
    urls: &Urls,
    f: &Filters,
    paging: Paging,
) -> Result<Page<PartijIdentificator>> {
    let kind = f.text("partijIdentificatorCodeSoortObjectId");
    let kinds = kinds_for(f.text("partijIdentificatorCodeRegister"), f.text("partijIdentificatorCodeObjecttype"), kind);
    let mut w = vec![IdentifierFilter::Kinds(kinds.into_iter().map(str::to_owned).collect())];
    if let Some(v) = f.text("partijIdentificatorObjectId") {
        w.push(IdentifierFilter::Value(v.trim().to_owned()));
    }
    if f.text("anderePartijIdentificator").is_some_and(|v| !v.is_empty()) {
        w.push(IdentifierFilter::Nothing);
    }
    // Numbers under geheimhouding are only shown when lifted on purpose (native API, logged),
    // never in a list: the same as reading one identificator here.
    w.push(IdentifierFilter::PublicOnly);
    let mut conn = store.acquire().await?;
    let (count, ids) =
        store::klantinteracties::page_of_identifiers(&mut conn, &w, paging.page_size, paging.offset()).await?;
    let mut rows = store::klantinteracties::identifiers(&mut conn, &ids).await?;
    drop(conn);
    rows.sort_by_key(|r| ids.iter().position(|i| *i == r.id));
    let parties: Vec<Uuid> = rows.iter().map(|r| r.party_id).collect();
    log_read(store, caller, "klantinteracties_partij_identificatoren", &parties).await?;
    let results = rows
        .iter()
        .filter_map(|r| Some(identificator(urls, r.party_id, r.id, IdentifierKind::parse(&r.kind)?, &r.value)))
        .collect();
    Ok(Page { count, results })
}

/// `GET /partij-identificatoren/{uuid}`: read through its party, so geheimhouding applies.
pub async fn get_identificator(store: &Store, caller: &Caller, urls: &Urls, id: Uuid) -> Result<PartijIdentificator> {
    let mut conn = store.acquire().await?;
    let row = store::klantinteracties::identifiers(&mut conn, &[id])
        .await?
        .pop()
        .ok_or(KlantinteractiesError::NotFound("partij-identificator"))?;
    drop(conn);
    let party = parties::get(store, caller, row.party_id, false).await?;
    let ident =
        party.identifiers.iter().find(|i| i.id == id).ok_or(KlantinteractiesError::NotFound("partij-identificator"))?;
    Ok(identificator(urls, party.id, ident.id, ident.kind, &ident.value))
}

/// `POST /partij-identificatoren`: a number for a registered party.
pub async fn create_identificator(
    store: &Store,
    caller: &Caller,
    urls: &Urls,
    input: PartijIdentificatorIn,
) -> Result<PartijIdentificator> {
    let party_id = input.party_id()?;
    let group = input.partij_identificator.unwrap_or_default();
    let ident = group.parse("partijIdentificator")?;
    let added = parties::add_identifier(store, caller, party_id, &ident).await.map_err(|e| {
        rename_fields(
            e,
            &[("kind", "partijIdentificator.codeSoortObjectId"), ("value", "partijIdentificator.objectId")],
        )
    })?;
    Ok(identificator(urls, party_id, added.id, added.kind, &added.value))
}

impl PartijIdentificatorIn {
    fn party_id(&self) -> std::result::Result<Uuid, FieldError> {
        match &self.identificeerde_partij {
            Some(fk) => fk.id("identificeerdePartij"),
            None => Err(FieldError::new(
                "identificeerdePartij",
                "required",
                "In Loket hoort een identificator bij een partij: geef identificeerdePartij.",
            )),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DigitaalAdres {
    pub uuid: Uuid,
    pub url: String,
    pub verstrekt_door_betrokkene: Option<Fk>,
    pub verstrekt_door_partij: Option<Fk>,
    pub adres: String,
    pub soort_digitaal_adres: &'static str,
    pub is_standaard_adres: bool,
    pub omschrijving: String,
    pub verificatie_datum: Option<String>,
}

pub(super) fn digitaal_adres(
    urls: &Urls,
    party_id: Uuid,
    d: &store::parties::DigitalAddressRow,
) -> Option<DigitaalAdres> {
    Some(DigitaalAdres {
        uuid: d.id,
        url: urls.of("digitaleadressen", d.id),
        verstrekt_door_betrokkene: None,
        verstrekt_door_partij: Some(urls.fk("partijen", party_id)),
        adres: d.value.clone(),
        soort_digitaal_adres: DigitalAddressKind::parse(&d.kind)?.id(),
        is_standaard_adres: d.preferred,
        omschrijving: at_most(&d.description, 40),
        verificatie_datum: None,
    })
}

/// `GET /digitaleadressen`.
pub async fn list_adressen(
    store: &Store,
    caller: &Caller,
    urls: &Urls,
    f: &Filters,
    paging: Paging,
) -> Result<Page<DigitaalAdres>> {
    let mut w = Vec::new();
    if let Some(kind) = f.text("soortDigitaalAdres") {
        w.push(AddressFilter::Kind(kind.to_owned()));
    }
    if let Some(adres) = f.text("adres") {
        // The number as typed ("06 1234 5678") is the stored E.164 one.
        let kind = f.text("soortDigitaalAdres").and_then(DigitalAddressKind::parse);
        let lookup = match kind {
            Some(k) => k.normalise(adres).map(|(_, l)| l).unwrap_or_else(|_| adres.to_lowercase()),
            None => crate::contacts::digital_address::PhoneNumber::parse(adres)
                .map(|p| p.as_str().to_owned())
                .unwrap_or_else(|_| adres.trim().to_lowercase()),
        };
        w.push(AddressFilter::Lookup(lookup));
    }
    if let Some(part) = f.text("adres__icontains") {
        w.push(AddressFilter::Contains(part.to_owned()));
    }
    if let Some(preferred) = f.bool("isStandaardAdres")? {
        w.push(AddressFilter::Preferred(preferred));
    }
    if let Some(o) = f.text("omschrijving") {
        w.push(AddressFilter::Description(o.to_owned()));
    }
    if let Some(party) = f.reference("verstrektDoorPartij")? {
        w.push(AddressFilter::Party(party));
    }
    if let Some(kind) = f.text("verstrektDoorPartij__soortPartij") {
        w.push(AddressFilter::PartyKind(kind.to_owned()));
    }
    if let Some(m) = identifier_match("verstrektDoorPartij__partijIdentificator__", f) {
        w.push(AddressFilter::PartyIdentifier(m));
        if !caller.may(Ability::SeeConfidential) {
            w.push(AddressFilter::PublicPartiesOnly);
        }
    }
    // Loket keeps no addresses given only for one contact, nor verification dates.
    if f.reference("verstrektDoorBetrokkene")?.is_some() || f.bool("isGeverifieerd")? == Some(true) {
        w.push(AddressFilter::Nothing);
    }
    let mut conn = store.acquire().await?;
    let (count, ids) =
        store::klantinteracties::page_of_addresses(&mut conn, &w, paging.page_size, paging.offset()).await?;
    let mut rows = store::klantinteracties::digital_addresses(&mut conn, &ids).await?;
    drop(conn);
    rows.sort_by_key(|r| ids.iter().position(|i| *i == r.id));
    let parties: Vec<Uuid> = rows.iter().map(|r| r.party_id).collect();
    log_read(store, caller, "klantinteracties_digitaleadressen", &parties).await?;
    Ok(Page { count, results: rows.iter().filter_map(|r| digitaal_adres(urls, r.party_id, r)).collect() })
}

/// `GET /digitaleadressen/{uuid}`.
pub async fn get_adres(store: &Store, caller: &Caller, urls: &Urls, id: Uuid) -> Result<DigitaalAdres> {
    let mut conn = store.acquire().await?;
    let row = store::klantinteracties::digital_addresses(&mut conn, &[id])
        .await?
        .pop()
        .ok_or(KlantinteractiesError::NotFound("digitaal adres"))?;
    drop(conn);
    log_read(store, caller, "klantinteracties_digitaal_adres", &[row.party_id]).await?;
    digitaal_adres(urls, row.party_id, &row).ok_or(KlantinteractiesError::NotFound("digitaal adres"))
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DigitaalAdresIn {
    #[serde(default)]
    pub verstrekt_door_partij: Option<FkIn>,
    #[serde(default)]
    pub adres: Option<String>,
    #[serde(default)]
    pub soort_digitaal_adres: Option<String>,
    #[serde(default)]
    pub is_standaard_adres: Option<bool>,
    #[serde(default)]
    pub omschrijving: Option<String>,
}

/// `POST /digitaleadressen`: an e-mail address or phone number of a registered party.
pub async fn create_adres(
    store: &Store,
    caller: &Caller,
    urls: &Urls,
    input: DigitaalAdresIn,
) -> Result<DigitaalAdres> {
    let party_id = match &input.verstrekt_door_partij {
        Some(fk) => fk.id("verstrektDoorPartij")?,
        None => {
            return Err(FieldError::new(
                "verstrektDoorPartij",
                "required",
                "In Loket hoort een digitaal adres bij een partij: geef verstrektDoorPartij.",
            )
            .into());
        }
    };
    if input.adres.as_deref().is_some_and(|a| a.trim().chars().count() > 80) {
        return Err(FieldError::new("adres", "too_long", "Een digitaal adres is hier hoogstens 80 tekens.").into());
    }
    let address = DigitalAddressInput {
        kind: input.soort_digitaal_adres.unwrap_or_default(),
        value: input.adres.unwrap_or_default(),
        description: input.omschrijving.unwrap_or_default(),
        preferred: input.is_standaard_adres.unwrap_or(false),
    };
    let party = parties::add_digital_address(store, caller, party_id, &address).await.map_err(|e| {
        rename_fields(e, &[("kind", "soortDigitaalAdres"), ("value", "adres"), ("description", "omschrijving")])
    })?;
    let kind = DigitalAddressKind::parse(&address.kind).ok_or(KlantinteractiesError::NotFound("digitaal adres"))?;
    let stored = kind.normalise(&address.value).map(|(v, _)| v).unwrap_or_default();
    let added = party
        .digital_addresses
        .iter()
        .find(|d| d.kind == kind && d.value == stored)
        .ok_or(KlantinteractiesError::NotFound("digitaal adres"))?;
    Ok(shown_address(urls, party_id, added))
}

/// A party's digital address as the standard shows it.
fn shown_address(urls: &Urls, party_id: Uuid, d: &crate::contacts::parties::DigitalAddress) -> DigitaalAdres {
    DigitaalAdres {
        uuid: d.id,
        url: urls.of("digitaleadressen", d.id),
        verstrekt_door_betrokkene: None,
        verstrekt_door_partij: Some(urls.fk("partijen", party_id)),
        adres: d.value.clone(),
        soort_digitaal_adres: d.kind.id(),
        is_standaard_adres: d.preferred,
        omschrijving: at_most(&d.description, 40),
        verificatie_datum: None,
    }
}

/// `PUT` (`whole`) and `PATCH /partijen/{uuid}`: names, geheimhouding, address and the preferred
/// digital address. The kind stays; identifiers change through `/partij-identificatoren` (on a
/// partij they are left as they are, so a client may send back what it read).
pub async fn update(
    store: &Store,
    caller: &Caller,
    urls: &Urls,
    id: Uuid,
    input: PartijIn,
    whole: bool,
) -> Result<Partij> {
    if whole {
        super::required_for_put(&[
            ("soortPartij", input.soort_partij.is_none()),
            ("partijIdentificatie", input.partij_identificatie.is_none()),
        ])?;
    }
    let old = store::parties::find_party(&mut store.acquire().await?, id)
        .await?
        .ok_or(KlantinteractiesError::NotFound("partij"))?;
    if input.soort_partij.as_deref().is_some_and(|k| k != old.kind) {
        return Err(FieldError::new(
            "soortPartij",
            "immutable",
            "Een partij blijft wat zij is; registreer een nieuwe partij van de andere soort.",
        )
        .into());
    }
    let preferred_address =
        input.voorkeurs_digitaal_adres.as_ref().map(|fk| fk.id("voorkeursDigitaalAdres")).transpose()?;
    let ident = input.partij_identificatie.unwrap_or_default();
    let name = ident.contactnaam.unwrap_or_default();
    let kept_address = old.postcode.clone().map(|postcode| AddressInput {
        street: old.street.clone(),
        house_number: old.house_number.map(|n| HouseNumberInput::Number(i64::from(n))),
        house_letter: old.house_letter.clone(),
        house_number_addition: old.house_number_addition.clone(),
        postcode,
        city: old.city.clone(),
    });
    let change = PartyChange {
        given_name: name.voornaam.unwrap_or(old.given_name),
        surname_prefix: name.voorvoegsel_achternaam.unwrap_or(old.surname_prefix),
        surname: name.achternaam.unwrap_or(old.surname),
        organisation_name: ident.naam.unwrap_or(old.organisation_name),
        confidential: input.indicatie_geheimhouding.unwrap_or(old.confidential),
        address: input.bezoekadres.or(input.correspondentieadres).map(AdresIn::into_input).or(kept_address),
        preferred_address,
    };
    parties::change(store, caller, id, &change).await.map_err(|e| rename_fields(e, &PARTY_FIELDS))?;
    get(store, caller, urls, id).await
}

/// `DELETE /partijen/{uuid}`: the person's data is erased as on an AVG request (the figures of
/// their contacts stay); only for roles that handle such requests.
pub async fn delete(store: &Store, caller: &Caller, id: Uuid) -> Result<()> {
    let reason = ErasureInput { reason: "Verwijderd via de Klantinteracties-API".into() };
    crate::customer::privacy::erase(store, caller, id, &reason).await?;
    Ok(())
}

/// `PUT` (`whole`) and `PATCH /partij-identificatoren/{uuid}`: another kind or number for the
/// same party.
pub async fn update_identificator(
    store: &Store,
    caller: &Caller,
    urls: &Urls,
    id: Uuid,
    input: PartijIdentificatorIn,
    whole: bool,
) -> Result<PartijIdentificator> {
    if whole {
        super::required_for_put(&[("partijIdentificator", input.partij_identificator.is_none())])?;
    }
    let old = visible_identifier(store, caller, id).await?;
    if input.identificeerde_partij.is_some() && input.party_id()? != old.party_id {
        return Err(FieldError::new(
            "identificeerdePartij",
            "immutable",
            "Een identificator blijft bij zijn partij; verwijder hem en voeg hem toe bij de andere.",
        )
        .into());
    }
    let given = input.partij_identificator.unwrap_or_default();
    let group = IdentificatorGroepIn {
        code_soort_object_id: given.code_soort_object_id.or(Some(old.kind)),
        object_id: given.object_id.or(Some(old.value)),
        ..given
    };
    let ident = group.parse("partijIdentificator")?;
    let changed = parties::change_identifier(store, caller, id, &ident).await.map_err(|e| {
        rename_fields(
            e,
            &[("kind", "partijIdentificator.codeSoortObjectId"), ("value", "partijIdentificator.objectId")],
        )
    })?;
    Ok(identificator(urls, old.party_id, changed.id, changed.kind, &changed.value))
}

/// `DELETE /partij-identificatoren/{uuid}`.
pub async fn delete_identificator(store: &Store, caller: &Caller, id: Uuid) -> Result<()> {
    visible_identifier(store, caller, id).await?;
    Ok(parties::remove_identifier(store, caller, id).await?)
}

/// An identifier as stored, when `caller` may see it: a confidential party's numbers answer as
/// if they did not exist (as when reading one), before any other check can tell them apart.
async fn visible_identifier(store: &Store, caller: &Caller, id: Uuid) -> Result<store::parties::IdentifierRow> {
    let mut conn = store.acquire().await?;
    let not_found = || KlantinteractiesError::NotFound("partij-identificator");
    let row = store::klantinteracties::identifiers(&mut conn, &[id]).await?.pop().ok_or_else(not_found)?;
    let party = store::parties::find_party(&mut conn, row.party_id).await?.ok_or_else(not_found)?;
    if party.confidential && !caller.may(Ability::SeeConfidential) {
        return Err(not_found());
    }
    Ok(row)
}

/// `PUT` (`whole`) and `PATCH /digitaleadressen/{uuid}`: another value, kind or description, or
/// the preferred one of its party. It stays with its party.
pub async fn update_adres(
    store: &Store,
    caller: &Caller,
    urls: &Urls,
    id: Uuid,
    input: DigitaalAdresIn,
    whole: bool,
) -> Result<DigitaalAdres> {
    if whole {
        super::required_for_put(&[
            ("adres", input.adres.is_none()),
            ("soortDigitaalAdres", input.soort_digitaal_adres.is_none()),
        ])?;
    }
    let old = store::klantinteracties::digital_addresses(&mut store.acquire().await?, &[id])
        .await?
        .pop()
        .ok_or(KlantinteractiesError::NotFound("digitaal adres"))?;
    if let Some(fk) = &input.verstrekt_door_partij
        && fk.id("verstrektDoorPartij")? != old.party_id
    {
        return Err(FieldError::new(
            "verstrektDoorPartij",
            "immutable",
            "Een digitaal adres blijft bij zijn partij; verwijder het en voeg het toe bij de andere.",
        )
        .into());
    }
    if input.adres.as_deref().is_some_and(|a| a.trim().chars().count() > 80) {
        return Err(FieldError::new("adres", "too_long", "Een digitaal adres is hier hoogstens 80 tekens.").into());
    }
    let address = DigitalAddressInput {
        kind: input.soort_digitaal_adres.unwrap_or(old.kind),
        value: input.adres.unwrap_or(old.value),
        description: input.omschrijving.unwrap_or(old.description),
        preferred: input.is_standaard_adres.unwrap_or(old.preferred),
    };
    let party = parties::change_digital_address(store, caller, id, &address).await.map_err(|e| {
        rename_fields(e, &[("kind", "soortDigitaalAdres"), ("value", "adres"), ("description", "omschrijving")])
    })?;
    let changed =
        party.digital_addresses.iter().find(|d| d.id == id).ok_or(KlantinteractiesError::NotFound("digitaal adres"))?;
    Ok(shown_address(urls, party.id, changed))
}

/// `DELETE /digitaleadressen/{uuid}`.
pub async fn delete_adres(store: &Store, caller: &Caller, id: Uuid) -> Result<()> {
    if store::klantinteracties::digital_addresses(&mut store.acquire().await?, &[id]).await?.is_empty() {
        return Err(KlantinteractiesError::NotFound("digitaal adres"));
    }
    Ok(parties::remove_digital_address(store, caller, id).await?)
}
