//! Parties (partijen): persons, organisations and contact persons, with their identifiers,
//! digital addresses and address.
//!
//! Rules:
//! - A person or contact person has a surname (given name and prefix optional); an organisation
//!   has a name. The name shown is built from those parts; lookups match it folded (no case, no
//!   diacritics), so "özdemir" finds "Özdemir".
//! - Identifiers are parsed (BSN and RSIN with the 11-proef, KvK number 8 digits,
//!   vestigingsnummer 12). A BSN belongs to a person, the others to an organisation. Each value
//!   belongs to one party: a second party with it is refused, pointing at the first (the
//!   database's unique constraint decides when two agents register the same citizen at once).
//! - Digital addresses are parsed by kind (phone numbers in E.164); exactly one is preferred when
//!   there are any (the first, unless another is marked).
//! - An address needs postcode and huisnummer together; street and city are optional.
//! - Geheimhouding: address and identifiers are left out for callers without
//!   [`Permission::ReadConfidential`]; a caller with it sees them only when asking to (`reveal`),
//!   and each such reading is logged as `confidentiality_lifted`. Callers without that
//!   permission do not find a confidential party by an identifier or an address at all (the
//!   search box, `?bsn=` and the Klantinteracties filters alike).
//! - A name that finds nobody as typed is looked up by its consonant skeleton (`Kramr` finds
//!   Kramer; words under four letters stay as typed).
//! - Every read, of one party or a search, is in the audit log with purpose `klantcontact`, written
//!   before the data leaves.
//! - Changes: a party keeps its kind; identifiers and digital addresses change one by one with
//!   the same checks as when added, and stay with their party. What geheimhouding hides from a
//!   caller (address, identifiers) the caller does not change either, and only a caller who may
//!   look behind it lifts it.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::digital_address::{EmailAddress, PhoneNumber, format_phone};
use super::identifiers::{Bsn, Huisnummer, KvkNumber, Postcode, Rsin, Vestigingsnummer};
use super::{ContactsError, optional_text};
use crate::auth::audit::{self, AuditAction, AuditEvent, Purpose};
use crate::auth::{Ability, Caller};
use crate::clock;
use crate::store::parties::{DigitalAddressRow, IdentifierRow, PartyRow};
use crate::store::{self, Executor, Store, StoreError, Tx};
use crate::validation::{Checks, FieldError};

const NAME_MAX: usize = 200;
const MAX_IDENTIFIERS: usize = 10;
const MAX_DIGITAL_ADDRESSES: usize = 20;
/// Most parties a lookup returns: a person at a desk reads a short list.
pub const FIND_LIMIT: i64 = 25;

macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $id:literal, $label:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
        pub enum $name { $(#[serde(rename = $id)] $variant),* }

        $crate::string_enum_schema!($name, [$($id),*]);

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            pub fn id(self) -> &'static str {
                match self { $($name::$variant => $id),* }
            }
            /// The Dutch name shown on screen.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),* }
            }
            pub fn parse(s: &str) -> Option<$name> {
                let s = s.trim();
                $name::ALL.iter().copied().find(|k| k.id() == s)
            }
        }
    };
}

code_enum!(
    /// What kind of party (soort partij).
    PartyKind {
        Persoon => "persoon", "Persoon",
        Organisatie => "organisatie", "Organisatie",
        Contactpersoon => "contactpersoon", "Contactpersoon",
    }
);

code_enum!(
    /// Which register an identifier comes from.
    IdentifierKind {
        Bsn => "bsn", "BSN",
        KvkNummer => "kvk_nummer", "KvK-nummer",
        Vestigingsnummer => "vestigingsnummer", "Vestigingsnummer",
        Rsin => "rsin", "RSIN",
    }
);

code_enum!(
    /// What a digital address is.
    DigitalAddressKind {
        Email => "email", "E-mail",
        Telefoonnummer => "telefoonnummer", "Telefoonnummer",
        Overig => "overig", "Overig",
    }
);

impl IdentifierKind {
    /// The value in its one stored form, or the rule it breaks.
    pub fn normalise(self, value: &str) -> Result<String, FieldError> {
        Ok(match self {
            IdentifierKind::Bsn => Bsn::parse(value)?.as_str().to_owned(),
            IdentifierKind::KvkNummer => KvkNumber::parse(value)?.as_str().to_owned(),
            IdentifierKind::Vestigingsnummer => Vestigingsnummer::parse(value)?.as_str().to_owned(),
            IdentifierKind::Rsin => Rsin::parse(value)?.as_str().to_owned(),
        })
    }

    fn allowed_for(self, party: PartyKind) -> bool {
        match self {
            IdentifierKind::Bsn => party != PartyKind::Organisatie,
            _ => party == PartyKind::Organisatie,
        }
    }
}

impl DigitalAddressKind {
    /// (as stored and shown, as looked up) for a typed value, or the rule it breaks.
    pub fn normalise(self, value: &str) -> Result<(String, String), FieldError> {
        match self {
            DigitalAddressKind::Email => {
                let e = EmailAddress::parse(value)?;
                Ok((e.as_str().to_owned(), e.as_str().to_lowercase()))
            }
            DigitalAddressKind::Telefoonnummer => {
                let p = PhoneNumber::parse(value)?;
                Ok((p.as_str().to_owned(), p.as_str().to_owned()))
            }
            DigitalAddressKind::Overig => {
                let v = crate::validation::text(value, 1, 500)?;
                let lookup = loket_search::analysis::fold(&v);
                Ok((v, lookup))
            }
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentifierInput {
    /// bsn, kvk_nummer, vestigingsnummer or rsin.
    pub kind: String,
    pub value: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DigitalAddressInput {
    /// email, telefoonnummer or overig.
    pub kind: String,
    pub value: String,
    /// What it is for, e.g. "werk" or "alleen 's avonds".
    #[serde(default)]
    pub description: String,
    /// The address to use first.
    #[serde(default)]
    pub preferred: bool,
}

/// A house number as JSON sends it (a number) or a form does (text).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum HouseNumberInput {
    Number(i64),
    Text(String),
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressInput {
    #[serde(default)]
    pub street: String,
    #[serde(default)]
    pub house_number: Option<HouseNumberInput>,
    #[serde(default)]
    pub house_letter: String,
    #[serde(default)]
    pub house_number_addition: String,
    #[serde(default)]
    pub postcode: String,
    #[serde(default)]
    pub city: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartyInput {
    /// persoon, organisatie or contactpersoon.
    pub kind: String,
    #[serde(default)]
    pub given_name: String,
    /// Voorvoegsel: "van", "de", "van der".
    #[serde(default)]
    pub surname_prefix: String,
    #[serde(default)]
    pub surname: String,
    #[serde(default)]
    pub organisation_name: String,
    /// Geheimhouding of address and identifiers.
    #[serde(default)]
    pub confidential: bool,
    #[serde(default)]
    pub identifiers: Vec<IdentifierInput>,
    #[serde(default)]
    pub digital_addresses: Vec<DigitalAddressInput>,
    #[serde(default)]
    pub address: Option<AddressInput>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Identifier {
    pub id: Uuid,
    pub kind: IdentifierKind,
    pub value: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DigitalAddress {
    pub id: Uuid,
    pub kind: DigitalAddressKind,
    /// As stored: a phone number in E.164.
    pub value: String,
    /// As shown: a Dutch phone number grouped (020 123 4567).
    pub display: String,
    pub description: String,
    pub preferred: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Address {
    pub street: String,
    pub house_number: i64,
    pub house_letter: String,
    pub house_number_addition: String,
    /// `1234 AB`.
    pub postcode: String,
    pub city: String,
}

impl Address {
    /// "Dorpsstraat 12a-2, 1234 AB Ons Dorp" as written on an envelope; without a street the
    /// way an agent reads it back: "1234 AB 12a-2".
    pub fn one_line(&self) -> String {
        let mut number = self.house_number.to_string();
        number.push_str(&self.house_letter);
        if !self.house_number_addition.is_empty() {
            number.push('-');
            number.push_str(&self.house_number_addition);
        }
        let line = if self.street.is_empty() {
            format!("{} {number}", self.postcode)
        } else {
            format!("{} {number}, {}", self.street, self.postcode)
        };
        match (self.city.is_empty(), self.street.is_empty()) {
            (true, _) => line,
            (false, true) => format!("{line}, {}", self.city),
            (false, false) => format!("{line} {}", self.city),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Party {
    pub id: Uuid,
    pub kind: PartyKind,
    pub display_name: String,
    pub given_name: String,
    pub surname_prefix: String,
    pub surname: String,
    pub organisation_name: String,
    /// Geheimhouding: address and identifiers are shown only when lifted.
    pub confidential: bool,
    /// True when address and identifiers were left out because of geheimhouding.
    pub withheld: bool,
    pub identifiers: Vec<Identifier>,
    pub digital_addresses: Vec<DigitalAddress>,
    pub address: Option<Address>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Party {
    pub fn preferred_phone(&self) -> Option<&DigitalAddress> {
        self.digital_addresses.iter().find(|d| d.kind == DigitalAddressKind::Telefoonnummer)
    }

    pub fn preferred_email(&self) -> Option<&DigitalAddress> {
        self.digital_addresses.iter().find(|d| d.kind == DigitalAddressKind::Email)
    }
}

/// What a lookup looks for; one search box guesses it from what was typed ([`PartyLookup::guess`]).
#[derive(Debug, Clone, PartialEq)]
pub enum PartyLookup {
    Identifier(IdentifierKind, String),
    Phone(PhoneNumber),
    Email(EmailAddress),
    Address(Postcode, Option<Huisnummer>),
    /// Folded words, each the start of a word of the name.
    Name(Vec<String>),
}

impl PartyLookup {
    /// Whether this lookup goes by what geheimhouding protects (an identifier or an address).
    /// Without [`Permission::ReadConfidential`] a confidential party is not found that way at
    /// all: finding it would tell who holds the number or lives at the address. The same rule
    /// as the Klantinteracties filters.
    fn by_protected_data(&self) -> bool {
        matches!(self, PartyLookup::Identifier(..) | PartyLookup::Address(..))
    }

    /// The id of the criterion, for the audit log (never the value looked up).
    pub fn by(&self) -> &'static str {
        match self {
            PartyLookup::Identifier(kind, _) => kind.id(),
            PartyLookup::Phone(_) => "telefoonnummer",
            PartyLookup::Email(_) => "email",
            PartyLookup::Address(..) => "adres",
            PartyLookup::Name(_) => "naam",
        }
    }

    /// Reads one search box: an e-mail address, a BSN (9 digits passing the 11-proef), a KvK
    /// number (8 digits), a vestigingsnummer (12), a phone number, a postcode with or without
    /// huisnummer ("1234 AB 12"), or else words of a name.
    pub fn guess(input: &str) -> Result<PartyLookup, FieldError> {
        let q = input.trim();
        if q.chars().count() < 2 {
            return Err(FieldError::new("q", "too_short", "Typ minstens 2 tekens."));
        }
        if q.chars().count() > 200 {
            return Err(FieldError::new("q", "too_long", "Maximaal 200 tekens."));
        }
        if q.contains('@') {
            return EmailAddress::parse(q).map(PartyLookup::Email).map_err(|e| e.for_field("q"));
        }
        let compact: String = q.chars().filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')')).collect();
        let digits = compact.trim_start_matches('+');
        if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
            // Dutch phone numbers have 10 digits (or start with +): 8, 9 and 12 digits are
            // register numbers, whatever they start with (vestigingsnummers often start 0000).
            if !compact.starts_with('+') {
                match digits.len() {
                    9 if Bsn::parse(digits).is_ok() => {
                        return Ok(PartyLookup::Identifier(IdentifierKind::Bsn, digits.to_owned()));
                    }
                    8 => return Ok(PartyLookup::Identifier(IdentifierKind::KvkNummer, digits.to_owned())),
                    12 => return Ok(PartyLookup::Identifier(IdentifierKind::Vestigingsnummer, digits.to_owned())),
                    _ => {}
                }
            }
            return PhoneNumber::parse(q).map(PartyLookup::Phone).map_err(|_| {
                FieldError::new(
                    "q",
                    "unrecognised_number",
                    "Geen geldig BSN (9 cijfers, 11-proef), KvK-nummer (8), vestigingsnummer (12) of telefoonnummer.",
                )
            });
        }
        if let Some(address) = postcode_and_number(q) {
            return Ok(address);
        }
        let words: Vec<String> = q
            .split(|c: char| !c.is_alphanumeric() && c != '\'')
            .filter(|w| !w.is_empty())
            .map(loket_search::analysis::fold)
            .collect();
        if words.is_empty() {
            return Err(FieldError::new(
                "q",
                "no_words",
                "Typ een naam, BSN, telefoonnummer, e-mailadres of postcode.",
            ));
        }
        Ok(PartyLookup::Name(words))
    }
}

/// "1234AB", "1234 ab 12", "1234 AB, 12" → a postcode lookup; anything else → None.
fn postcode_and_number(q: &str) -> Option<PartyLookup> {
    let compact: String = q.chars().filter(|c| !c.is_whitespace() && *c != ',').collect();
    if compact.len() < 6 || !compact.is_char_boundary(6) {
        return None;
    }
    // Byte positions below: only ASCII can be a postcode (and slicing "123éX" would panic).
    if !compact[..6].is_ascii() {
        return None;
    }
    let (code, rest) = compact.split_at(6);
    let looks_like =
        code[..4].chars().all(|c| c.is_ascii_digit()) && code[4..].chars().all(|c| c.is_ascii_alphabetic());
    if !looks_like {
        return None;
    }
    let postcode = Postcode::parse(code).ok()?;
    if rest.is_empty() {
        return Some(PartyLookup::Address(postcode, None));
    }
    let number: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Huisnummer::parse(&number).ok().map(|n| PartyLookup::Address(postcode, Some(n)))
}

/// May this caller see address and identifiers of `row` (when it asks to)?
fn shows_protected(caller: Option<&Caller>, row: &PartyRow, reveal: bool) -> bool {
    match caller {
        None => true,
        Some(caller) => !row.confidential || (reveal && caller.may(Ability::SeeConfidential)),
    }
}

fn display_name(kind: PartyKind, given: &str, prefix: &str, surname: &str, organisation: &str) -> String {
    match kind {
        PartyKind::Organisatie => organisation.to_owned(),
        _ => [given, prefix, surname].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(" "),
    }
}

struct ParsedParty {
    row: PartyRow,
    identifiers: Vec<IdentifierRow>,
    addresses: Vec<DigitalAddressRow>,
}

fn parse_identifiers(
    party_id: Uuid,
    kind: Option<PartyKind>,
    input: &[IdentifierInput],
    now: DateTime<Utc>,
    checks: &mut Checks,
) -> Vec<IdentifierRow> {
    if input.len() > MAX_IDENTIFIERS {
        checks.push(FieldError::new("identifiers", "too_many", format!("Maximaal {MAX_IDENTIFIERS} identificatoren.")));
        return Vec::new();
    }
    let mut rows: Vec<IdentifierRow> = Vec::new();
    for (i, ident) in input.iter().enumerate() {
        let Some(ident_kind) = IdentifierKind::parse(&ident.kind) else {
            checks.push(FieldError::new(
                &format!("identifiers[{i}].kind"),
                "unknown_identifier_kind",
                "Kies bsn, kvk_nummer, vestigingsnummer of rsin.",
            ));
            continue;
        };
        if let Some(kind) = kind
            && !ident_kind.allowed_for(kind)
        {
            checks.push(FieldError::new(
                &format!("identifiers[{i}].kind"),
                "identifier_not_for_kind",
                format!("Een {} hoort niet bij een {}.", ident_kind.label(), kind.label().to_lowercase()),
            ));
            continue;
        }
        let field = format!("identifiers[{i}].value");
        let Some(value) = checks.take(&field, ident_kind.normalise(&ident.value)) else { continue };
        if rows.iter().any(|r| r.kind == ident_kind.id()) {
            checks.push(FieldError::new(
                &field,
                "duplicate",
                format!("Er is al een {} opgegeven.", ident_kind.label()),
            ));
            continue;
        }
        rows.push(IdentifierRow {
            id: Uuid::now_v7(),
            party_id,
            kind: ident_kind.id().to_owned(),
            value,
            created_at: now,
        });
    }
    rows
}

fn parse_digital_addresses(
    party_id: Uuid,
    input: &[DigitalAddressInput],
    field: &str,
    now: DateTime<Utc>,
    checks: &mut Checks,
) -> Vec<DigitalAddressRow> {
    if input.len() > MAX_DIGITAL_ADDRESSES {
        checks.push(FieldError::new(field, "too_many", format!("Maximaal {MAX_DIGITAL_ADDRESSES} digitale adressen.")));
        return Vec::new();
    }
    let mut rows = Vec::new();
    for (i, d) in input.iter().enumerate() {
        let Some(kind) = DigitalAddressKind::parse(&d.kind) else {
            checks.push(FieldError::new(
                &format!("{field}[{i}].kind"),
                "unknown_digital_address_kind",
                "Kies email, telefoonnummer of overig.",
            ));
            continue;
        };
        let value = checks.take(&format!("{field}[{i}].value"), kind.normalise(&d.value));
        let description = checks.take(&format!("{field}[{i}].description"), optional_text(&d.description, 100));
        if let (Some((value, lookup)), Some(description)) = (value, description) {
            rows.push(DigitalAddressRow {
                id: Uuid::now_v7(),
                party_id,
                kind: kind.id().to_owned(),
                value,
                lookup,
                description,
                preferred: d.preferred,
                created_at: now,
            });
        }
    }
    rows
}

fn parse_address(input: Option<&AddressInput>, checks: &mut Checks) -> Option<(Postcode, Huisnummer, AddressInput)> {
    let a = input?;
    let blank = a.street.trim().is_empty()
        && a.postcode.trim().is_empty()
        && a.city.trim().is_empty()
        && a.house_letter.trim().is_empty()
        && a.house_number_addition.trim().is_empty()
        && match &a.house_number {
            None => true,
            Some(HouseNumberInput::Text(t)) => t.trim().is_empty(),
            Some(HouseNumberInput::Number(_)) => false,
        };
    if blank {
        return None;
    }
    let postcode = checks.take("address.postcode", Postcode::parse(&a.postcode));
    let number = match &a.house_number {
        Some(HouseNumberInput::Number(n)) => checks.take("address.house_number", Huisnummer::new(*n)),
        Some(HouseNumberInput::Text(t)) => checks.take("address.house_number", Huisnummer::parse(t)),
        None => {
            checks.push(FieldError::new("address.house_number", "required", "Een adres heeft een huisnummer."));
            None
        }
    };
    let street = checks.take("address.street", optional_text(&a.street, NAME_MAX));
    let city = checks.take("address.city", optional_text(&a.city, NAME_MAX));
    let letter = a.house_letter.trim();
    if !(letter.is_empty() || letter.chars().count() == 1 && letter.chars().all(|c| c.is_ascii_alphabetic())) {
        checks.push(FieldError::new("address.house_letter", "invalid_house_letter", "Een huisletter is één letter."));
    }
    let addition = checks.take("address.house_number_addition", optional_text(&a.house_number_addition, 4));
    let cleaned = AddressInput {
        street: street?,
        house_number: None,
        house_letter: letter.to_lowercase(),
        house_number_addition: addition?,
        postcode: String::new(),
        city: city?,
    };
    Some((postcode?, number?, cleaned))
}

fn parse_party(input: &PartyInput, now: DateTime<Utc>) -> Result<ParsedParty, ContactsError> {
    let mut checks = Checks::default();
    let id = Uuid::now_v7();
    let kind = PartyKind::parse(&input.kind);
    if kind.is_none() {
        checks.push(FieldError::new("kind", "unknown_party_kind", "Kies persoon, organisatie of contactpersoon."));
    }
    let given = checks.take("given_name", optional_text(&input.given_name, NAME_MAX));
    let prefix = checks.take("surname_prefix", optional_text(&input.surname_prefix, 20));
    let surname = checks.take("surname", optional_text(&input.surname, NAME_MAX));
    let organisation = checks.take("organisation_name", optional_text(&input.organisation_name, NAME_MAX));
    match kind {
        Some(PartyKind::Organisatie) if organisation.as_deref() == Some("") => {
            checks.push(FieldError::new("organisation_name", "required", "Een organisatie heeft een naam."));
        }
        Some(PartyKind::Persoon | PartyKind::Contactpersoon) if surname.as_deref() == Some("") => {
            checks.push(FieldError::new("surname", "required", "Een persoon heeft een achternaam."));
        }
        _ => {}
    }
    let identifiers = parse_identifiers(id, kind, &input.identifiers, now, &mut checks);
    let mut addresses = parse_digital_addresses(id, &input.digital_addresses, "digital_addresses", now, &mut checks);
    let address = parse_address(input.address.as_ref(), &mut checks);
    checks.finish()?;
    let (Some(kind), Some(given), Some(prefix), Some(surname), Some(organisation)) =
        (kind, given, prefix, surname, organisation)
    else {
        unreachable!("every missing value left an error behind");
    };
    let first_preferred = addresses.iter().position(|a| a.preferred).unwrap_or(0);
    for (i, a) in addresses.iter_mut().enumerate() {
        a.preferred = i == first_preferred;
    }
    let display_name = display_name(kind, &given, &prefix, &surname, &organisation);
    let (street, house_number, house_letter, house_number_addition, postcode, city) = match address {
        Some((postcode, number, a)) => (
            a.street,
            Some(i32::try_from(number.get()).unwrap_or(i32::MAX)),
            a.house_letter,
            a.house_number_addition,
            Some(postcode.as_str().to_owned()),
            a.city,
        ),
        None => (String::new(), None, String::new(), String::new(), None, String::new()),
    };
    let row = PartyRow {
        id,
        kind: kind.id().to_owned(),
        name_key: loket_search::analysis::fold(&display_name),
        display_name,
        given_name: given,
        surname_prefix: prefix,
        surname,
        organisation_name: organisation,
        confidential: input.confidential,
        street,
        house_number,
        house_letter,
        house_number_addition,
        postcode,
        city,
        created_at: now,
        updated_at: now,
    };
    Ok(ParsedParty { row, identifiers, addresses })
}

fn identifier_field(rows: &[IdentifierRow], kind: &str) -> String {
    let i = rows.iter().position(|r| r.kind == kind).unwrap_or(0);
    format!("identifiers[{i}].value")
}

/// The error for an identifier that is taken: which field, and whose it is, unless the holder
/// is under geheimhouding and `caller` may not see it (then who holds the number stays unsaid,
/// as in every lookup).
async fn taken(
    ex: &mut impl Executor,
    caller: &Caller,
    rows: &[IdentifierRow],
) -> Result<Option<ContactsError>, StoreError> {
    for r in rows {
        if let Some(party_id) = store::parties::party_by_identifier(ex, &r.kind, &r.value).await?
            && party_id != r.party_id
        {
            let kind = IdentifierKind::parse(&r.kind).unwrap_or(IdentifierKind::Bsn);
            let hidden = !caller.may(Ability::SeeConfidential)
                && store::parties::find_party(ex, party_id).await?.is_some_and(|p| p.confidential);
            return Ok(Some(ContactsError::DuplicateIdentifier {
                field: identifier_field(rows, &r.kind),
                label: kind.label(),
                party_id: (!hidden).then_some(party_id),
            }));
        }
    }
    Ok(None)
}

/// A refused duplicate tells the caller who holds the number: that is a lookup, and logged as one.
async fn log_taken(store: &Store, caller: &Caller, error: &ContactsError) -> Result<(), StoreError> {
    if let ContactsError::DuplicateIdentifier { label, party_id, .. } = error {
        let event = AuditEvent::new(AuditAction::PartiesSearched, "party", None)
            .purpose(Purpose::CustomerContact)
            .detail(serde_json::json!({ "by": label, "results": party_id.as_slice(), "duplicate": true }));
        audit::record_now(store, &caller.actor(), event).await?;
    }
    Ok(())
}

/// Registers a party with its identifiers and digital addresses, all or nothing.
pub async fn create(store: &Store, caller: &Caller, input: &PartyInput) -> Result<Party, ContactsError> {
    let now = clock::now();
    let parsed = parse_party(input, now)?;
    let mut tx = store.begin().await?;
    if let Some(e) = taken(&mut tx, caller, &parsed.identifiers).await? {
        drop(tx);
        log_taken(store, caller, &e).await?;
        return Err(e);
    }
    store::parties::insert_party(&mut tx, &parsed.row).await?;
    for i in &parsed.identifiers {
        match store::parties::insert_identifier(&mut tx, i).await {
            Ok(()) => {}
            // Another transaction registered it since we looked: tell who has it now.
            Err(StoreError::Conflict(_)) => {
                drop(tx);
                let mut conn = store.acquire().await?;
                let holder = taken(&mut conn, caller, &parsed.identifiers).await?;
                drop(conn);
                if let Some(e) = &holder {
                    log_taken(store, caller, e).await?;
                }
                return Err(holder.unwrap_or(ContactsError::Invalid(vec![FieldError::new(
                    &identifier_field(&parsed.identifiers, &i.kind),
                    "duplicate",
                    "Dit nummer is al in gebruik.",
                )])));
            }
            Err(e) => return Err(e.into()),
        }
    }
    for a in &parsed.addresses {
        store::parties::insert_digital_address(&mut tx, a).await?;
    }
    let detail = serde_json::json!({
        "kind": parsed.row.kind,
        "identifiers": parsed.identifiers.iter().map(|i| &i.kind).collect::<Vec<_>>(),
        "digital_addresses": parsed.addresses.len(),
        "confidential": parsed.row.confidential,
    });
    audit::record(
        &mut tx,
        &caller.actor(),
        AuditEvent::new(AuditAction::PartyCreated, "party", parsed.row.id.to_string()).detail(detail),
    )
    .await?;
    let party =
        assemble(&mut tx, vec![parsed.row], Some(caller), false).await?.pop().ok_or(ContactsError::PartyNotFound)?;
    tx.commit().await?;
    Ok(party)
}

/// Adds a digital address to a party (made preferred when asked, or when it is the first).
pub async fn add_digital_address(
    store: &Store,
    caller: &Caller,
    party_id: Uuid,
    input: &DigitalAddressInput,
) -> Result<Party, ContactsError> {
    let now = clock::now();
    let mut row = parse_one_address(party_id, input, now)?;
    let mut tx = store.begin().await?;
    if !store::parties::touch_party(&mut tx, party_id, now).await? {
        return Err(ContactsError::PartyNotFound);
    }
    let existing = store::parties::digital_addresses_of(&mut tx, &[party_id]).await?;
    if existing.len() >= MAX_DIGITAL_ADDRESSES {
        return Err(ContactsError::Invalid(vec![FieldError::new(
            "value",
            "too_many",
            format!("Maximaal {MAX_DIGITAL_ADDRESSES} digitale adressen."),
        )]));
    }
    if existing.iter().any(|e| e.kind == row.kind && e.lookup == row.lookup) {
        return Err(ContactsError::Invalid(vec![FieldError::new(
            "value",
            "duplicate",
            "Deze partij heeft dit adres al.",
        )]));
    }
    row.preferred = input.preferred || existing.is_empty();
    store::parties::insert_digital_address(&mut tx, &row).await?;
    if row.preferred {
        store::parties::prefer_digital_address(&mut tx, party_id, row.id).await?;
    }
    let detail = serde_json::json!({ "digital_address_added": row.kind });
    audit::record(
        &mut tx,
        &caller.actor(),
        AuditEvent::new(AuditAction::PartyUpdated, "party", party_id.to_string()).detail(detail),
    )
    .await?;
    let party_row = store::parties::find_party(&mut tx, party_id).await?.ok_or(ContactsError::PartyNotFound)?;
    let party =
        assemble(&mut tx, vec![party_row], Some(caller), false).await?.pop().ok_or(ContactsError::PartyNotFound)?;
    tx.commit().await?;
    Ok(party)
}

/// Adds a BSN, KvK number, vestigingsnummer or RSIN to a registered party; a number that is
/// another party's is a conflict naming that party.
pub async fn add_identifier(
    store: &Store,
    caller: &Caller,
    party_id: Uuid,
    input: &IdentifierInput,
) -> Result<Identifier, ContactsError> {
    let now = clock::now();
    let mut tx = store.begin().await?;
    let party = store::parties::find_party(&mut tx, party_id).await?.ok_or(ContactsError::PartyNotFound)?;
    let row = parse_one_identifier(&party, input, now)?;
    let existing = store::parties::identifiers_of(&mut tx, &[party_id]).await?;
    if existing.iter().any(|e| e.kind == row.kind) {
        return Err(ContactsError::Invalid(vec![FieldError::new(
            "kind",
            "duplicate",
            format!("Deze partij heeft al een {}.", IdentifierKind::parse(&row.kind).map_or("", |k| k.label())),
        )]));
    }
    let mut tx = write_identifier(store, caller, tx, &row, true).await?;
    store::parties::touch_party(&mut tx, party_id, now).await?;
    audit::record(
        &mut tx,
        &caller.actor(),
        AuditEvent::new(AuditAction::PartyUpdated, "party", party_id.to_string())
            .detail(serde_json::json!({ "identifier_added": row.kind })),
    )
    .await?;
    tx.commit().await?;
    Ok(Identifier {
        id: row.id,
        kind: IdentifierKind::parse(&row.kind).unwrap_or(IdentifierKind::Bsn),
        value: row.value,
    })
}

/// One identifier for `party` from its input, with its fields named plainly (not as a list's).
fn parse_one_identifier(
    party: &PartyRow,
    input: &IdentifierInput,
    now: DateTime<Utc>,
) -> Result<IdentifierRow, ContactsError> {
    let mut checks = Checks::default();
    let mut rows =
        parse_identifiers(party.id, PartyKind::parse(&party.kind), std::slice::from_ref(input), now, &mut checks);
    checks.finish().map_err(|errors| {
        errors
            .into_iter()
            .map(|e| {
                let f = e.field.trim_start_matches("identifiers[0].").to_owned();
                e.for_field(&f)
            })
            .collect::<Vec<_>>()
    })?;
    rows.pop().ok_or(ContactsError::Invalid(Vec::new()))
}

/// Writes one identifier (`new`: insert, else update). A number another party holds, seen first
/// or raced in since, is the conflict naming that party as `caller` may see it (and logged as
/// the lookup it is); nothing is written then.
async fn write_identifier(
    store: &Store,
    caller: &Caller,
    mut tx: Tx,
    row: &IdentifierRow,
    new: bool,
) -> Result<Tx, ContactsError> {
    let rows = std::slice::from_ref(row);
    let conflict = match taken(&mut tx, caller, rows).await? {
        Some(e) => {
            // Logging the lookup writes; SQLite lets one writer in, and that is this transaction.
            drop(tx);
            e
        }
        None => {
            let written = if new {
                store::parties::insert_identifier(&mut tx, row).await
            } else {
                store::parties::update_identifier(&mut tx, row).await.map(|_| ())
            };
            match written {
                Ok(()) => return Ok(tx),
                Err(StoreError::Conflict(_)) => {
                    drop(tx);
                    let mut conn = store.acquire().await?;
                    taken(&mut conn, caller, rows).await?.unwrap_or(ContactsError::Invalid(vec![FieldError::new(
                        "value",
                        "taken",
                        "Dit nummer is al in gebruik.",
                    )]))
                }
                Err(e) => return Err(e.into()),
            }
        }
    };
    let conflict = match conflict {
        ContactsError::DuplicateIdentifier { label, party_id, .. } => {
            ContactsError::DuplicateIdentifier { field: "value".into(), label, party_id }
        }
        other => other,
    };
    log_taken(store, caller, &conflict).await?;
    Err(conflict)
}

/// What a change of a party may set: its names, geheimhouding and address. Its kind stays (a
/// person does not become an organisation); identifiers and digital addresses change one by one.
#[derive(Debug, Clone, Default)]
pub struct PartyChange {
    pub given_name: String,
    pub surname_prefix: String,
    pub surname: String,
    pub organisation_name: String,
    pub confidential: bool,
    /// None: no address.
    pub address: Option<AddressInput>,
    /// One of the party's digital addresses to make the preferred one.
    pub preferred_address: Option<Uuid>,
}

/// Changes a party's names, geheimhouding and address. What geheimhouding hides from `caller`
/// (the address) stays as it is, and only a caller who may see behind it lifts it.
pub async fn change(store: &Store, caller: &Caller, id: Uuid, input: &PartyChange) -> Result<Party, ContactsError> {
    let now = clock::now();
    let mut tx = store.begin().await?;
    let old = store::parties::find_party(&mut tx, id).await?.ok_or(ContactsError::PartyNotFound)?;
    let sees = !old.confidential || caller.may(Ability::SeeConfidential);
    if old.confidential && !input.confidential && !sees {
        return Err(ContactsError::Invalid(vec![FieldError::new(
            "confidential",
            "may_not_lift",
            "Alleen wie onder geheimhouding mag kijken, kan die opheffen.",
        )]));
    }
    let parsed = parse_party(
        &PartyInput {
            kind: old.kind.clone(),
            given_name: input.given_name.clone(),
            surname_prefix: input.surname_prefix.clone(),
            surname: input.surname.clone(),
            organisation_name: input.organisation_name.clone(),
            confidential: input.confidential,
            identifiers: Vec::new(),
            digital_addresses: Vec::new(),
            address: input.address.clone(),
        },
        now,
    )?;
    let mut row = PartyRow { id, created_at: old.created_at, ..parsed.row };
    if !sees {
        row = PartyRow {
            street: old.street.clone(),
            house_number: old.house_number,
            house_letter: old.house_letter.clone(),
            house_number_addition: old.house_number_addition.clone(),
            postcode: old.postcode.clone(),
            city: old.city.clone(),
            ..row
        };
    }
    store::parties::update_party(&mut tx, &row).await?;
    if let Some(address) = input.preferred_address {
        let own = store::parties::digital_addresses_of(&mut tx, &[id]).await?;
        if !own.iter().any(|a| a.id == address) {
            return Err(ContactsError::Invalid(vec![FieldError::new(
                "preferred_address",
                "not_this_party",
                "Dit digitale adres hoort niet bij deze partij.",
            )]));
        }
        store::parties::prefer_digital_address(&mut tx, id, address).await?;
    }
    let changed: Vec<&str> = [
        ("name", row.display_name != old.display_name),
        ("confidential", row.confidential != old.confidential),
        ("address", (&row.postcode, row.house_number, &row.street) != (&old.postcode, old.house_number, &old.street)),
    ]
    .into_iter()
    .filter_map(|(field, differs)| differs.then_some(field))
    .collect();
    audit::record(
        &mut tx,
        &caller.actor(),
        AuditEvent::new(AuditAction::PartyUpdated, "party", id.to_string())
            .detail(serde_json::json!({ "changed": changed })),
    )
    .await?;
    let party = assemble(&mut tx, vec![row], Some(caller), false).await?.pop().ok_or(ContactsError::PartyNotFound)?;
    tx.commit().await?;
    Ok(party)
}

/// One digital address from its input, with its fields named plainly (not as a list's).
fn parse_one_address(
    party_id: Uuid,
    input: &DigitalAddressInput,
    now: DateTime<Utc>,
) -> Result<DigitalAddressRow, ContactsError> {
    let mut checks = Checks::default();
    let mut rows = parse_digital_addresses(party_id, std::slice::from_ref(input), "list", now, &mut checks);
    checks.finish().map_err(|errors| {
        errors
            .into_iter()
            .map(|e| {
                let f = e.field.trim_start_matches("list[0].").to_owned();
                e.for_field(&f)
            })
            .collect::<Vec<_>>()
    })?;
    rows.pop().ok_or(ContactsError::Invalid(Vec::new()))
}

/// Changes a digital address (its kind, value, description, or making it the preferred one).
/// The party keeps exactly one preferred address.
pub async fn change_digital_address(
    store: &Store,
    caller: &Caller,
    id: Uuid,
    input: &DigitalAddressInput,
) -> Result<Party, ContactsError> {
    let now = clock::now();
    let mut tx = store.begin().await?;
    let old = locked_address(&mut tx, id, now).await?;
    let row = DigitalAddressRow { id, created_at: old.created_at, ..parse_one_address(old.party_id, input, now)? };
    let others = store::parties::digital_addresses_of(&mut tx, &[old.party_id]).await?;
    if others.iter().any(|e| e.id != id && e.kind == row.kind && e.lookup == row.lookup) {
        return Err(ContactsError::Invalid(vec![FieldError::new(
            "value",
            "duplicate",
            "Deze partij heeft dit adres al.",
        )]));
    }
    store::parties::update_digital_address(&mut tx, &row).await?;
    if input.preferred {
        store::parties::prefer_digital_address(&mut tx, old.party_id, id).await?;
    } else if old.preferred
        && let Some(next) = others.iter().find(|e| e.id != id)
    {
        store::parties::prefer_digital_address(&mut tx, old.party_id, next.id).await?;
    }
    audit::record(
        &mut tx,
        &caller.actor(),
        AuditEvent::new(AuditAction::PartyUpdated, "party", old.party_id.to_string())
            .detail(serde_json::json!({ "digital_address_changed": row.kind })),
    )
    .await?;
    let party_row = store::parties::find_party(&mut tx, old.party_id).await?.ok_or(ContactsError::PartyNotFound)?;
    let party =
        assemble(&mut tx, vec![party_row], Some(caller), false).await?.pop().ok_or(ContactsError::PartyNotFound)?;
    tx.commit().await?;
    Ok(party)
}

/// A digital address read after its party's row lock is taken, so two changes of one party's
/// addresses see each other's (which one is preferred).
async fn locked_address(tx: &mut Tx, id: Uuid, now: DateTime<Utc>) -> Result<DigitalAddressRow, ContactsError> {
    let found =
        store::klantinteracties::digital_addresses(&mut *tx, &[id]).await?.pop().ok_or(ContactsError::Hidden)?;
    store::parties::touch_party(&mut *tx, found.party_id, now).await?;
    store::klantinteracties::digital_addresses(&mut *tx, &[id]).await?.pop().ok_or(ContactsError::Hidden)
}

/// Removes a digital address; when it was the preferred one, the oldest other one is.
pub async fn remove_digital_address(store: &Store, caller: &Caller, id: Uuid) -> Result<(), ContactsError> {
    let mut tx = store.begin().await?;
    let old = locked_address(&mut tx, id, clock::now()).await?;
    store::parties::delete_digital_address(&mut tx, id).await?;
    store::parties::request_scrub(&mut tx, clock::now()).await?;
    if old.preferred
        && let Some(next) = store::parties::digital_addresses_of(&mut tx, &[old.party_id])
            .await?
            .into_iter()
            .min_by_key(|a| (a.created_at, a.id))
    {
        store::parties::prefer_digital_address(&mut tx, old.party_id, next.id).await?;
    }
    audit::record(
        &mut tx,
        &caller.actor(),
        AuditEvent::new(AuditAction::PartyUpdated, "party", old.party_id.to_string())
            .detail(serde_json::json!({ "digital_address_removed": old.kind })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// An identifier `caller` may change: geheimhouding hides a confidential party's numbers.
async fn changeable_identifier(
    ex: &mut impl Executor,
    caller: &Caller,
    id: Uuid,
) -> Result<(IdentifierRow, PartyRow), ContactsError> {
    let old = store::klantinteracties::identifiers(ex, &[id]).await?.pop().ok_or(ContactsError::Hidden)?;
    let party = store::parties::find_party(ex, old.party_id).await?.ok_or(ContactsError::Hidden)?;
    if party.confidential && !caller.may(Ability::SeeConfidential) {
        return Err(ContactsError::Hidden);
    }
    Ok((old, party))
}

/// Changes an identifier's kind or number, with the same checks as adding one.
pub async fn change_identifier(
    store: &Store,
    caller: &Caller,
    id: Uuid,
    input: &IdentifierInput,
) -> Result<Identifier, ContactsError> {
    let mut tx = store.begin().await?;
    let (old, party) = changeable_identifier(&mut tx, caller, id).await?;
    let row = IdentifierRow { id, created_at: old.created_at, ..parse_one_identifier(&party, input, old.created_at)? };
    let others = store::parties::identifiers_of(&mut tx, &[party.id]).await?;
    if others.iter().any(|e| e.id != id && e.kind == row.kind) {
        return Err(ContactsError::Invalid(vec![FieldError::new(
            "kind",
            "duplicate",
            format!("Deze partij heeft al een {}.", IdentifierKind::parse(&row.kind).map_or("", |k| k.label())),
        )]));
    }
    let mut tx = write_identifier(store, caller, tx, &row, false).await?;
    store::parties::touch_party(&mut tx, party.id, clock::now()).await?;
    audit::record(
        &mut tx,
        &caller.actor(),
        AuditEvent::new(AuditAction::PartyUpdated, "party", party.id.to_string())
            .detail(serde_json::json!({ "identifier_changed": row.kind })),
    )
    .await?;
    tx.commit().await?;
    Ok(Identifier { id, kind: IdentifierKind::parse(&row.kind).unwrap_or(IdentifierKind::Bsn), value: row.value })
}

/// Removes an identifier from its party.
pub async fn remove_identifier(store: &Store, caller: &Caller, id: Uuid) -> Result<(), ContactsError> {
    let mut tx = store.begin().await?;
    let (old, party) = changeable_identifier(&mut tx, caller, id).await?;
    store::parties::touch_party(&mut tx, party.id, clock::now()).await?;
    store::parties::delete_identifier(&mut tx, id).await?;
    store::parties::request_scrub(&mut tx, clock::now()).await?;
    audit::record(
        &mut tx,
        &caller.actor(),
        AuditEvent::new(AuditAction::PartyUpdated, "party", party.id.to_string())
            .detail(serde_json::json!({ "identifier_removed": old.kind })),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Parties by id as `caller` may see them (geheimhouding applied), in the order given; the
/// caller logs the read.
pub(crate) async fn many(ex: &mut impl Executor, caller: &Caller, ids: &[Uuid]) -> Result<Vec<Party>, StoreError> {
    let rows = store::parties::parties(ex, ids).await?;
    let mut parties = assemble(ex, rows, Some(caller), false).await?;
    parties.sort_by_key(|p| ids.iter().position(|i| *i == p.id));
    Ok(parties)
}

/// One party, for a purpose. `reveal` asks to lift geheimhouding (only with the permission; logged).
/// Whether some party holds this BSN, whoever may see it. For loaders (the demo) that must not
/// register a person twice: a lookup on someone's behalf does not find a party under
/// geheimhouding. Nothing of the party is returned, so nothing is read.
pub async fn bsn_taken(store: &Store, bsn: &str) -> Result<bool, ContactsError> {
    let bsn = super::identifiers::Bsn::parse(bsn).map_err(|e| ContactsError::Invalid(vec![e]))?;
    let id = store::parties::party_by_identifier(&mut store.acquire().await?, "bsn", bsn.as_str()).await?;
    Ok(id.is_some())
}

pub async fn get(store: &Store, caller: &Caller, id: Uuid, reveal: bool) -> Result<Party, ContactsError> {
    let mut tx = store.begin().await?;
    let row = store::parties::find_party(&mut tx, id).await?.ok_or(ContactsError::PartyNotFound)?;
    let actor = caller.actor();
    audit::record(
        &mut tx,
        &actor,
        AuditEvent::new(AuditAction::PartyRead, "party", id.to_string()).purpose(Purpose::CustomerContact),
    )
    .await?;
    if row.confidential && shows_protected(Some(caller), &row, reveal) {
        audit::record(
            &mut tx,
            &actor,
            AuditEvent::new(AuditAction::ConfidentialityLifted, "party", id.to_string())
                .purpose(Purpose::CustomerContact),
        )
        .await?;
    }
    let party = assemble(&mut tx, vec![row], Some(caller), reveal).await?.pop().ok_or(ContactsError::PartyNotFound)?;
    tx.commit().await?;
    Ok(party)
}

/// Parties matching a lookup (at most [`FIND_LIMIT`]); the search and what it returned are logged.
pub async fn find(store: &Store, caller: &Caller, lookup: &PartyLookup) -> Result<Vec<Party>, ContactsError> {
    let mut tx = store.begin().await?;
    let rows = rows_by(&mut tx, lookup).await?;
    let rows: Vec<PartyRow> = if lookup.by_protected_data() && !caller.may(Ability::SeeConfidential) {
        rows.into_iter().filter(|p| !p.confidential).collect()
    } else {
        rows
    };
    let ids: Vec<String> = rows.iter().map(|r| r.id.to_string()).collect();
    audit::record(
        &mut tx,
        &caller.actor(),
        AuditEvent::new(AuditAction::PartiesSearched, "party", None)
            .purpose(Purpose::CustomerContact)
            .detail(serde_json::json!({ "by": lookup.by(), "results": ids })),
    )
    .await?;
    let parties = assemble(&mut tx, rows, Some(caller), false).await?;
    tx.commit().await?;
    Ok(parties)
}

/// The parties a lookup finds (at most [`FIND_LIMIT`]), geheimhouding not applied: the caller
/// decides what may be shown and logs the search.
pub(crate) async fn rows_by(ex: &mut impl Executor, lookup: &PartyLookup) -> Result<Vec<PartyRow>, StoreError> {
    Ok(match lookup {
        PartyLookup::Identifier(kind, value) => {
            match store::parties::party_by_identifier(ex, kind.id(), value).await? {
                Some(id) => store::parties::find_party(ex, id).await?.into_iter().collect(),
                None => Vec::new(),
            }
        }
        PartyLookup::Phone(p) => store::parties::parties_by_digital_address(ex, p.as_str(), FIND_LIMIT).await?,
        PartyLookup::Email(e) => {
            store::parties::parties_by_digital_address(ex, &e.as_str().to_lowercase(), FIND_LIMIT).await?
        }
        PartyLookup::Address(postcode, number) => {
            let number = number.map(|n| i32::try_from(n.get()).unwrap_or(i32::MAX));
            store::parties::parties_by_address(ex, postcode.as_str(), number, FIND_LIMIT).await?
        }
        PartyLookup::Name(words) => {
            // Each typed word is the start of a word of the name ("jan de vr" finds Jan de Vries).
            let exact = store::parties::parties_by_name_words(ex, words, FIND_LIMIT).await?;
            // Nobody by the name as typed: by the skeletons of its words ("Kramr" finds Kramer).
            // Words of fewer than four letters stay as typed; their skeleton would match too much.
            let skeletons: Vec<String> = words
                .iter()
                .map(|w| match store::parties::name_skeleton(w) {
                    s if w.chars().count() >= 4 && !s.is_empty() => format!("~{s}"),
                    _ => w.clone(),
                })
                .collect();
            if exact.is_empty() && skeletons != *words {
                store::parties::parties_by_name_words(ex, &skeletons, FIND_LIMIT).await?
            } else {
                exact
            }
        }
    })
}

/// Display names of parties by id, for screens that name them instead of showing ids (the
/// verwerkingslog); the screen's own read is what is logged.
pub async fn display_names(store: &Store, ids: &[Uuid]) -> Result<HashMap<Uuid, String>, ContactsError> {
    let mut conn = store.acquire().await?;
    Ok(names(&mut conn, ids).await?.into_iter().collect())
}

/// Display names of parties, for lists that show who took part (no protected data).
pub(crate) async fn names(ex: &mut impl Executor, ids: &[Uuid]) -> Result<Vec<(Uuid, String)>, StoreError> {
    Ok(store::parties::parties(ex, ids).await?.into_iter().map(|r| (r.id, r.display_name)).collect())
}

/// Rows with their identifiers and digital addresses, geheimhouding applied.
/// A party as `caller` may see it (geheimhouding applied, not lifted).
pub(crate) async fn as_seen_by(store: &Store, caller: &Caller, row: PartyRow) -> Result<Party, ContactsError> {
    let mut conn = store.acquire().await?;
    assemble(&mut conn, vec![row], Some(caller), false).await?.pop().ok_or(ContactsError::PartyNotFound)
}

/// A party with everything, geheimhouding not applied: for the person's own request (inzage).
pub(crate) async fn unrestricted(store: &Store, row: PartyRow) -> Result<Party, ContactsError> {
    let mut conn = store.acquire().await?;
    assemble(&mut conn, vec![row], None, true).await?.pop().ok_or(ContactsError::PartyNotFound)
}

/// Rows with their identifiers and digital addresses; geheimhouding applied for `caller`
/// (`None`: nothing withheld).
async fn assemble(
    ex: &mut impl Executor,
    rows: Vec<PartyRow>,
    caller: Option<&Caller>,
    reveal: bool,
) -> Result<Vec<Party>, StoreError> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let identifiers = store::parties::identifiers_of(ex, &ids).await?;
    let addresses = store::parties::digital_addresses_of(ex, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let shown = shows_protected(caller, &row, reveal);
            let identifiers = if shown {
                identifiers
                    .iter()
                    .filter(|i| i.party_id == row.id)
                    .filter_map(|i| {
                        Some(Identifier { id: i.id, kind: IdentifierKind::parse(&i.kind)?, value: i.value.clone() })
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let digital_addresses = addresses
                .iter()
                .filter(|a| a.party_id == row.id)
                .filter_map(|a| {
                    let kind = DigitalAddressKind::parse(&a.kind)?;
                    let display = if kind == DigitalAddressKind::Telefoonnummer {
                        format_phone(&a.value)
                    } else {
                        a.value.clone()
                    };
                    Some(DigitalAddress {
                        id: a.id,
                        kind,
                        value: a.value.clone(),
                        display,
                        description: a.description.clone(),
                        preferred: a.preferred,
                    })
                })
                .collect();
            let address = match (&row.postcode, row.house_number) {
                (Some(postcode), Some(number)) if shown => Some(Address {
                    street: row.street.clone(),
                    house_number: i64::from(number),
                    house_letter: row.house_letter.clone(),
                    house_number_addition: row.house_number_addition.clone(),
                    postcode: Postcode::parse(postcode).map(|p| p.display()).unwrap_or_else(|_| postcode.clone()),
                    city: row.city.clone(),
                }),
                _ => None,
            };
            Party {
                id: row.id,
                kind: PartyKind::parse(&row.kind).unwrap_or(PartyKind::Persoon),
                display_name: row.display_name,
                given_name: row.given_name,
                surname_prefix: row.surname_prefix,
                surname: row.surname,
                organisation_name: row.organisation_name,
                confidential: row.confidential,
                withheld: !shown,
                identifiers,
                digital_addresses,
                address,
                created_at: row.created_at,
                updated_at: row.updated_at,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guess(q: &str) -> PartyLookup {
        PartyLookup::guess(q).unwrap()
    }

    #[test]
    fn one_search_box_tells_a_bsn_from_a_phone_number_a_kvk_number_and_a_postcode() {
        assert_eq!(guess("111222333"), PartyLookup::Identifier(IdentifierKind::Bsn, "111222333".into()));
        assert_eq!(guess("1112 22 333"), PartyLookup::Identifier(IdentifierKind::Bsn, "111222333".into()));
        assert_eq!(guess("69599084"), PartyLookup::Identifier(IdentifierKind::KvkNummer, "69599084".into()));
        assert_eq!(guess("06-12345678"), PartyLookup::Phone(PhoneNumber::parse("0612345678").unwrap()));
        assert_eq!(guess("+31 20 123 4567"), PartyLookup::Phone(PhoneNumber::parse("0201234567").unwrap()));
        assert_eq!(guess("Piet@Example.NL"), PartyLookup::Email(EmailAddress::parse("Piet@example.nl").unwrap()));
        assert_eq!(guess("1234 ab"), PartyLookup::Address(Postcode::parse("1234AB").unwrap(), None));
        assert_eq!(
            guess("1234AB 12"),
            PartyLookup::Address(Postcode::parse("1234AB").unwrap(), Some(Huisnummer::new(12).unwrap()))
        );
        assert_eq!(guess("Jan de Vries"), PartyLookup::Name(vec!["jan".into(), "de".into(), "vries".into()]));
        assert_eq!(guess("Özdemir"), PartyLookup::Name(vec!["ozdemir".into()]));
    }

    #[test]
    fn register_numbers_that_start_with_zero_are_not_taken_for_phone_numbers() {
        assert_eq!(
            guess("0000 1234 5678"),
            PartyLookup::Identifier(IdentifierKind::Vestigingsnummer, "000012345678".into())
        );
        assert_eq!(guess("01234567"), PartyLookup::Identifier(IdentifierKind::KvkNummer, "01234567".into()));
        // Not ASCII where a postcode's letters would be: a name, never a panic.
        assert_eq!(guess("123éXY"), PartyLookup::Name(vec!["123exy".into()]));
    }

    #[test]
    fn a_number_that_is_nothing_known_is_refused_with_the_rules() {
        let err = PartyLookup::guess("123456789").unwrap_err();
        assert_eq!((err.field.as_str(), err.code), ("q", "unrecognised_number"));
        assert_eq!(PartyLookup::guess("a").unwrap_err().code, "too_short");
        assert_eq!(PartyLookup::guess("piet@").unwrap_err().field, "q");
    }

    fn person(surname: &str) -> PartyInput {
        PartyInput {
            kind: "persoon".into(),
            given_name: "Jan".into(),
            surname_prefix: "de".into(),
            surname: surname.into(),
            organisation_name: String::new(),
            confidential: false,
            identifiers: vec![IdentifierInput { kind: "bsn".into(), value: "111222333".into() }],
            digital_addresses: vec![
                DigitalAddressInput {
                    kind: "email".into(),
                    value: "jan@example.nl".into(),
                    description: String::new(),
                    preferred: false,
                },
                DigitalAddressInput {
                    kind: "telefoonnummer".into(),
                    value: "06 1234 5678".into(),
                    description: "mobiel".into(),
                    preferred: true,
                },
            ],
            address: Some(AddressInput {
                street: "Dorpsstraat".into(),
                house_number: Some(HouseNumberInput::Text("12".into())),
                house_letter: "A".into(),
                house_number_addition: "2".into(),
                postcode: "1234 ab".into(),
                city: "Ons Dorp".into(),
            }),
        }
    }

    #[test]
    fn a_person_is_parsed_into_one_stored_form() {
        let p = parse_party(&person("Vries"), clock::now()).unwrap();
        assert_eq!(p.row.display_name, "Jan de Vries");
        assert_eq!(p.row.name_key, "jan de vries");
        assert_eq!(p.row.postcode.as_deref(), Some("1234AB"));
        assert_eq!((p.row.house_number, p.row.house_letter.as_str()), (Some(12), "a"));
        assert_eq!(p.addresses[1].value, "+31612345678");
        assert!(!p.addresses[0].preferred && p.addresses[1].preferred, "the marked one is the preferred one");
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let mut input = person("");
        input.identifiers = vec![
            IdentifierInput { kind: "bsn".into(), value: "123456789".into() },
            IdentifierInput { kind: "kvk_nummer".into(), value: "69599084".into() },
        ];
        input.digital_addresses[1].value = "12".into();
        input.address.as_mut().unwrap().postcode = "0123 AB".into();
        let ContactsError::Invalid(errors) = parse_party(&input, clock::now()).err().unwrap() else { panic!() };
        let fields: Vec<(&str, &str)> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert!(fields.contains(&("surname", "required")), "{fields:?}");
        assert!(fields.contains(&("identifiers[0].value", "eleven_check")), "{fields:?}");
        assert!(fields.contains(&("identifiers[1].kind", "identifier_not_for_kind")), "{fields:?}");
        assert!(fields.contains(&("digital_addresses[1].value", "invalid_phone")), "{fields:?}");
        assert!(fields.contains(&("address.postcode", "invalid_postcode")), "{fields:?}");
    }

    #[test]
    fn a_name_is_found_by_its_words_and_their_skeletons() {
        use crate::store::parties::name_words;
        assert_eq!(name_words("henk kramer"), ["henk", "kramer", "~hnk", "~krmr"]);
        assert_eq!(name_words("van 't hek-jansen"), ["'t", "hek", "jansen", "van", "~'t", "~hk", "~jnsn", "~vn"]);
        assert_eq!(name_words("eva"), ["eva", "~v"]);
        assert!(name_words("").is_empty());
    }

    #[test]
    fn names_typed_with_a_vowel_wrong_or_a_letter_single_share_a_skeleton() {
        use crate::store::parties::name_skeleton;
        assert_eq!(name_skeleton("henk kramer"), "hnk krmr");
        assert_eq!(name_skeleton("kramr"), name_skeleton("kramer"));
        assert_eq!(name_skeleton("kremer"), name_skeleton("kramer"));
        assert_eq!(name_skeleton("jansen"), name_skeleton("janssen"));
        assert_ne!(name_skeleton("kramer"), name_skeleton("kramper"));
    }

    #[test]
    fn an_address_is_written_as_on_an_envelope() {
        let a = Address {
            street: "Dorpsstraat".into(),
            house_number: 12,
            house_letter: "a".into(),
            house_number_addition: "2".into(),
            postcode: "1234 AB".into(),
            city: "Ons Dorp".into(),
        };
        assert_eq!(a.one_line(), "Dorpsstraat 12a-2, 1234 AB Ons Dorp");
        let bare = Address { street: String::new(), city: String::new(), ..a };
        assert_eq!(bare.one_line(), "1234 AB 12a-2");
    }
}
