//! Parties, digital addresses and contacts (klantcontacten): one timeline per customer across
//! every channel.
//!
//! Rules so far: an e-mail address and a phone number exist only in parsed form; phone numbers
//! are kept in E.164 (`+31201234567`) so the same number typed two ways is one number. BSN,
//! RSIN, KvK number, vestigingsnummer, postcode and huisnummer are parsed by `identifiers`
//! (11-proef, lengths, PostNL's postcode rules) before anything stores them. Every read of a
//! party or a contact is written to the audit log, with its purpose, before the data leaves.
//! Input is checked as a whole: a request with one bad field stores nothing.

pub mod contact;
pub mod digital_address;
pub mod drafts;
pub mod identifiers;
pub mod lists;
pub mod parties;
pub mod requests;

use uuid::Uuid;

use crate::store::StoreError;
use crate::validation::FieldError;

#[derive(Debug, thiserror::Error)]
pub enum ContactsError {
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    #[error("no such party")]
    PartyNotFound,
    #[error("no such contact")]
    ContactNotFound,
    #[error("no such request")]
    RequestNotFound,
    /// Not one of the caller's drafts (another agent's draft does not exist for them).
    #[error("no such draft")]
    DraftNotFound,
    /// A closed request can only be reopened.
    #[error("the request is closed ({status})")]
    RequestClosed { status: &'static str },
    /// An identifier (BSN, KvK number…) that already belongs to another party; which one is
    /// named only to callers who may see that party's identifiers (not under geheimhouding).
    #[error("{field} already belongs to another party")]
    DuplicateIdentifier { field: String, label: &'static str, party_id: Option<Uuid> },
    /// Only who registered a contact, or a team lead, changes or removes it; a confidential one
    /// only when they may read it.
    #[error("only the agent who registered this contact, or a team lead, may change it")]
    NotRegistrar,
    /// Work hangs on the contact (a task, a callback); it stays as the record of that work.
    #[error("work items refer to this contact")]
    ContactHasWork,
    /// Geheimhouding hides this item from the caller, so the caller cannot change it either.
    #[error("hidden by geheimhouding")]
    Hidden,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<Vec<FieldError>> for ContactsError {
    fn from(errors: Vec<FieldError>) -> Self {
        ContactsError::Invalid(errors)
    }
}

/// A free-text field that may be empty: trimmed, at most `max` characters, no control characters.
pub(crate) fn optional_text(value: &str, max: usize) -> Result<String, FieldError> {
    if value.trim().is_empty() { Ok(String::new()) } else { crate::validation::text(value, 0, max) }
}
