//! The Klantinteracties standard (VNG; a copy of its OpenAPI document is beside the repository,
//! `../shared/specs/klantinteracties-openapi.yaml`, see docs/DOMAIN.md) as a
//! view of Loket's own model, so other municipal systems can read and write it.
//!
//! Rules:
//! - There is one truth: partijen are Loket's parties, klantcontacten its contacts, betrokkenen
//!   their participants, internetaken its tasks, digitaleadressen and partij-identificatoren the
//!   parties' own. Medewerkers and organisatorische eenheden (actoren) are Loket's users and
//!   units (managed in Loket's beheer); only geautomatiseerde actoren are created here.
//! - Everything written here goes through the same domain functions as the native API, so the
//!   same rules (11-proef, E.164, channel list, confidentiality, all-or-nothing) and the same
//!   audit entries apply; every read of personal data is logged with purpose `klantcontact`.
//! - Field names are the standard's; errors name them too (`partijIdentificatoren[0].objectId`).
//! - Where Loket keeps more than the standard allows (notes of 10,000 characters against
//!   `inhoud`'s 1,000), the standard's view shortens the text; the native API has it whole.
//! - Lists are paged (`page` from 1, `pageSize` up to 100, default 100), newest or by name.
//! - This module maps query parameters to typed filters (`store::klantinteracties::ContactFilter`
//!   and its siblings) and rows to the standard's shapes; the store turns filters into SQL.

pub mod contacts;
pub mod expand;
pub mod parties;
pub mod tasks;

use serde::Serialize;
use uuid::Uuid;

use crate::contacts::ContactsError;
use crate::store::StoreError;
use crate::validation::FieldError;
use crate::work::tasks::TaskError;

#[derive(Debug, thiserror::Error)]
pub enum KlantinteractiesError {
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    #[error("no such {0}")]
    NotFound(&'static str),
    /// Other records refer to it, so it stays (the message says what to do instead).
    #[error("in use: {0}")]
    InUse(&'static str),
    #[error(transparent)]
    Contacts(#[from] ContactsError),
    #[error(transparent)]
    Tasks(#[from] TaskError),
    #[error(transparent)]
    Work(#[from] crate::work::WorkError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<FieldError> for KlantinteractiesError {
    fn from(e: FieldError) -> Self {
        KlantinteractiesError::Invalid(vec![e])
    }
}

pub type Result<T> = std::result::Result<T, KlantinteractiesError>;

/// Builds the `url` of every resource: the API's public base plus collection and uuid.
#[derive(Debug, Clone)]
pub struct Urls {
    base: String,
}

impl Urls {
    /// `base` is e.g. `https://loket.gemeente.nl/klantinteracties/api/v1`.
    pub fn new(base: &str) -> Urls {
        Urls { base: base.trim_end_matches('/').to_owned() }
    }

    pub fn of(&self, collection: &str, id: Uuid) -> String {
        format!("{}/{collection}/{id}", self.base)
    }

    pub fn fk(&self, collection: &str, id: Uuid) -> Fk {
        Fk { uuid: id, url: self.of(collection, id) }
    }
}

/// A reference to another resource (`…ForeignKey` in the standard).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Fk {
    pub uuid: Uuid,
    pub url: String,
}

/// A reference as a client sends it: the uuid, or only the url.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct FkIn {
    #[serde(default)]
    pub uuid: Option<Uuid>,
    #[serde(default)]
    pub url: Option<String>,
}

impl FkIn {
    /// The uuid, read from the url when only that is given.
    pub fn id(&self, field: &str) -> std::result::Result<Uuid, FieldError> {
        if let Some(id) = self.uuid {
            return Ok(id);
        }
        self.url
            .as_deref()
            .and_then(|u| u.trim_end_matches('/').rsplit('/').next())
            .and_then(|last| Uuid::parse_str(last).ok())
            .ok_or_else(|| FieldError::new(field, "required", "Geef de uuid (of url) van het gekoppelde object."))
    }
}

/// One page of a list.
#[derive(Debug, Clone, Copy)]
pub struct Paging {
    pub page: i64,
    pub page_size: i64,
}

impl Paging {
    pub const MAX_PAGE_SIZE: i64 = 100;

    pub fn parse(page: Option<&str>, page_size: Option<&str>) -> std::result::Result<Paging, FieldError> {
        let number = |name: &str, v: Option<&str>, default: i64, max: i64| match v.map(str::trim) {
            None | Some("") => Ok(default),
            Some(v) => match v.parse::<i64>() {
                Ok(n) if (1..=max).contains(&n) => Ok(n),
                _ => Err(FieldError::new(name, "invalid_number", format!("Een geheel getal van 1 tot en met {max}."))),
            },
        };
        Ok(Paging {
            page: number("page", page, 1, 1_000_000)?,
            page_size: number("pageSize", page_size, Self::MAX_PAGE_SIZE, Self::MAX_PAGE_SIZE)?,
        })
    }

    pub fn offset(self) -> i64 {
        (self.page - 1) * self.page_size
    }

    /// The page of an in-memory list.
    pub fn slice<T: Clone>(self, items: &[T]) -> Vec<T> {
        let start = usize::try_from(self.offset()).unwrap_or(usize::MAX).min(items.len());
        let end = start.saturating_add(usize::try_from(self.page_size).unwrap_or(0)).min(items.len());
        items[start..end].to_vec()
    }
}

/// A page of results with the total count; the HTTP layer adds next/previous.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub count: i64,
    pub results: Vec<T>,
}

/// Query filters as sent (`name=value` pairs); unknown names are ignored, as the standard's
/// reference implementation does.
#[derive(Debug, Clone, Default)]
pub struct Filters(pub Vec<(String, String)>);

impl Filters {
    pub fn text(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub fn uuid(&self, name: &str) -> std::result::Result<Option<Uuid>, FieldError> {
        self.text(name)
            .map(|v| Uuid::parse_str(v.trim()).map_err(|_| FieldError::new(name, "invalid_uuid", "Geen geldige uuid.")))
            .transpose()
    }

    /// A uuid given directly (`x__uuid`) or as the last part of a url (`x__url`).
    pub fn reference(&self, prefix: &str) -> std::result::Result<Option<Uuid>, FieldError> {
        if let Some(id) = self.uuid(&format!("{prefix}__uuid"))? {
            return Ok(Some(id));
        }
        let name = format!("{prefix}__url");
        match self.text(&name) {
            None => Ok(None),
            Some(url) => FkIn { uuid: None, url: Some(url.to_owned()) }.id(&name).map(Some),
        }
    }

    pub fn bool(&self, name: &str) -> std::result::Result<Option<bool>, FieldError> {
        self.text(name)
            .map(|v| match v.trim() {
                "true" | "True" | "1" => Ok(true),
                "false" | "False" | "0" => Ok(false),
                _ => Err(FieldError::new(name, "invalid_boolean", "Gebruik true of false.")),
            })
            .transpose()
    }
}

/// PUT replaces a resource: the fields the standard requires must be there (`missing` pairs a
/// field with whether it is absent). Other fields a client leaves out keep their value, on PUT
/// as on PATCH.
pub(crate) fn required_for_put(missing: &[(&str, bool)]) -> Result<()> {
    let errors: Vec<FieldError> = missing
        .iter()
        .filter(|(_, absent)| *absent)
        .map(|(field, _)| FieldError::new(field, "required", "Dit veld is verplicht bij PUT."))
        .collect();
    if errors.is_empty() { Ok(()) } else { Err(KlantinteractiesError::Invalid(errors)) }
}

/// Cuts a text to what the standard allows in a field (see the module rules).
pub(crate) fn at_most(text: &str, max: usize) -> String {
    if text.chars().count() <= max { text.to_owned() } else { text.chars().take(max).collect() }
}

/// ISO 639-1 (Loket) → ISO 639-2/B (the standard) for the languages a KCC hears most.
const LANGUAGES: [(&str, &str); 12] = [
    ("nl", "nld"),
    ("en", "eng"),
    ("de", "ger"),
    ("fr", "fre"),
    ("tr", "tur"),
    ("ar", "ara"),
    ("pl", "pol"),
    ("es", "spa"),
    ("pt", "por"),
    ("uk", "ukr"),
    ("ru", "rus"),
    ("fy", "fry"),
];

pub(crate) fn language_out(code: &str) -> String {
    LANGUAGES.iter().find(|(two, _)| *two == code).map_or_else(|| at_most(code, 3), |(_, three)| (*three).to_owned())
}

pub(crate) fn language_in(code: &str) -> String {
    let c = code.trim().to_lowercase();
    let c = match c.as_str() {
        "dut" => "nld",
        "deu" => "ger",
        "fra" => "fre",
        other => other,
    };
    LANGUAGES.iter().find(|(_, three)| *three == c).map_or_else(|| c.to_owned(), |(two, _)| (*two).to_owned())
}

/// Errors of the domain use Loket's field names; the standard's client wants its own.
pub(crate) fn rename_fields(error: ContactsError, renames: &[(&str, &str)]) -> KlantinteractiesError {
    match error {
        ContactsError::Invalid(errors) => KlantinteractiesError::Invalid(
            errors
                .into_iter()
                .map(|e| {
                    let renamed = renames
                        .iter()
                        .find(|(from, _)| {
                            e.field == *from
                                || e.field.starts_with(&format!("{from}."))
                                || e.field.starts_with(&format!("{from}["))
                        })
                        .map(|(from, to)| format!("{to}{}", &e.field[from.len()..]));
                    match renamed {
                        Some(f) => e.for_field(&f),
                        None => e,
                    }
                })
                .collect(),
        ),
        ContactsError::DuplicateIdentifier { field, label, party_id } => {
            let field = renames
                .iter()
                .find(|(from, _)| field.starts_with(from))
                .map_or(field.clone(), |(from, to)| format!("{to}{}", &field[from.len()..]));
            KlantinteractiesError::Contacts(ContactsError::DuplicateIdentifier { field, label, party_id })
        }
        other => KlantinteractiesError::Contacts(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_from_one_and_at_most_a_hundred() {
        let p = Paging::parse(None, None).unwrap();
        assert_eq!((p.page, p.page_size, p.offset()), (1, 100, 0));
        let p = Paging::parse(Some("3"), Some("10")).unwrap();
        assert_eq!(p.offset(), 20);
        assert_eq!(Paging::parse(Some("0"), None).unwrap_err().field, "page");
        assert_eq!(Paging::parse(None, Some("101")).unwrap_err().field, "pageSize");
        assert_eq!(Paging::parse(Some("x"), None).unwrap_err().code, "invalid_number");
        assert_eq!(Paging { page: 2, page_size: 2 }.slice(&[1, 2, 3]), vec![3]);
        assert!(Paging { page: 9, page_size: 2 }.slice(&[1, 2, 3]).is_empty());
    }

    #[test]
    fn a_reference_is_read_from_its_uuid_or_its_url() {
        let id = Uuid::now_v7();
        assert_eq!(FkIn { uuid: Some(id), url: None }.id("x").unwrap(), id);
        let url = format!("http://h/klantinteracties/api/v1/partijen/{id}");
        assert_eq!(FkIn { uuid: None, url: Some(url) }.id("x").unwrap(), id);
        assert_eq!(FkIn::default().id("wasPartij").unwrap_err().field, "wasPartij");
    }

    #[test]
    fn languages_are_three_letters_in_the_standard_and_two_in_loket() {
        assert_eq!(language_out("nl"), "nld");
        assert_eq!(language_in("nld"), "nl");
        assert_eq!(language_in("dut"), "nl");
        assert_eq!(language_in("NLD"), "nl");
        assert_eq!(language_out("xx"), "xx");
    }

    #[test]
    fn domain_field_names_become_the_standards() {
        let e = ContactsError::Invalid(vec![FieldError::new("identifiers[0].value", "invalid_bsn", "x")]);
        let KlantinteractiesError::Invalid(errors) = rename_fields(e, &[("identifiers", "partijIdentificatoren")])
        else {
            panic!("still invalid")
        };
        assert_eq!(errors[0].field, "partijIdentificatoren[0].value");
    }
}
