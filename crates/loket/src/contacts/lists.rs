//! The lists a contact is registered with, kept by a beheerder: channels (kanalen) and
//! outcomes (gespreksresultaten).
//!
//! Rules:
//! - A code is permanent once made: contacts, reports, the SLA targets, imports and the
//!   Klantinteracties API refer to it. Only its name, its place in the list and whether it is
//!   still in use change; nothing is deleted.
//! - An entry no longer in use is refused for new contacts and still names the old ones.
//! - Codes are short and plain (`a-z`, `0-9`, `_`, `-`), because they travel in URLs, CSV
//!   files and API filters.

use serde::Deserialize;
use utoipa::ToSchema;

use super::ContactsError;
use super::contact::ListEntry;
use crate::auth::Actor;
use crate::auth::audit::{self, AuditAction, AuditEvent};
use crate::store::contacts::{ContactList, ListEntryRow};
use crate::store::{self, Store};
use crate::validation::{self, Checks, FieldError};

const CODE_MAX: usize = 40;
const NAME_MAX: usize = 100;
const POSITION_MAX: i32 = 10_000;

/// A list entry as a beheerder sends it; the code is in the path.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ListEntryInput {
    /// The name agents see, e.g. "WhatsApp".
    pub name: String,
    /// False: no longer offered, refused for new contacts.
    #[serde(default = "yes")]
    pub active: bool,
    /// Place in the list (lowest first); the end of the list when left out.
    pub position: Option<i32>,
}

fn yes() -> bool {
    true
}

/// The entries of `list`, in order, in use or not.
pub async fn entries(store: &Store, list: ContactList) -> Result<Vec<ListEntry>, ContactsError> {
    let mut conn = store.acquire().await?;
    Ok(store::contacts::list_entries(&mut conn, list).await?.into_iter().map(ListEntry::from).collect())
}

fn parse_code(code: &str) -> Result<String, FieldError> {
    let code = code.trim();
    let plain = code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
    if code.is_empty() || code.chars().count() > CODE_MAX || !plain {
        return Err(FieldError::new(
            "code",
            "invalid_code",
            format!("Een code heeft 1 tot {CODE_MAX} tekens: kleine letters, cijfers, _ of -."),
        ));
    }
    Ok(code.to_owned())
}

/// Adds an entry to `list` or changes the one with this code, and logs it.
pub async fn save(
    store: &Store,
    actor: &Actor,
    list: ContactList,
    code: &str,
    input: &ListEntryInput,
) -> Result<ListEntry, ContactsError> {
    store_entry(store, actor, list, code, input, false).await
}

/// Adds an entry to `list`; a code that exists already is refused instead of changed.
pub async fn add(
    store: &Store,
    actor: &Actor,
    list: ContactList,
    code: &str,
    input: &ListEntryInput,
) -> Result<ListEntry, ContactsError> {
    store_entry(store, actor, list, code, input, true).await
}

async fn store_entry(
    store: &Store,
    actor: &Actor,
    list: ContactList,
    code: &str,
    input: &ListEntryInput,
    only_new: bool,
) -> Result<ListEntry, ContactsError> {
    let mut checks = Checks::default();
    let code = checks.take("code", parse_code(code));
    let name = checks.take("name", validation::text(&input.name, 1, NAME_MAX));
    if let Some(p) = input.position
        && !(0..=POSITION_MAX).contains(&p)
    {
        checks.push(FieldError::new("position", "out_of_range", format!("Een plaats van 0 tot {POSITION_MAX}.")));
    }
    checks.finish()?;
    let (Some(code), Some(name)) = (code, name) else { unreachable!("every missing value left an error behind") };
    let mut tx = store.begin().await?;
    let existing = store::contacts::list_entries(&mut tx, list).await?;
    let before = existing.iter().find(|e| e.code == code);
    if only_new && before.is_some() {
        let taken = FieldError::new("code", "code_taken", "Deze code bestaat al; wijzig het bestaande item.");
        return Err(ContactsError::Invalid(vec![taken]));
    }
    let position = input
        .position
        .or(before.map(|e| e.position))
        .unwrap_or_else(|| existing.iter().map(|e| e.position).max().unwrap_or(0) + 1);
    let row = ListEntryRow { code, name, active: input.active, position };
    let detail = serde_json::json!({
        "list": list.id(),
        "name": row.name,
        "active": row.active,
        "position": row.position,
        "was": before.map(|b| serde_json::json!({"name": b.name, "active": b.active, "position": b.position})),
    });
    store::contacts::save_list_entry(&mut tx, list, &row).await?;
    audit::record(
        &mut tx,
        actor,
        AuditEvent::new(AuditAction::ContactListChanged, list.object_type(), row.code.clone()).detail(detail),
    )
    .await?;
    tx.commit().await?;
    Ok(ListEntry::from(row))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_plain_lowercase_and_short() {
        assert_eq!(parse_code(" sms ").unwrap(), "sms");
        assert_eq!(parse_code("e-mail").unwrap(), "e-mail");
        assert_eq!(parse_code("social_media").unwrap(), "social_media");
        for bad in ["", "SMS", "post duif", "brief/post", "ë-mail", &"x".repeat(41)] {
            assert_eq!(parse_code(bad).unwrap_err().code, "invalid_code", "{bad:?}");
        }
    }
}
