//! Drafts (concepten) of the contacts an agent is registering, kept on the server so that a
//! reload or a crashed browser tab loses nothing of a call in progress.
//!
//! Rules:
//! - A draft belongs to the agent who started it. Nobody else reads, changes or removes it: to
//!   anyone else its id does not exist (404), so drafts tell nothing about other agents' calls.
//! - The browser chooses the id (a UUID), so saving the same draft twice is one draft.
//! - A draft is work in progress: only sizes are checked (the form's own limits, 50 sources, at
//!   most 20 open drafts per agent), and its start: not in the future, not more than 24 hours
//!   ago (a contact lasts at most that). The contact itself is checked when it is saved.
//! - The customer, when set, must exist. Erasing a customer removes every draft about them.
//! - Saving the contact removes its draft, and so does discarding it. Logging out removes all of
//!   the agent's drafts, after the logout page has warned about them. Housekeeping removes a
//!   draft nobody saved for seven days (a tab closed without logging out).
//! - Drafts are not audit-logged as reads: only their author sees them, and they hold nothing
//!   the author did not type.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::ContactsError;
use super::contact::{NOTES_MAX, QUESTION_MAX, SUBJECT_MAX};
use crate::auth::Caller;
use crate::clock;
use crate::store::drafts::DraftRow;
use crate::store::{self, Store};
use crate::validation::{Checks, FieldError};

/// Open drafts per agent: more than a desk ever juggles, few enough to list at a glance.
pub const MAX_DRAFTS: i64 = 20;
const MAX_SOURCES: usize = 50;
const CODE_MAX: usize = 100;

/// A source the agent opened during the contact, as the form holds it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DraftSource {
    /// `kind:id`, as the form posts it (`article:…`, `notice:…`, `tree:…`).
    pub value: String,
    pub title: String,
    #[serde(default = "yes")]
    pub checked: bool,
}

fn yes() -> bool {
    true
}

/// The contact form as the agent left it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DraftFields {
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
    /// The kladblok.
    #[serde(default)]
    pub scratchpad: String,
    #[serde(default)]
    pub sources: Vec<DraftSource>,
    #[serde(default)]
    pub confidential: bool,
    #[serde(default)]
    pub not_reached: bool,
    /// The customer's name as the agent's screen showed it, for the list of open contacts.
    #[serde(default)]
    pub party_name: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftInput {
    /// The customer the contact is with, when known.
    #[serde(default)]
    pub party_id: Option<Uuid>,
    /// When the contact started (the timer's start); now when left out.
    #[serde(default)]
    pub started_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub fields: DraftFields,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Draft {
    pub id: Uuid,
    pub party_id: Option<Uuid>,
    pub started_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub fields: DraftFields,
}

impl Draft {
    fn from_row(row: DraftRow) -> Draft {
        // Written by `save` only; a row that no longer reads (an older shape) shows as empty
        // rather than hiding the agent's other drafts.
        let fields = serde_json::from_str(&row.fields).unwrap_or_default();
        Draft { id: row.id, party_id: row.party_id, started_at: row.started_at, updated_at: row.updated_at, fields }
    }
}

fn size(checks: &mut Checks, field: &str, value: &str, max: usize) {
    if value.chars().count() > max {
        checks.push(FieldError::new(field, "too_long", format!("Hoogstens {max} tekens.")));
    }
}

fn check(input: &DraftInput) -> Result<(), ContactsError> {
    let f = &input.fields;
    let mut checks = Checks::default();
    size(&mut checks, "subject", &f.subject, SUBJECT_MAX);
    size(&mut checks, "question", &f.question, QUESTION_MAX);
    size(&mut checks, "notes", &f.notes, NOTES_MAX);
    size(&mut checks, "scratchpad", &f.scratchpad, NOTES_MAX);
    size(&mut checks, "channel", &f.channel, CODE_MAX);
    size(&mut checks, "outcome", &f.outcome, CODE_MAX);
    size(&mut checks, "party_name", &f.party_name, SUBJECT_MAX);
    if f.sources.len() > MAX_SOURCES {
        checks.push(FieldError::new("sources", "too_many", format!("Maximaal {MAX_SOURCES} bronnen.")));
    }
    for s in &f.sources {
        size(&mut checks, "sources", &s.value, CODE_MAX);
        size(&mut checks, "sources", &s.title, SUBJECT_MAX);
    }
    if let Some(at) = input.started_at {
        let now = clock::now();
        if at > now + chrono::Duration::minutes(1) {
            checks.push(FieldError::new("started_at", "in_future", "Een contact begint niet in de toekomst."));
        } else if at < now - chrono::Duration::hours(24) {
            // A contact lasts at most 24 hours, so it could not be saved anyway.
            checks.push(FieldError::new("started_at", "too_long", "Een contact duurt hoogstens 24 uur."));
        }
    }
    checks.finish().map_err(ContactsError::Invalid)
}

/// Saves the caller's draft `id` (new or changed).
pub async fn save(store: &Store, caller: &Caller, id: Uuid, input: &DraftInput) -> Result<Draft, ContactsError> {
    check(input)?;
    let now = clock::now();
    let mut tx = store.begin().await?;
    if let Some(party) = input.party_id
        && store::parties::find_party(&mut tx, party).await?.is_none()
    {
        return Err(ContactsError::Invalid(vec![FieldError::new(
            "party_id",
            "unknown_party",
            "Deze klant bestaat niet.",
        )]));
    }
    let mine = store::drafts::of_user(&mut tx, caller.user_id).await?;
    let existing = mine.iter().find(|d| d.id == id);
    if existing.is_none() && mine.len() as i64 >= MAX_DRAFTS {
        return Err(ContactsError::Invalid(vec![FieldError::new(
            "id",
            "too_many_drafts",
            format!("U heeft al {MAX_DRAFTS} open contacten; sla er eerst een op of verwijder er een."),
        )]));
    }
    let fields = serde_json::to_string(&input.fields).expect("strings, booleans and lists always serialize");
    let row = DraftRow {
        id,
        user_id: caller.user_id,
        party_id: input.party_id,
        // The contact started when its draft was first saved, unless the timer says otherwise.
        started_at: input.started_at.or(existing.map(|d| d.started_at)).unwrap_or(now),
        updated_at: now,
        fields,
    };
    if !store::drafts::put(&mut tx, &row).await? {
        return Err(ContactsError::DraftNotFound);
    }
    tx.commit().await?;
    Ok(Draft::from_row(row))
}

/// The caller's open drafts, oldest first.
pub async fn mine(store: &Store, caller: &Caller) -> Result<Vec<Draft>, ContactsError> {
    let mut conn = store.acquire().await?;
    Ok(store::drafts::of_user(&mut conn, caller.user_id).await?.into_iter().map(Draft::from_row).collect())
}

/// How many drafts the caller has open (the logout warning).
pub async fn count(store: &Store, caller: &Caller) -> Result<i64, ContactsError> {
    let mut conn = store.acquire().await?;
    Ok(store::drafts::count_of_user(&mut conn, caller.user_id).await?)
}

/// Removes one of the caller's drafts.
pub async fn discard(store: &Store, caller: &Caller, id: Uuid) -> Result<(), ContactsError> {
    let mut tx = store.begin().await?;
    if !store::drafts::delete(&mut tx, id, caller.user_id).await? {
        return Err(ContactsError::DraftNotFound);
    }
    tx.commit().await?;
    Ok(())
}

/// Removes all of the caller's drafts (logging out).
pub async fn discard_all(store: &Store, caller: &Caller) -> Result<u64, ContactsError> {
    let mut tx = store.begin().await?;
    let n = store::drafts::delete_of_user(&mut tx, caller.user_id).await?;
    tx.commit().await?;
    Ok(n)
}

/// How long a draft nobody touches is kept: long past the 24 hours in which it can still become
/// a contact, so an agent back from a weekend still finds what they typed.
pub const KEPT_UNTOUCHED: chrono::Duration = chrono::Duration::days(7);

/// Housekeeping: removes drafts nobody saved for [`KEPT_UNTOUCHED`] (a tab closed without
/// logging out); returns how many.
pub async fn purge_step(store: &Store, now: DateTime<Utc>) -> Result<u64, ContactsError> {
    let mut tx = store.begin().await?;
    let n = store::drafts::delete_untouched_since(&mut tx, now - KEPT_UNTOUCHED).await?;
    tx.commit().await?;
    Ok(n)
}
